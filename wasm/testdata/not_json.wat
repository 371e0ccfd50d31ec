;; Fault: the JSON way answers text that is not JSON.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "certainly not json")
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "frontdesk_execute") (param i32 i32) (result i64)
    (i64.const 18))) ;; pointer 0 in the high half, length 18 in the low half

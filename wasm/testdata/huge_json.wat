;; Fault: the JSON way answers 16 MiB, past the output cap, without the memory to back it.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "frontdesk_execute") (param i32 i32) (result i64)
    (i64.const 16777216)))

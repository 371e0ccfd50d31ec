;; Fault: answers more variables than its value table can hold.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_table") (result i64) (i64.const 0x0000100000000100))
  (func (export "frontdesk_run") (result i32)
    (i32.store (i32.const 4112) (i32.const 1000))
    (i32.store (i32.const 4100) (i32.const 1))
    (i32.const 0)))

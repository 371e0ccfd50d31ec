;; Fault: answers through the value table with a branch that lies outside its memory.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_table") (result i64) (i64.const 0x0000100000000100))
  (func (export "frontdesk_run") (result i32)
    (i32.store (i32.const 4104) (i32.const 65530))
    (i32.store (i32.const 4108) (i32.const 100))
    (i32.store (i32.const 4112) (i32.const 0))
    (i32.store (i32.const 4100) (i32.const 1))
    (i32.const 0)))

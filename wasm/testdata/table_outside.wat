;; Fault at load: declares a value table that reaches past the end of its memory.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_table") (result i64) (i64.const 0x0000FF0000001000))
  (func (export "frontdesk_run") (result i32) (i32.const 0)))

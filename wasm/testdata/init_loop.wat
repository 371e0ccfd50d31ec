;; Fault: its _initialize never returns. The host must fail the load, not hang.
(module
  (memory (export "memory") 1)
  (func (export "_initialize") (loop $forever (br $forever)))
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32) (i32.const 0)))

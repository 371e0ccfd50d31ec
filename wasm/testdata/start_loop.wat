;; Fault: its start function never ends. The host must fail the load, not hang.
(module
  (memory (export "memory") 1)
  (func $start (loop $forever (br $forever)))
  (start $start)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32) (i32.const 0)))

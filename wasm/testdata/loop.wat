;; Fault: frontdesk_run never returns. The host must stop it at the deadline and replace the
;; instance.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))

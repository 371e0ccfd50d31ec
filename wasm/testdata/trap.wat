;; Fault: traps on every call.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32) unreachable))

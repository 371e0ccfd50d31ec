;; Fault: imports a function the host does not provide.
(module
  (import "frontdesk" "open_socket" (func $open_socket (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32) (call $open_socket (i32.const 0))))

;; Fault: declares an ABI version the host does not speak.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v2"))
  (func (export "frontdesk_run") (result i32) (i32.const 0)))

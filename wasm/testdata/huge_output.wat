;; Fault: answers a variable of 1 MiB, past the output cap.
(module
  (import "frontdesk" "set_var_str" (func $set_var_str (param i32 i32 i32 i32)))
  (memory (export "memory") 17)
  (data (i32.const 0) "blob")
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (call $set_var_str (i32.const 0) (i32.const 4) (i32.const 16) (i32.const 1048576))
    (i32.const 0)))

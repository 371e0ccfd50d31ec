;; Fault: hands the host a branch that lies outside its memory.
(module
  (import "frontdesk" "set_branch" (func $set_branch (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (call $set_branch (i32.const 65530) (i32.const 100))
    (i32.const 0)))

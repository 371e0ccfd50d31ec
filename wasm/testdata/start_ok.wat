;; A start function that sets a global the calls then read: the start section, made an
;; export by the host's instrumentation, must still run once before the first call.
(module
  (import "frontdesk" "set_branch" (func $set_branch (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "started")
  (global $len (mut i32) (i32.const 0))
  (func $start (global.set $len (i32.const 7)))
  (start $start)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (call $set_branch (i32.const 0) (global.get $len))
    (i32.const 0)))

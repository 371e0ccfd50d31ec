;; Keeps state between calls, as a careless executor might: each call answers the branch the
;; previous call was given in its argument "who" (at most 32 bytes), then stores its own. It
;; shows what an instance keeps, and that MaxCalls 1 forgets it.
(module
  (import "frontdesk" "arg_index" (func $arg_index (param i32 i32) (result i32)))
  (import "frontdesk" "arg_read" (func $arg_read (param i32 i32 i32) (result i32)))
  (import "frontdesk" "set_branch" (func $set_branch (param i32 i32)))
  (memory (export "memory") 1)
  (global $kept (mut i32) (i32.const 0)) ;; length of the kept text at 64
  (data (i32.const 0) "who")
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (call $set_branch (i32.const 64) (global.get $kept))
    (global.set $kept
      (call $arg_read (call $arg_index (i32.const 0) (i32.const 3)) (i32.const 64) (i32.const 32)))
    (i32.const 0)))

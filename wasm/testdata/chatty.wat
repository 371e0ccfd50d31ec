;; Writes "hello from stdout\n" to stdout through WASI fd_write 2000 times (36 KB), past the
;; per-call log cap, then logs through frontdesk.log and answers branch "ok".
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "frontdesk" "log" (func $log (param i32 i32 i32)))
  (import "frontdesk" "set_branch" (func $set_branch (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\12\00\00\00") ;; iovec: buf 16, len 18
  (data (i32.const 16) "hello from stdout\n")
  (data (i32.const 48) "done")
  (data (i32.const 56) "ok")
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (local $i i32)
    (loop $again
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 2000))))
    (call $log (i32.const 1) (i32.const 48) (i32.const 4))
    (call $set_branch (i32.const 56) (i32.const 2))
    (i32.const 0)))

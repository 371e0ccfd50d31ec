;; The fee-dispute decision written by hand against ABI v1, typed way: the baseline of what
;; the host costs without a guest runtime. Reads driver_late and minutes_since_booking by name.
(module
  (import "frontdesk" "arg_index" (func $arg_index (param i32 i32) (result i32)))
  (import "frontdesk" "arg_bool" (func $arg_bool (param i32) (result i32)))
  (import "frontdesk" "arg_i64" (func $arg_i64 (param i32) (result i64)))
  (import "frontdesk" "set_branch" (func $set_branch (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "driver_late")            ;; 11 bytes at 0
  (data (i32.const 16) "minutes_since_booking") ;; 21 bytes at 16
  (data (i32.const 48) "waive")                 ;; 5 bytes at 48
  (data (i32.const 56) "keep")                  ;; 4 bytes at 56
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (if (call $arg_bool (call $arg_index (i32.const 0) (i32.const 11)))
      (then (call $set_branch (i32.const 48) (i32.const 5)) (return (i32.const 0))))
    (if (i64.le_s (call $arg_i64 (call $arg_index (i32.const 16) (i32.const 21))) (i64.const 5))
      (then (call $set_branch (i32.const 48) (i32.const 5)) (return (i32.const 0))))
    (call $set_branch (i32.const 56) (i32.const 4))
    (i32.const 0)))

;; The fee-dispute decision written by hand against ABI v1's value table (ABI.md section
;; 3.1): it reads its three values from the table and answers a branch and two variables
;; there, with no host call at all. The selected values arrive sorted by name, so the records
;; are driver_late (0), fee (1) and minutes_since_booking (2).
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "waive")
  (data (i32.const 8) "keep")
  (data (i32.const 16) "refund")
  (data (i32.const 24) "reason")
  (data (i32.const 32) "driver_late")
  (data (i32.const 48) "grace_period")
  (data (i32.const 64) "fee_applies")
  (func (export "frontdesk_abi_v1"))
  ;; The table: 256 bytes at 4096.
  (func (export "frontdesk_table") (result i64) (i64.const 0x0000100000000100))
  (func (export "frontdesk_run") (result i32)
    (local $late i32) (local $grace i32) (local $waive i32)
    ;; payload of record i is at 4096 + 8 + 24*i + 16
    (local.set $late (i64.ne (i64.load (i32.const 4120)) (i64.const 0)))
    (local.set $grace (i64.le_s (i64.load (i32.const 4168)) (i64.const 5)))
    (local.set $waive (i32.or (local.get $late) (local.get $grace)))
    ;; branch
    (i32.store (i32.const 4104) (select (i32.const 0) (i32.const 8) (local.get $waive)))
    (i32.store (i32.const 4108) (select (i32.const 5) (i32.const 4) (local.get $waive)))
    (i32.store (i32.const 4112) (i32.const 2))
    ;; variable 0: refund, float, the fee when waived
    (i32.store (i32.const 4120) (i32.const 1))
    (i32.store (i32.const 4124) (i32.const 16))
    (i32.store (i32.const 4128) (i32.const 6))
    (i32.store (i32.const 4132) (i32.const 0))
    (f64.store (i32.const 4136)
      (select (f64.load (i32.const 4144)) (f64.const 0) (local.get $waive)))
    ;; variable 1: reason, string (over record 1, whose fee was read above)
    (i32.store (i32.const 4144) (i32.const 4))
    (i32.store (i32.const 4148) (i32.const 24))
    (i32.store (i32.const 4152) (i32.const 6))
    (i32.store (i32.const 4156)
      (select (i32.const 11) (select (i32.const 12) (i32.const 11) (local.get $grace)) (local.get $late)))
    (i64.store (i32.const 4160)
      (select (i64.const 32) (select (i64.const 48) (i64.const 64) (local.get $grace)) (local.get $late)))
    ;; answered, last
    (i32.store (i32.const 4100) (i32.const 1))
    (i32.const 0)))

;; Fault: a start function that never ends, in a module using SIMD, which runs under wazero's
;; own termination checks: the load must fail there too.
(module
  (memory (export "memory") 1)
  (func $start (loop $forever (drop (v128.const i32x4 0 0 0 0)) (br $forever)))
  (start $start)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32) (i32.const 0)))

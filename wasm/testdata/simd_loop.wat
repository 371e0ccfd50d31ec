;; Fault: a loop that never ends, in a module using SIMD, which the host's instrumentation
;; does not decode: it runs under wazero's own termination checks and must be stopped too.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (loop $forever
      (drop (v128.const i32x4 0 0 0 0))
      (br $forever))
    (i32.const 0)))

;; Fault: memory grows a page at a time until memory.grow refuses (-1), then the module traps,
;; as a guest runtime does when it runs out of memory.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1"))
  (func (export "frontdesk_run") (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    unreachable))

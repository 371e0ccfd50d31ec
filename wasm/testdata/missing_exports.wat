;; Fault: declares ABI v1 but offers neither way in.
(module
  (memory (export "memory") 1)
  (func (export "frontdesk_abi_v1")))

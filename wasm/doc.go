// Package wasm runs executors: sandboxed WebAssembly modules that make the decisions policy
// expressions cannot, on wazero. A Host compiles every module once when policies load, keeps a
// pool of ready instances per module, and calls them through ABI v1 (see ABI.md): typed
// arguments read through host functions on the hot path, or the whole input as JSON. Each call
// runs under a deadline, a memory cap and an output cap, without file system, network,
// environment or arguments; a fault fails that one call and the instance is replaced.
package wasm

// Package executor is the Go SDK for frontdesk executors: decision logic compiled to a
// WebAssembly module and run by the frontdesk host in a sandbox. An executor registers one
// handler in init and is built as a WASI reactor:
//
//	func init() {
//		executor.Handle(func(req executor.Request) (executor.Response, error) {
//			if req.Bool("driver_late") {
//				return executor.Response{Branch: "waive"}, nil
//			}
//			return executor.Response{Branch: "keep"}, req.Err()
//		})
//	}
//
//	func main() {}
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o fee.wasm .
//
// The SDK speaks both ways in of ABI v1 (wasm/ABI.md in the frontdesk repository): typed
// arguments, read from the value table the host fills in the module's memory (or through host
// functions), with no parsing, and the whole input as JSON. The handler sees the same Request
// either way. Outside WebAssembly the package builds too, so handlers can be unit-tested
// natively with Test.
package executor

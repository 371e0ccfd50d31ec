package wasm

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// feeDisputeJS is the fee-dispute decision as the JavaScript snippet the original design runs
// at a decision node: the same rule as examples/executors/cancellation_fee_eligible.
const feeDisputeJS = `
function decide(fee, minutes, late) {
	if (late) return {branch: "waive", vars: {reason: "driver_late", refund: fee}};
	if (minutes <= 5) return {branch: "waive", vars: {reason: "grace_period", refund: fee}};
	return {branch: "keep", vars: {reason: "fee_applies", refund: 0}};
}
function decideJSON(input) {
	const d = JSON.parse(input).data;
	return decide(d.fee, d.minutes_since_booking, d.driver_late);
}`

// benchRequest is the fee-dispute call every benchmark makes: the fee is kept (the longest
// path through the rule).
var benchRequest = policy.ExecRequest{
	Policy: "fee-dispute", Node: "eligible", Channel: "webchat",
	Args: feeArgs(12.5, 42, false),
}

// BenchmarkExecutorDecide runs the fee-dispute decision through the typed and JSON ways into
// a pooled Go executor, and as a goja JavaScript function given Go values and given JSON, side
// by side; for the analysis also under wazero's own deadline checks, and hand-written in
// WebAssembly text (through the host functions, and through the value table). Besides ns/op it reports cpu-ns/op, which a shared machine inflates less.
func BenchmarkExecutorDecide(b *testing.B) {
	path := goExecutor(b, "cancellation_fee_eligible")
	typed := pinned(b, "fee", path)
	// A generous deadline: a loaded machine must not turn a slow guest GC into a failure.
	typed.PoolSize, typed.Timeout = 1, time.Second
	asJSON := typed
	asJSON.Name, asJSON.Mode = "fee_json", ModeJSON
	h := newHost(b, Config{Modules: []ModuleConfig{typed, asJSON}})
	// The same module stopped by wazero's WithCloseOnContextDone instead of the host's
	// instrumentation: what the two ways to enforce a deadline cost.
	checked := newHost(b, Config{Modules: []ModuleConfig{typed}, checkedOnly: true})
	// The decision hand-written in WebAssembly text, with no guest runtime: what the host costs.
	wat := watModule(b, "decide")
	bare := newHost(b, Config{Modules: []ModuleConfig{{Name: "wat", Bytes: wat, SHA256: sha(wat), PoolSize: 1}}})
	// The same, through the value table, answering the two variables too.
	watTable := watModule(b, "table_decide")
	bareTable := newHost(b, Config{Modules: []ModuleConfig{{Name: "wat", Bytes: watTable, SHA256: sha(watTable), PoolSize: 1}}})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		h    *Host
		ex   string
	}{
		{"wasm_typed", h, "fee"}, {"wasm_json", h, "fee_json"},
		{"wasm_typed_checked", checked, "fee"}, {"wat_typed", bare, "wat"}, {"wat_table", bareTable, "wat"},
	} {
		ex, _ := c.h.Executor(c.ex)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU(b)
			for b.Loop() {
				res, err := ex.Execute(ctx, benchRequest)
				if err != nil || res.Branch != "keep" {
					b.Fatal(res, err)
				}
			}
			reportCPU(b, cpu)
		})
	}

	vm := goja.New()
	if _, err := vm.RunString(feeDisputeJS); err != nil {
		b.Fatal(err)
	}
	var decide func(float64, int64, bool) map[string]any
	var decideJSON func(string) map[string]any
	if err := vm.ExportTo(vm.Get("decide"), &decide); err != nil {
		b.Fatal(err)
	}
	if err := vm.ExportTo(vm.Get("decideJSON"), &decideJSON); err != nil {
		b.Fatal(err)
	}
	b.Run("goja_values", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU(b)
		for b.Loop() {
			a := benchRequest.Args
			res := gojaResult(decide(a[1].Value.(float64), a[2].Value.(int64), a[0].Value.(bool)))
			if res.Branch != "keep" {
				b.Fatal(res)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("goja_json", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU(b)
		for b.Loop() {
			in, err := encodeInput(benchRequest)
			if err != nil {
				b.Fatal(err)
			}
			res := gojaResult(decideJSON(string(in)))
			if res.Branch != "keep" {
				b.Fatal(res)
			}
		}
		reportCPU(b, cpu)
	})
}

// gojaResult converts the JavaScript answer to the engine's result, as a goja-backed
// executor would.
func gojaResult(v map[string]any) policy.ExecResult {
	res := policy.ExecResult{}
	res.Branch, _ = v["branch"].(string)
	vars, _ := v["vars"].(map[string]any)
	res.Vars = make([]policy.Var, 0, len(vars))
	for k, v := range vars {
		res.Vars = append(res.Vars, policy.Var{Name: k, Value: v})
	}
	return res
}

// BenchmarkExecutorParallel shares one pool of GOMAXPROCS instances among 100 goroutines on
// the typed way: throughput should hold, not collapse, under contention.
func BenchmarkExecutorParallel(b *testing.B) {
	path := goExecutor(b, "cancellation_fee_eligible")
	mc := pinned(b, "fee", path)
	h := newHost(b, Config{Modules: []ModuleConfig{mc}})
	ex, _ := h.Executor("fee")
	b.SetParallelism(max(1, 100/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	cpu := processCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ex.Execute(context.Background(), benchRequest); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportCPU(b, cpu)
}

package wasm

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// feeArgs are the fee-dispute decision's selected values, sorted by name as the engine hands
// them over.
func feeArgs(fee float64, minutes int64, late bool) []policy.Arg {
	return []policy.Arg{
		{Name: "driver_late", Value: late},
		{Name: "fee", Value: fee},
		{Name: "minutes_since_booking", Value: minutes},
	}
}

func TestFeeDisputeBothWays(t *testing.T) {
	path := goExecutor(t, "cancellation_fee_eligible")
	typed := pinned(t, "fee", path)
	typed.PoolSize = 2
	asJSON := typed
	asJSON.Name, asJSON.Mode = "fee_json", ModeJSON
	h := newHost(t, Config{Modules: []ModuleConfig{typed, asJSON}})
	for _, name := range []string{"fee", "fee_json"} {
		ex, ok := h.Executor(name)
		if !ok {
			t.Fatalf("executor %q not found", name)
		}
		for _, tc := range []struct {
			fee     float64
			minutes int64
			late    bool
			branch  string
			refund  float64
		}{
			{7.5, 30, true, "waive", 7.5},
			{7.5, 3, false, "waive", 7.5},
			{12, 42, false, "keep", 0},
		} {
			res, err := ex.Execute(context.Background(), policy.ExecRequest{Policy: "fee-dispute", Node: "eligible", Args: feeArgs(tc.fee, tc.minutes, tc.late)})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if res.Branch != tc.branch || number(res.Vars["refund"]) != tc.refund {
				t.Fatalf("%s %+v: got %q %v", name, tc, res.Branch, res.Vars)
			}
		}
	}
}

// number reads a variable as float64: the JSON way gives integral numbers as int64.
func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return -1
}

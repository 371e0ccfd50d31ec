package wasm

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// TestTableByHand runs a module written by hand against the value table: the layout in
// ABI.md section 3.1 is enough to read values and answer without one host call. After each
// call the host has zeroed what the call left in the table.
func TestTableByHand(t *testing.T) {
	code := watModule(t, "table_decide")
	h := newHost(t, Config{Modules: []ModuleConfig{{Name: "t", Bytes: code, SHA256: sha(code), PoolSize: 1}}})
	ex, _ := h.Executor("t")
	for _, tc := range []struct {
		fee     float64
		minutes int64
		late    bool
		branch  string
		vars    map[string]any
	}{
		{7.5, 30, true, "waive", map[string]any{"refund": 7.5, "reason": "driver_late"}},
		{7.5, 3, false, "waive", map[string]any{"refund": 7.5, "reason": "grace_period"}},
		{12, 42, false, "keep", map[string]any{"refund": 0.0, "reason": "fee_applies"}},
	} {
		res, err := ex.Execute(context.Background(), policy.ExecRequest{Args: feeArgs(tc.fee, tc.minutes, tc.late)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Branch != tc.branch || !reflect.DeepEqual(res.VarMap(), tc.vars) {
			t.Fatalf("%+v: got %q %v", tc, res.Branch, res.VarMap())
		}
		in := <-ex.(*Module).pool.idle
		b, _ := in.mod.Memory().Read(in.table.ptr, in.table.size)
		left := strings.Trim(string(b), "\x00")
		ex.(*Module).pool.idle <- in
		if left != "" {
			t.Fatalf("the table keeps %q after the call", left)
		}
	}
}

// TestTableGoGuest sends every kind of value to a Go guest and back: short values through
// the table, text too long for it through the host functions.
func TestTableGoGuest(t *testing.T) {
	path := goModule(t, "./wasm/testdata/echo")
	h := newHost(t, Config{Modules: []ModuleConfig{pinned(t, "echo", path)}})
	ex, _ := h.Executor("echo")
	for _, text := range []string{"", "héllo", strings.Repeat("long text ", 1000)} {
		res, err := ex.Execute(context.Background(), policy.ExecRequest{Args: []policy.Arg{
			{Name: "count", Value: 7}, {Name: "flag", Value: true},
			{Name: "obj", Value: map[string]any{"a": []any{1.5, "x"}}}, {Name: "text", Value: text},
		}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"text": text, "length": int64(len(text)), "count": int64(7), "ratio": 3.5,
			"flag": false, "obj": `{"a":[1.5,"x"]}`,
		}
		if res.Branch != "echo" || !reflect.DeepEqual(res.VarMap(), want) {
			t.Fatalf("text of %d bytes: got %q %v", len(text), res.Branch, res.VarMap())
		}
	}
	// A value of the wrong type fails the call with the SDK's message.
	_, err := ex.Execute(context.Background(), policy.ExecRequest{Args: []policy.Arg{
		{Name: "count", Value: "seven"}, {Name: "flag", Value: true}, {Name: "obj", Value: nil}, {Name: "text", Value: "x"},
	}})
	if err == nil || !strings.Contains(err.Error(), `"count" is string, read as int`) {
		t.Fatalf("count as a string: got %v", err)
	}
}

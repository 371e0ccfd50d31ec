package wasm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
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
			if res.Branch != tc.branch || number(res.VarMap()["refund"]) != tc.refund {
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

// TestExamples runs every example executor end to end through policy.Executor, as the
// policy engine calls them, with the modules built from their sources.
func TestExamples(t *testing.T) {
	charges := []any{
		map[string]any{"id": "ch_1", "amount": 23.4, "charged_at": "2026-11-21T10:05:00Z"},
		map[string]any{"id": "ch_2", "amount": 23.4, "charged_at": "2026-11-21T13:02:00Z"},
	}
	hydrations := 0
	hydrate := func(_ context.Context, name string) (any, error) {
		hydrations++
		if name != "transactions" {
			return nil, errors.New("not declared")
		}
		return charges, nil
	}
	mods := []ModuleConfig{
		pinned(t, "within_radius", goExecutor(t, "within_radius")),
		pinned(t, "recent_duplicate_charge", goExecutor(t, "recent_duplicate_charge")),
		pinned(t, "late_arrival_credit", asExecutor(t, "late_arrival_credit")),
	}
	asJSON := mods[1]
	asJSON.Name, asJSON.Mode = "recent_duplicate_charge_json", ModeJSON
	mods = append(mods, asJSON)
	for i := range mods {
		mods[i].PoolSize = 1
	}
	h := newHost(t, Config{Modules: mods})
	for _, tc := range []struct {
		executor string
		args     []policy.Arg
		branch   string
		vars     map[string]any
	}{
		{"within_radius", []policy.Arg{
			{Name: "pickup_lat", Value: 52.37903}, {Name: "pickup_lon", Value: 4.90026},
			{Name: "radius_m", Value: int64(200)},
			{Name: "reported_lat", Value: 52.37942}, {Name: "reported_lon", Value: 4.89871},
		}, "inside", map[string]any{"distance_m": 113.8}},
		{"recent_duplicate_charge", []policy.Arg{{Name: "amount", Value: 23.4}},
			"duplicate", map[string]any{"duplicate_ids": []any{"ch_1", "ch_2"}, "matches": int64(2)}},
		{"recent_duplicate_charge_json", []policy.Arg{{Name: "amount", Value: 23.4}},
			"duplicate", map[string]any{"duplicate_ids": []any{"ch_1", "ch_2"}, "matches": int64(2)}},
		{"late_arrival_credit", []policy.Arg{{Name: "fare", Value: 23.4}, {Name: "minutes_late", Value: int64(12)}},
			"credit", map[string]any{"credit": 4.68, "percent": int64(20)}},
		{"late_arrival_credit", []policy.Arg{{Name: "fare", Value: 23.4}, {Name: "minutes_late", Value: 3}},
			"none", map[string]any{"credit": 0.0, "percent": int64(0)}},
	} {
		ex, ok := h.Executor(tc.executor)
		if !ok {
			t.Fatalf("executor %q missing", tc.executor)
		}
		res, err := ex.Execute(context.Background(), policy.ExecRequest{Policy: "p", Node: "n", Args: tc.args, Hydrate: hydrate})
		if err != nil {
			t.Fatalf("%s: %v", tc.executor, err)
		}
		if res.Branch != tc.branch || !reflect.DeepEqual(res.VarMap(), tc.vars) {
			t.Fatalf("%s: got %q %#v, want %q %#v", tc.executor, res.Branch, res.Vars, tc.branch, tc.vars)
		}
	}
	if hydrations != 2 { // once by each way in
		t.Fatalf("hydrate called %d times, want twice", hydrations)
	}

	// A missing argument fails the node with the executor's message, and the next call works.
	ex, _ := h.Executor("late_arrival_credit")
	_, err := ex.Execute(context.Background(), policy.ExecRequest{Node: "credit", Args: []policy.Arg{{Name: "fare", Value: 1.0}}})
	if !errors.Is(err, ErrGuestFailed) || !strings.Contains(err.Error(), "minutes_late") {
		t.Fatalf("missing minutes_late: got %v", err)
	}
	ex, _ = h.Executor("recent_duplicate_charge")
	_, err = ex.Execute(context.Background(), policy.ExecRequest{Node: "dup", Args: []policy.Arg{{Name: "amount", Value: 1.0}}})
	if !errors.Is(err, ErrGuestFailed) || !strings.Contains(err.Error(), "no hydrations") {
		t.Fatalf("hydrate without a run: got %v", err)
	}
}

// TestParallelCalls shares a pool of two instances among 100 goroutines: every call gets its
// own answer, none waits forever.
func TestParallelCalls(t *testing.T) {
	code := watModule(t, "decide")
	h := newHost(t, Config{Modules: []ModuleConfig{{Name: "decide", Bytes: code, SHA256: sha(code), PoolSize: 2}}})
	ex, _ := h.Executor("decide")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				minutes := int64((g + i) % 10)
				want := "keep"
				if minutes <= 5 {
					want = "waive"
				}
				res, err := ex.Execute(context.Background(), policy.ExecRequest{Args: feeArgs(9, minutes, false)})
				if err != nil || res.Branch != want {
					errs <- fmt.Errorf("minutes %d: got %q %v, want %q", minutes, res.Branch, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestClosedHost(t *testing.T) {
	code := watModule(t, "decide")
	h, err := New(context.Background(), Config{Modules: []ModuleConfig{{Name: "decide", Bytes: code, SHA256: sha(code), PoolSize: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ex, _ := h.Executor("decide")
	if err := h.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.Execute(context.Background(), policy.ExecRequest{Args: feeArgs(1, 1, false)}); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: got %v, want ErrClosed", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h2 := newHost(t, Config{Modules: []ModuleConfig{{Name: "decide", Bytes: code, SHA256: sha(code), PoolSize: 1}}})
	ex2, _ := h2.Executor("decide")
	if _, err := ex2.Execute(ctx, policy.ExecRequest{}); !errors.Is(err, ErrDeadline) {
		t.Fatalf("canceled context: got %v, want ErrDeadline", err)
	}
}

package wasm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// faultHost loads the fault module NAME beside the well-behaved decide module, so each test
// can show the host still serves after the fault.
func faultHost(t *testing.T, name string, limits Limits) *Host {
	t.Helper()
	bad := watModule(t, name)
	good := watModule(t, "decide")
	return newHost(t, Config{Modules: []ModuleConfig{
		{Name: name, Bytes: bad, SHA256: sha(bad), PoolSize: 1, Limits: limits},
		{Name: "decide", Bytes: good, SHA256: sha(good), PoolSize: 1},
	}})
}

// stillServes checks that the good module answers after a fault.
func stillServes(t *testing.T, h *Host) {
	t.Helper()
	ex, _ := h.Executor("decide")
	res, err := ex.Execute(context.Background(), policy.ExecRequest{Args: feeArgs(3, 2, false)})
	if err != nil || res.Branch != "waive" {
		t.Fatalf("good module after the fault: %v %v", res, err)
	}
}

// execute calls the named executor with the fee-dispute arguments.
func execute(h *Host, name string) (policy.ExecResult, error) {
	ex, _ := h.Executor(name)
	return ex.Execute(context.Background(), policy.ExecRequest{Policy: "p", Node: "n", Args: feeArgs(3, 2, false)})
}

// waitForPool waits until the pool is back to its size after a replacement.
func waitForPool(t *testing.T, m *Module, size int) {
	t.Helper()
	for start := time.Now(); m.Pool().Size() < size; time.Sleep(time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("pool has %d instances, want %d", m.Pool().Size(), size)
		}
	}
}

func TestFaultInfiniteLoop(t *testing.T) {
	const timeout = 50 * time.Millisecond
	h := faultHost(t, "loop", Limits{Timeout: timeout})
	for range 2 { // the second call runs on the replacement instance
		start := time.Now()
		_, err := execute(h, "loop")
		elapsed := time.Since(start)
		if !errors.Is(err, ErrDeadline) {
			t.Fatalf("got %v, want ErrDeadline", err)
		}
		// The watchdog looks every 5 ms, so the call ends well within deadline + 50 ms.
		if elapsed > timeout+50*time.Millisecond {
			t.Errorf("stopped after %v, want within %v", elapsed, timeout+50*time.Millisecond)
		}
		t.Logf("stopped after %v (deadline %v)", elapsed, timeout)
		m, _ := h.Module("loop")
		waitForPool(t, m, 1)
	}
	stillServes(t, h)
}

func TestFaultCallerDeadline(t *testing.T) {
	h := faultHost(t, "loop", Limits{Timeout: 10 * time.Second})
	ex, _ := h.Executor("loop")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ex.Execute(ctx, policy.ExecRequest{})
	if !errors.Is(err, ErrDeadline) || time.Since(start) > time.Second {
		t.Fatalf("got %v after %v, want ErrDeadline soon after the caller's 30ms", err, time.Since(start))
	}
	stillServes(t, h)
}

func TestFaultMemoryGrow(t *testing.T) {
	h := faultHost(t, "grow", Limits{MemoryPages: 16})
	for range 2 {
		_, err := execute(h, "grow")
		if !errors.Is(err, ErrMemoryLimit) {
			t.Fatalf("got %v, want ErrMemoryLimit", err)
		}
	}
	stillServes(t, h)
}

func TestFaultMemoryCapAtLoad(t *testing.T) {
	code := watModule(t, "huge_output") // starts with 17 pages
	_, err := New(context.Background(), Config{Modules: []ModuleConfig{{Name: "big", Bytes: code, SHA256: sha(code), Limits: Limits{MemoryPages: 8}}}})
	if !errors.Is(err, ErrMemoryLimit) || !strings.Contains(err.Error(), `"big"`) {
		t.Fatalf("got %v, want ErrMemoryLimit naming the module", err)
	}
}

func TestFaultOutput(t *testing.T) {
	for _, tc := range []struct {
		module string
		want   error
	}{
		{"huge_output", ErrOutputTooLarge},
		{"huge_json", ErrOutputTooLarge},
		{"not_json", ErrBadOutput},
		{"bad_pointer", ErrBadOutput},
		{"table_bad_pointer", ErrBadOutput},
		{"table_too_many", ErrBadOutput},
		{"table_bad_kind", ErrBadOutput},
		{"trap", ErrTrap},
	} {
		t.Run(tc.module, func(t *testing.T) {
			h := faultHost(t, tc.module, Limits{})
			for range 2 {
				_, err := execute(h, tc.module)
				if !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want %v", err, tc.want)
				}
				var ce *CallError
				if !errors.As(err, &ce) || ce.Executor != tc.module || ce.Node != "n" || ce.Policy != "p" {
					t.Fatalf("error %v does not name the executor, node and policy", err)
				}
			}
			stillServes(t, h)
		})
	}
}

func TestFaultLoad(t *testing.T) {
	for _, tc := range []struct {
		module string
		want   error
	}{
		{"missing_exports", ErrMissingExport},
		{"wrong_abi", ErrABIVersion},
		{"unknown_import", ErrUnknownImport},
		{"table_small", ErrBadOutput},
		{"table_outside", ErrBadOutput},
	} {
		t.Run(tc.module, func(t *testing.T) {
			code := watModule(t, tc.module)
			_, err := New(context.Background(), Config{Modules: []ModuleConfig{{Name: tc.module, Path: tc.module + ".wasm", Bytes: code, SHA256: sha(code)}}})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.module) {
				t.Fatalf("got %v, want %v naming the module", err, tc.want)
			}
		})
	}
}

func TestChecksumMismatch(t *testing.T) {
	code := watModule(t, "decide")
	_, err := New(context.Background(), Config{Modules: []ModuleConfig{{Name: "decide", Bytes: code, SHA256: strings.Repeat("0", 64)}}})
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), sha(code)) {
		t.Fatalf("got %v, want ErrChecksum showing the file's sha256", err)
	}
	_, err = New(context.Background(), Config{Modules: []ModuleConfig{{Name: "decide", Bytes: code}}})
	if err == nil || !strings.Contains(err.Error(), "sha256 pin missing") {
		t.Fatalf("got %v, want a missing pin error", err)
	}
}

func TestLogCapture(t *testing.T) {
	code := watModule(t, "chatty")
	rep, err := RunOnce(context.Background(), code, []byte(`{"data":{}}`), RunOptions{Limits: Limits{MaxLogBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Error != "" || rep.Branch != "ok" {
		t.Fatalf("report %+v", rep)
	}
	var stdout, capped int
	for _, l := range rep.Logs {
		switch {
		case l.Source == "stdout":
			stdout += len(l.Message)
		case l.Source == "host" && strings.Contains(l.Message, "log cap"):
			capped++
		}
	}
	if stdout == 0 || stdout > 1000 || capped != 1 {
		t.Fatalf("stdout %d bytes, %d cap notices; want at most 1000 bytes and one notice", stdout, capped)
	}
}

// TestInstanceKeepsState shows what ABI.md warns about: a module's memory and globals outlive
// a call when its instance is reused, and MaxCalls 1 gives every call a fresh instance.
func TestInstanceKeepsState(t *testing.T) {
	code := watModule(t, "remember")
	h := newHost(t, Config{Modules: []ModuleConfig{
		{Name: "reused", Bytes: code, SHA256: sha(code), PoolSize: 1},
		{Name: "fresh", Bytes: code, SHA256: sha(code), PoolSize: 1, MaxCalls: 1},
	}})
	call := func(name, who string) string {
		ex, _ := h.Executor(name)
		res, err := ex.Execute(context.Background(), policy.ExecRequest{Args: []policy.Arg{{Name: "who", Value: who}}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Branch
	}
	call("reused", "alice")
	if got := call("reused", "bob"); got != "alice" {
		t.Fatalf("reused instance: bob's call saw %q, want alice's (the leak this test documents)", got)
	}
	call("fresh", "alice")
	if got := call("fresh", "bob"); got != "" {
		t.Fatalf("fresh instances: bob's call saw %q, want nothing", got)
	}
}

func TestFaultInitializationNeverEnds(t *testing.T) {
	for _, name := range []string{"start_loop", "init_loop", "simd_start_loop"} {
		t.Run(name, func(t *testing.T) {
			code := watModule(t, name)
			start := time.Now()
			_, err := New(context.Background(), Config{Modules: []ModuleConfig{{Name: name, Bytes: code, SHA256: sha(code), PoolSize: 1, Limits: Limits{Timeout: 10 * time.Millisecond}}}})
			if !errors.Is(err, ErrDeadline) || !strings.Contains(err.Error(), name) {
				t.Fatalf("got %v, want ErrDeadline naming the module", err)
			}
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Fatalf("load failed after %v, want about 1s", elapsed)
			}
		})
	}
}

func TestStartFunctionRuns(t *testing.T) {
	code := watModule(t, "start_ok")
	h := newHost(t, Config{Modules: []ModuleConfig{{Name: "s", Bytes: code, SHA256: sha(code), PoolSize: 1}}})
	if m, _ := h.Module("s"); !m.interruptible {
		t.Fatal("not instrumented")
	}
	res, err := execute(h, "s")
	if err != nil || res.Branch != "started" {
		t.Fatalf("got %q %v, want the branch the start function prepared", res.Branch, err)
	}
}

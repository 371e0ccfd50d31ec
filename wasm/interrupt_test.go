package wasm

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
)

// TestInstrumentModules instruments every test and example module: the result must compile
// (that the check stops loops, TestFaultInfiniteLoop shows), and a module with an
// instruction the rewriter does not decode must say so.
func TestInstrumentModules(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	modules := map[string][]byte{}
	for _, name := range []string{"decide", "loop", "grow", "huge_output", "huge_json", "not_json", "trap", "bad_pointer", "chatty", "remember", "missing_exports", "wrong_abi", "unknown_import"} {
		modules[name] = watModule(t, name)
	}
	for _, name := range []string{"cancellation_fee_eligible", "recent_duplicate_charge"} {
		modules[name] = readFile(t, goExecutor(t, name))
	}
	modules["late_arrival_credit"] = readFile(t, asExecutor(t, "late_arrival_credit"))
	for name, code := range modules {
		out, err := instrument(code)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := r.CompileModule(ctx, out); err != nil {
			t.Errorf("%s: instrumented module does not compile: %v", name, err)
		}
	}
	if _, err := instrument(watModule(t, "simd_loop")); !errors.Is(err, errNotInstrumentable) {
		t.Errorf("SIMD module: got %v, want errNotInstrumentable", err)
	}
	if _, err := instrument([]byte("\x00asm\x01\x00\x00\x00\x0a\xff")); !errors.Is(err, errNotInstrumentable) {
		t.Errorf("truncated module: got %v", err)
	}
}

// TestDeadlineFallback stops a runaway module that could not be instrumented, through
// wazero's own termination checks.
func TestDeadlineFallback(t *testing.T) {
	const timeout = 50 * time.Millisecond
	h := faultHost(t, "simd_loop", Limits{Timeout: timeout})
	m, _ := h.Module("simd_loop")
	if m.interruptible {
		t.Fatal("the SIMD module was instrumented")
	}
	if good, _ := h.Module("decide"); !good.interruptible {
		t.Fatal("the plain module was not instrumented")
	}
	start := time.Now()
	_, err := execute(h, "simd_loop")
	if elapsed := time.Since(start); !errors.Is(err, ErrDeadline) || elapsed > timeout+50*time.Millisecond {
		t.Fatalf("got %v after %v, want ErrDeadline within %v", err, elapsed, timeout+50*time.Millisecond)
	}
	stillServes(t, h)
}

func FuzzInstrument(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0a\x04\x01\x02\x00\x0b"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0a\x07\x01\x05\x00\x03\x40\x0b\x0b"))
	f.Fuzz(func(t *testing.T, code []byte) {
		// Any input gives a module or an error, never a panic.
		instrument(code)
	})
}

// TestDeadlineUnderGC runs an endless loop while the garbage collector keeps stopping the
// world. Machine code cannot be preempted, so a loop that never entered Go would hold up the
// stop-the-world, the watchdog with it, and freeze the process; the instrumented loop enters
// Go every fuelPerCheck iterations.
func TestDeadlineUnderGC(t *testing.T) {
	const timeout = 50 * time.Millisecond
	h := faultHost(t, "loop", Limits{Timeout: timeout})
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	defer close(done)
	start := time.Now()
	_, err := execute(h, "loop")
	if elapsed := time.Since(start); !errors.Is(err, ErrDeadline) || elapsed > timeout+50*time.Millisecond {
		t.Fatalf("got %v after %v, want ErrDeadline within %v", err, elapsed, timeout+50*time.Millisecond)
	}
}

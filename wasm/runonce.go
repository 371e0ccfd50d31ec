package wasm

import (
	"context"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero"
)

// RunOptions configure RunOnce.
type RunOptions struct {
	Limits
	// Mode forces a way in when the module offers both.
	Mode Mode
	// Cache, when set, reuses compiled code across runs (wazero.NewCompilationCache); a Go
	// module takes about a second to compile without it.
	Cache wazero.CompilationCache
}

// Report is what one playground run shows: the answer, the log, memory and timings.
type Report struct {
	// Branch and Vars are the executor's answer; Error is set instead when the call failed.
	Branch string         `json:"branch,omitempty"`
	Vars   map[string]any `json:"vars,omitempty"`
	Error  string         `json:"error,omitempty"`
	Logs   []LogEntry     `json:"logs"`
	// Mode is the way in the module was called.
	Mode Mode `json:"mode"`
	// MemoryBytes is the instance's linear memory after the call.
	MemoryBytes uint64 `json:"memory_bytes"`
	// Compile, Instantiate and Call are how long each step took.
	Compile     time.Duration `json:"compile_ns"`
	Instantiate time.Duration `json:"instantiate_ns"`
	Call        time.Duration `json:"call_ns"`
}

// RunOnce compiles a module, instantiates it and calls it once with a JSON input (see Input),
// for the playground and the admin endpoint. A module that cannot be loaded is an error; a
// call that fails is reported in Report.Error with the logs up to the failure.
func RunOnce(ctx context.Context, code []byte, input []byte, opts RunOptions) (Report, error) {
	in, err := DecodeInput(input)
	if err != nil {
		return Report{}, err
	}
	limits := opts.Limits.withDefaults()
	e, err := newEngine(ctx, max(limits.MemoryPages, DefaultMemoryPages), opts.Cache)
	if err != nil {
		return Report{}, err
	}
	defer e.close(context.Background())
	start := time.Now()
	m, err := e.compile(ctx, "playground", code, opts.Mode, limits)
	if err != nil {
		return Report{}, fmt.Errorf("wasm: %w", err)
	}
	rep := Report{Mode: m.mode, Compile: time.Since(start), Logs: []LogEntry{}}
	m.collect = true
	start = time.Now()
	inst, err := m.newInstance(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("wasm: %w", err)
	}
	rep.Instantiate = time.Since(start)
	defer inst.close(context.Background())

	// The watchdog of a Host is not running here, so one goroutine stands in for it.
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				inst.expire(now)
			}
		}
	}()
	start = time.Now()
	res, err := inst.exec(ctx, m, in.Request(), &rep.Logs)
	rep.Call = time.Since(start)
	if !inst.broken {
		rep.MemoryBytes = uint64(inst.mod.Memory().Size())
	} else {
		rep.MemoryBytes = uint64(len(inst.mem.buf))
	}
	if err != nil {
		rep.Error = err.Error()
		return rep, nil
	}
	rep.Branch, rep.Vars = res.Branch, res.VarMap()
	return rep, nil
}

// staticHydrations answers hydrate calls from fixed values.
func staticHydrations(values map[string]any) func(context.Context, string) (any, error) {
	return func(_ context.Context, name string) (any, error) {
		v, ok := values[name]
		if !ok {
			return nil, fmt.Errorf("no hydration %q in the input", name)
		}
		return v, nil
	}
}

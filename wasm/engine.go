package wasm

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
)

// engine compiles modules into one of two wazero runtimes. Modules that instrument can
// rewrite run in the fast runtime, where the watchdog stops a call through the module's
// interrupt global; the rest run in the checked runtime, made on first need, whose
// WithCloseOnContextDone makes wazero check for a stopped call at every loop.
type engine struct {
	cfg      wazero.RuntimeConfig
	fast     wazero.Runtime
	checked  wazero.Runtime
	provided map[string]map[string]bool
	// checkedOnly compiles every module as it is into the checked runtime (benchmarks only).
	checkedOnly bool
}

// newEngine starts the fast runtime with the host module and WASI.
func newEngine(ctx context.Context, memoryPages uint32, cache wazero.CompilationCache) (*engine, error) {
	cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(memoryPages)
	if cache != nil {
		cfg = cfg.WithCompilationCache(cache)
	}
	e := &engine{cfg: cfg, fast: wazero.NewRuntimeWithConfig(ctx, cfg)}
	provided, err := instantiateImports(ctx, e.fast)
	if err != nil {
		e.close(ctx)
		return nil, err
	}
	e.provided = provided
	return e, nil
}

// compile compiles a module and checks it against ABI v1 and its limits; the pool is left to
// the caller.
func (e *engine) compile(ctx context.Context, name string, code []byte, mode Mode, limits Limits) (*Module, error) {
	r, interruptible := e.fast, false
	instrumented, err := instrument(code)
	switch {
	case err == nil && !e.checkedOnly:
		code, interruptible = instrumented, true
	case err == nil || errors.Is(err, errNotInstrumentable):
		if r, err = e.checkedRuntime(ctx); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	compiled, err := r.CompileModule(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("compile: %w", err)
	}
	abi, err := inspectABI(compiled, e.provided)
	if err != nil {
		return nil, err
	}
	m := &Module{name: name, runtime: r, compiled: compiled, abi: abi, limits: limits.withDefaults(), interruptible: interruptible}
	if m.mode, err = abi.modeFor(mode); err != nil {
		return nil, err
	}
	if mem := compiled.ExportedMemories()[exportMemory]; mem.Min() > m.limits.MemoryPages {
		return nil, fmt.Errorf("%w: the module starts with %d pages, the cap is %d", ErrMemoryLimit, mem.Min(), m.limits.MemoryPages)
	}
	return m, nil
}

// checkedRuntime returns the runtime with wazero's termination checks, starting it.
func (e *engine) checkedRuntime(ctx context.Context) (wazero.Runtime, error) {
	if e.checked == nil {
		r := wazero.NewRuntimeWithConfig(ctx, e.cfg.WithCloseOnContextDone(true))
		if _, err := instantiateImports(ctx, r); err != nil {
			r.Close(ctx)
			return nil, err
		}
		e.checked = r
	}
	return e.checked, nil
}

// close closes both runtimes.
func (e *engine) close(ctx context.Context) error {
	var err error
	for _, r := range []wazero.Runtime{e.fast, e.checked} {
		if r != nil {
			if cerr := r.Close(ctx); err == nil {
				err = cerr
			}
		}
	}
	return err
}

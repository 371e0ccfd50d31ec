package wasm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Host runs the executors of one configuration: every module compiled once at load (see
// engine), a pool of instances per module and a watchdog for deadlines. It is a
// policy.Executors.
type Host struct {
	engine   *engine
	cache    wazero.CompilationCache
	modules  map[string]*Module
	stop     chan struct{}
	watching sync.WaitGroup
	once     sync.Once
}

// New compiles and instantiates every configured module. It fails, naming the module, on a
// sha256 mismatch, a module that breaks ABI v1 or imports what the host does not provide, or
// one that cannot be instantiated within its limits.
func New(ctx context.Context, cfg Config) (*Host, error) {
	maxPages := uint32(DefaultMemoryPages)
	seen := make(map[string]bool, len(cfg.Modules))
	for _, mc := range cfg.Modules {
		if err := mc.validate(); err != nil {
			return nil, err
		}
		if seen[mc.Name] {
			return nil, fmt.Errorf("wasm: module %q declared twice", mc.Name)
		}
		seen[mc.Name] = true
		maxPages = max(maxPages, mc.Limits.withDefaults().MemoryPages)
	}
	h := &Host{modules: make(map[string]*Module, len(cfg.Modules)), stop: make(chan struct{})}
	if cfg.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("wasm: compilation cache %s: %w", cfg.CacheDir, err)
		}
		h.cache = cache
	}
	e, err := newEngine(ctx, maxPages, h.cache)
	if err != nil {
		h.Close(ctx)
		return nil, err
	}
	e.checkedOnly = cfg.checkedOnly
	h.engine = e
	for _, mc := range cfg.Modules {
		m, err := loadModule(ctx, e, mc, cfg)
		if err != nil {
			h.Close(ctx)
			return nil, err
		}
		h.modules[mc.Name] = m
	}
	interval := cfg.WatchInterval
	if interval <= 0 {
		interval = 5 * time.Millisecond
	}
	h.watching.Add(1)
	go h.watch(interval)
	return h, nil
}

// instantiateImports registers the host module and WASI, and returns every function a module
// may import, by module and name.
func instantiateImports(ctx context.Context, r wazero.Runtime) (map[string]map[string]bool, error) {
	fd, err := instantiateHostModule(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("wasm: host module: %w", err)
	}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {
		return nil, fmt.Errorf("wasm: wasi: %w", err)
	}
	provided := map[string]map[string]bool{}
	for _, mod := range []api.Module{fd, r.Module(wasi_snapshot_preview1.ModuleName)} {
		names := map[string]bool{}
		for name := range mod.ExportedFunctionDefinitions() {
			names[name] = true
		}
		provided[mod.Name()] = names
	}
	return provided, nil
}

// loadModule reads, checks, compiles and instantiates one module.
func loadModule(ctx context.Context, e *engine, mc ModuleConfig, cfg Config) (*Module, error) {
	code := mc.Bytes
	if code == nil {
		b, err := os.ReadFile(mc.Path)
		if err != nil {
			return nil, fmt.Errorf("wasm: module %q: %w", mc.Name, err)
		}
		code = b
	}
	sum := sha256.Sum256(code)
	got := hex.EncodeToString(sum[:])
	if !strings.EqualFold(got, strings.TrimPrefix(mc.SHA256, "sha256:")) {
		return nil, fmt.Errorf("%w: module %q (%s): pinned %s, file has %s", ErrChecksum, mc.Name, mc.Path, mc.SHA256, got)
	}
	m, err := e.compile(ctx, mc.Name, code, mc.Mode, mc.Limits)
	if err != nil {
		return nil, fmt.Errorf("wasm: module %q (%s): %w", mc.Name, mc.Path, err)
	}
	m.sha256, m.maxCalls, m.logger = got, mc.MaxCalls, cfg.Logger
	if m.pool, err = newPool(ctx, m, mc.poolSize()); err != nil {
		return nil, fmt.Errorf("wasm: module %q (%s): %w", mc.Name, mc.Path, err)
	}
	return m, nil
}

// watch stops calls that ran past their deadline, until the host closes.
func (h *Host) watch(interval time.Duration) {
	defer h.watching.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			for _, m := range h.modules {
				m.pool.expire(now)
			}
		}
	}
}

// Executor returns the named executor; *Host is a policy.Executors.
func (h *Host) Executor(name string) (policy.Executor, bool) {
	m, ok := h.modules[name]
	if !ok {
		return nil, false
	}
	return m, true
}

// Module returns the named module.
func (h *Host) Module(name string) (*Module, bool) {
	m, ok := h.modules[name]
	return m, ok
}

// Names returns the executors' names, sorted.
func (h *Host) Names() []string {
	names := make([]string, 0, len(h.modules))
	for n := range h.modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Close stops the watchdog, closes every instance and the runtime, and flushes the
// compilation cache.
func (h *Host) Close(ctx context.Context) error {
	var err error
	h.once.Do(func() {
		if h.stop != nil {
			close(h.stop)
			h.watching.Wait()
		}
		for _, m := range h.modules {
			m.pool.close(ctx)
		}
		if h.engine != nil {
			err = h.engine.close(ctx)
		}
		if h.cache != nil {
			if cerr := h.cache.Close(ctx); err == nil {
				err = cerr
			}
		}
	})
	return err
}

var _ policy.Executors = (*Host)(nil)

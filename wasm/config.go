package wasm

import (
	"fmt"
	"log/slog"
	"runtime"
	"time"
)

// Mode is the way a module takes its input (see ABI.md).
type Mode string

// The ways in. ModeAuto takes typed when the module exports frontdesk_run, else JSON.
const (
	ModeAuto  Mode = ""
	ModeTyped Mode = "typed"
	ModeJSON  Mode = "json"
)

// Limits bound one call of an executor. Zero fields take the defaults below.
type Limits struct {
	// Timeout is the most one call may run, host functions such as hydrate included.
	Timeout time.Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	// MemoryPages caps the instance's linear memory, in 64 KiB pages.
	MemoryPages uint32 `yaml:"memory_pages,omitempty" json:"memory_pages,omitempty"`
	// MaxOutputBytes caps the answer: branch, variable names and values, or the JSON answer.
	MaxOutputBytes int `yaml:"max_output_bytes,omitempty" json:"max_output_bytes,omitempty"`
	// MaxLogBytes caps what one call may log, stdout and stderr included; the rest is dropped.
	MaxLogBytes int `yaml:"max_log_bytes,omitempty" json:"max_log_bytes,omitempty"`
}

// Defaults of Limits.
const (
	DefaultTimeout        = 100 * time.Millisecond
	DefaultMemoryPages    = 512 // 32 MiB: a Go wasip1 guest starts near 2 MiB
	DefaultMaxOutputBytes = 64 << 10
	DefaultMaxLogBytes    = 16 << 10
)

// withDefaults fills zero fields.
func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MemoryPages == 0 {
		l.MemoryPages = DefaultMemoryPages
	}
	if l.MaxOutputBytes <= 0 {
		l.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if l.MaxLogBytes <= 0 {
		l.MaxLogBytes = DefaultMaxLogBytes
	}
	return l
}

// ModuleConfig declares one executor.
type ModuleConfig struct {
	// Name is what policies call the executor (`executor: NAME`, `do: executor.NAME`).
	Name string `yaml:"name" json:"name"`
	// Path is the .wasm file. Bytes, when set, is used instead and Path only names it.
	Path  string `yaml:"path" json:"path"`
	Bytes []byte `yaml:"-" json:"-"`
	// SHA256 pins the module's bytes (hex); a mismatch fails the load.
	SHA256 string `yaml:"sha256" json:"sha256"`
	// PoolSize is how many instances are kept ready; zero means GOMAXPROCS.
	PoolSize int `yaml:"pool_size,omitempty" json:"pool_size,omitempty"`
	// MaxCalls retires an instance after this many calls, bounding how long anything a guest
	// keeps in memory can outlive the call that left it; 1 gives every call a fresh instance.
	// Zero keeps instances until they fail.
	MaxCalls int `yaml:"max_calls,omitempty" json:"max_calls,omitempty"`
	// Mode forces a way in when the module offers both.
	Mode Mode `yaml:"mode,omitempty" json:"mode,omitempty"`
	// Limits bound each call.
	Limits `yaml:",inline" json:",inline"`
}

// Config configures a Host.
type Config struct {
	// Modules are compiled and instantiated by New.
	Modules []ModuleConfig
	// CacheDir, when set, keeps compiled machine code on disk across restarts.
	CacheDir string
	// Logger receives the executors' log lines and stdout/stderr; nil discards them.
	Logger *slog.Logger
	// WatchInterval is how often running calls are checked against their deadlines; a call is
	// stopped at most this long after its deadline. Zero means 5 ms.
	WatchInterval time.Duration

	// checkedOnly runs every module under wazero's WithCloseOnContextDone, as if none could
	// be instrumented. Only BenchmarkExecutorDecide sets it, to compare the two ways to stop
	// a call.
	checkedOnly bool
}

// poolSize returns the configured pool size or the default.
func (m ModuleConfig) poolSize() int {
	if m.PoolSize > 0 {
		return m.PoolSize
	}
	return runtime.GOMAXPROCS(0)
}

// validate checks what can be checked without the module's bytes.
func (m ModuleConfig) validate() error {
	switch {
	case m.Name == "":
		return fmt.Errorf("wasm: module %q: name missing", m.Path)
	case m.Path == "" && m.Bytes == nil:
		return fmt.Errorf("wasm: module %q: path missing", m.Name)
	case m.SHA256 == "":
		return fmt.Errorf("wasm: module %q: sha256 pin missing", m.Name)
	case m.Mode != ModeAuto && m.Mode != ModeTyped && m.Mode != ModeJSON:
		return fmt.Errorf("wasm: module %q: mode %q is not typed or json", m.Name, m.Mode)
	case m.PoolSize < 0 || m.MaxCalls < 0:
		return fmt.Errorf("wasm: module %q: pool_size and max_calls may not be negative", m.Name)
	}
	return nil
}

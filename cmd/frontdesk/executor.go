package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tetratelabs/wazero"

	"github.com/frontdeskhq/frontdesk/wasm"
)

// newExecutorCmd is the executor playground: run a module once, or measure it.
func newExecutorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "executor",
		Short: "Run and measure WebAssembly executors (the playground)",
		Long: `The executor playground runs a WebAssembly executor (ABI v1, see wasm/ABI.md) outside any
policy. The input file is the executor's JSON input as a policy run would build it:

  {"policy": "...", "node": "...", "channel": "...", "input": {...}, "vars": {...},
   "data": {"fee": 7.5, "minutes_since_booking": 3, "driver_late": false},
   "hydrations": {"transactions": [...]}}

"data" holds the values a node's selector would select; "hydrations" answer the executor's
hydrate calls. Compiled modules are cached (--cache), so only the first run compiles.`,
	}
	cmd.AddCommand(newExecutorRunCmd(), newExecutorBenchCmd())
	return cmd
}

// playgroundFlags are the flags run and bench share.
type playgroundFlags struct {
	input  string
	mode   string
	cache  string
	limits wasm.Limits
}

func (p *playgroundFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&p.input, "input", "", "JSON input file (required)")
	f.StringVar(&p.mode, "mode", "", "way in when the module offers both: typed or json")
	f.StringVar(&p.cache, "cache", defaultCacheDir(), "directory for compiled modules (empty: no cache)")
	f.DurationVar(&p.limits.Timeout, "timeout", wasm.DefaultTimeout, "deadline of one call")
	f.Uint32Var(&p.limits.MemoryPages, "memory-pages", wasm.DefaultMemoryPages, "memory cap in 64 KiB pages")
	f.IntVar(&p.limits.MaxOutputBytes, "max-output", wasm.DefaultMaxOutputBytes, "output cap in bytes")
	f.IntVar(&p.limits.MaxLogBytes, "max-log", wasm.DefaultMaxLogBytes, "log cap per call in bytes")
}

// read loads the module and the input file.
func (p *playgroundFlags) read(module string) (code, input []byte, err error) {
	if p.input == "" {
		return nil, nil, fmt.Errorf("--input FILE.json is required")
	}
	if p.mode != "" && p.mode != string(wasm.ModeTyped) && p.mode != string(wasm.ModeJSON) {
		return nil, nil, fmt.Errorf("--mode %q: want typed or json", p.mode)
	}
	if code, err = os.ReadFile(module); err != nil {
		return nil, nil, err
	}
	if input, err = os.ReadFile(p.input); err != nil {
		return nil, nil, err
	}
	if _, err := wasm.DecodeInput(input); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p.input, err)
	}
	return code, input, nil
}

// defaultCacheDir is the user's cache folder for compiled modules.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "frontdesk", "wasm")
}

func newExecutorRunCmd() *cobra.Command {
	var p playgroundFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "run MODULE.wasm --input FILE.json",
		Short: "Call an executor once and print its answer, logs, memory and time",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code, input, err := p.read(args[0])
			if err != nil {
				return err
			}
			opts := wasm.RunOptions{Limits: p.limits, Mode: wasm.Mode(p.mode)}
			if p.cache != "" {
				cache, err := wazero.NewCompilationCacheWithDir(p.cache)
				if err != nil {
					return fmt.Errorf("--cache %s: %w", p.cache, err)
				}
				defer cache.Close(context.Background())
				opts.Cache = cache
			}
			rep, err := wasm.RunOnce(cmd.Context(), code, input, opts)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printReport(out, args[0], code, rep)
			}
			if rep.Error != "" {
				return exitError{code: 1}
			}
			return nil
		},
	}
	p.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// printReport writes a run's report for people.
func printReport(w io.Writer, module string, code []byte, rep wasm.Report) {
	sum := sha256.Sum256(code)
	fmt.Fprintf(w, "module   %s (%d KiB, sha256 %s, %s way)\n", module, len(code)>>10, hex.EncodeToString(sum[:]), rep.Mode)
	if rep.Error != "" {
		fmt.Fprintf(w, "error    %s\n", rep.Error)
	} else {
		fmt.Fprintf(w, "branch   %q\n", rep.Branch)
		names := make([]string, 0, len(rep.Vars))
		for n := range rep.Vars {
			names = append(names, n)
		}
		sort.Strings(names)
		label := "vars"
		for _, n := range names {
			v, _ := json.Marshal(rep.Vars[n])
			fmt.Fprintf(w, "%-8s %s = %s\n", label, n, v)
			label = ""
		}
	}
	if len(rep.Logs) == 0 {
		fmt.Fprintf(w, "logs     (none)\n")
	}
	for i, l := range rep.Logs {
		label := ""
		if i == 0 {
			label = "logs"
		}
		fmt.Fprintf(w, "%-8s [%s %s] %s\n", label, l.Source, l.Level, strings.TrimRight(l.Message, "\n"))
	}
	fmt.Fprintf(w, "memory   %d KiB (%d pages)\n", rep.MemoryBytes>>10, rep.MemoryBytes>>16)
	fmt.Fprintf(w, "time     call %v, instantiate %v, compile %v\n", rep.Call, rep.Instantiate, rep.Compile)
}

func newExecutorBenchCmd() *cobra.Command {
	var p playgroundFlags
	var opts wasm.BenchOptions
	var pool int
	var svg string
	cmd := &cobra.Command{
		Use:   "bench MODULE.wasm --input FILE.json",
		Short: "Call an executor repeatedly and print calls/s and latency percentiles",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code, input, err := p.read(args[0])
			if err != nil {
				return err
			}
			in, _ := wasm.DecodeInput(input) // checked by read
			if pool <= 0 {
				pool = max(1, opts.Concurrency)
			}
			sum := sha256.Sum256(code)
			ctx := cmd.Context()
			errw := cmd.ErrOrStderr()
			fmt.Fprintf(errw, "compiling %s and starting %d instances...\n", args[0], pool)
			host, err := wasm.New(ctx, wasm.Config{CacheDir: p.cache, Modules: []wasm.ModuleConfig{{
				Name: "bench", Path: args[0], Bytes: code, SHA256: hex.EncodeToString(sum[:]),
				PoolSize: pool, Mode: wasm.Mode(p.mode), Limits: p.limits,
			}}})
			if err != nil {
				return err
			}
			defer host.Close(context.Background())
			ex, _ := host.Executor("bench")
			opts.Progress = func(calls int, elapsed time.Duration) {
				fmt.Fprintf(errw, "  %v: %d calls\n", elapsed.Round(time.Second), calls)
			}
			res, err := wasm.Benchmark(ctx, ex, in.Request(), opts)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "module       %s (%s way, pool %d, %d goroutines)\n", args[0], mustMode(host), pool, res.Concurrency)
			fmt.Fprintf(out, "calls        %d in %v (%d failed)\n", res.Calls, res.Elapsed.Round(time.Millisecond), res.Errors)
			fmt.Fprintf(out, "throughput   %.0f calls/s\n", res.CallsPerSecond())
			fmt.Fprintf(out, "latency      p50 %v  p90 %v  p99 %v  max %v\n",
				res.Percentile(50), res.Percentile(90), res.Percentile(99), res.Percentile(100))
			if res.FirstError != "" {
				fmt.Fprintf(out, "first error  %s\n", res.FirstError)
			}
			if svg != "" {
				f, err := os.Create(svg)
				if err != nil {
					return err
				}
				if err := res.WriteSVG(f, filepath.Base(args[0])); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(out, "histogram    %s\n", svg)
			}
			return nil
		},
	}
	p.register(cmd)
	f := cmd.Flags()
	f.DurationVar(&opts.Duration, "duration", 2*time.Second, "how long to call")
	f.IntVar(&opts.Concurrency, "concurrency", 1, "goroutines calling at once")
	f.IntVar(&pool, "pool", 0, "instances in the pool (default: --concurrency)")
	f.StringVar(&svg, "svg", "", "write a latency histogram to this SVG file")
	return cmd
}

// mustMode returns the way in of the benchmarked module.
func mustMode(h *wasm.Host) wasm.Mode {
	m, _ := h.Module("bench")
	return m.Mode()
}

package wasm

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// BenchOptions configure Benchmark.
type BenchOptions struct {
	// Duration is how long to call; zero means 2 s.
	Duration time.Duration
	// Concurrency is how many goroutines call at once; zero means 1.
	Concurrency int
	// Progress, when set, is called about once a second with the calls so far.
	Progress func(calls int, elapsed time.Duration)
}

// BenchResult is what Benchmark measured.
type BenchResult struct {
	Calls       int           `json:"calls"`
	Errors      int           `json:"errors"`
	FirstError  string        `json:"first_error,omitempty"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	Concurrency int           `json:"concurrency"`
	// Latencies of the successful calls, sorted.
	Latencies []time.Duration `json:"-"`
}

// CallsPerSecond is the throughput.
func (r BenchResult) CallsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Calls) / r.Elapsed.Seconds()
}

// Percentile returns the latency at p (0 to 100) of the successful calls.
func (r BenchResult) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.Latencies)-1))
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// Benchmark calls an executor with one request from Concurrency goroutines for Duration and
// records every call's latency.
func Benchmark(ctx context.Context, ex policy.Executor, req policy.ExecRequest, opts BenchOptions) (BenchResult, error) {
	if opts.Duration <= 0 {
		opts.Duration = 2 * time.Second
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	// One call first: a module that cannot answer fails fast instead of for the duration.
	if _, err := ex.Execute(ctx, req); err != nil {
		return BenchResult{}, err
	}
	type worker struct {
		lat      []time.Duration
		n, errs  int
		firstErr error
	}
	workers := make([]worker, opts.Concurrency)
	start := time.Now()
	stop := start.Add(opts.Duration)
	var wg sync.WaitGroup
	var mu sync.Mutex
	calls := 0
	for w := range workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for ctx.Err() == nil {
				t := time.Now()
				if !t.Before(stop) {
					return
				}
				_, err := ex.Execute(ctx, req)
				d := time.Since(t)
				if err != nil {
					w.errs++
					if w.firstErr == nil {
						w.firstErr = err
					}
				} else {
					w.lat = append(w.lat, d)
				}
				if w.n++; w.n%1024 == 0 { // batched, so progress costs the calls nothing
					mu.Lock()
					calls += 1024
					mu.Unlock()
				}
			}
		}(&workers[w])
	}
	if opts.Progress != nil {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		tick := time.NewTicker(time.Second)
	loop:
		for {
			select {
			case <-done:
				break loop
			case <-tick.C:
				mu.Lock()
				n := calls
				mu.Unlock()
				opts.Progress(n, time.Since(start))
			}
		}
		tick.Stop()
	}
	wg.Wait()
	res := BenchResult{Elapsed: time.Since(start), Concurrency: opts.Concurrency}
	for _, w := range workers {
		res.Latencies = append(res.Latencies, w.lat...)
		res.Errors += w.errs
		if w.firstErr != nil && res.FirstError == "" {
			res.FirstError = w.firstErr.Error()
		}
	}
	slices.Sort(res.Latencies)
	res.Calls = len(res.Latencies) + res.Errors
	if ctx.Err() != nil {
		return res, fmt.Errorf("benchmark interrupted: %w", ctx.Err())
	}
	return res, nil
}

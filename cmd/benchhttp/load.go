package main

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// request describes the i-th request of a case; ok is false when the case has no more
// (follow-up turns run out of waiting flows).
type request func(i int64) (method, uri string, body []byte, ok bool)

// load sends one case's requests to one server and checks each answer's status.
type load struct {
	client *fasthttp.HostClient
	next   request
	status int
}

func newLoad(addr string, conns int, status int, next request) *load {
	return &load{client: &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second}, next: next, status: status}
}

// errExhausted stops a run whose case has no more requests.
var errExhausted = errors.New("no more requests")

// do sends request i and fails on a transport error or an unexpected status.
func (l *load) do(i int64, req *fasthttp.Request, resp *fasthttp.Response) error {
	method, uri, body, ok := l.next(i)
	if !ok {
		return errExhausted
	}
	req.Reset()
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.Header.Set("Authorization", "Bearer "+benchToken)
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	if err := l.client.Do(req, resp); err != nil {
		return err
	}
	if resp.StatusCode() != l.status {
		return fmt.Errorf("%s %s answered %d, want %d: %s", method, uri, resp.StatusCode(), l.status, resp.Body())
	}
	return nil
}

// throughput runs conns closed-loop clients for d and returns the requests per second
// answered as expected, and the process's CPU time per request (server and clients
// together). A case that runs out of requests ends the run early; the rate is over the time
// it ran.
func (l *load) throughput(conns int, d time.Duration) (float64, time.Duration, error) {
	var issued, done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(d)
	for range conns {
		wg.Add(1)
		go client(&wg, func(req *fasthttp.Request, resp *fasthttp.Response) {
			for time.Now().Before(deadline) {
				err := l.do(issued.Add(1)-1, req, resp)
				if errors.Is(err, errExhausted) {
					return
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, firstErr
	}
	n := done.Load()
	if n == 0 {
		return 0, 0, errors.New("no request was answered")
	}
	// Clients that run out of requests all stop within a request of each other.
	return float64(n) / time.Since(start).Seconds(), (cpuTime() - cpu0) / time.Duration(n), nil
}

// latencies sends requests at a fixed rate for d, open loop: each request is due at its
// scheduled time and its latency counts from then, so a slow answer that delays the next
// ones is counted against them too. It returns the 50th and 99th percentiles.
func (l *load) latencies(rate int, d time.Duration, workers int) (p50, p99 time.Duration, err error) {
	total := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	type job struct {
		i   int64
		due time.Time
	}
	jobs := make(chan job, total)
	samples := make([]time.Duration, 0, total)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go client(&wg, func(req *fasthttp.Request, resp *fasthttp.Response) {
			for j := range jobs {
				err := l.do(j.i, req, resp)
				took := time.Since(j.due)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				samples = append(samples, took)
				mu.Unlock()
			}
		})
	}
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		jobs <- job{i: int64(i), due: due}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return 0, 0, firstErr
	}
	slices.Sort(samples)
	return percentile(samples, 50), percentile(samples, 99), nil
}

// client runs one load client with its own request and response, then marks wg done.
func client(wg *sync.WaitGroup, run func(req *fasthttp.Request, resp *fasthttp.Response)) {
	defer wg.Done()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	run(req, resp)
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

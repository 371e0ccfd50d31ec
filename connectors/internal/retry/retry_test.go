package retry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers the statuses in order, then 200, counting the calls.
func scripted(t *testing.T, header http.Header, statuses ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		for k, v := range header {
			w.Header()[k] = v
		}
		if n <= len(statuses) {
			w.WriteHeader(statuses[n-1])
			w.Write([]byte(`{"error":"scripted"}`))
			return
		}
		w.Write([]byte(`ok`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func get(url string) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}
}

var fast = Policy{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Second}

func TestDo(t *testing.T) {
	for _, tc := range []struct {
		name       string
		statuses   []int
		wantStatus int
		wantCalls  int32
	}{
		{"success at once", nil, 200, 1},
		{"500 then success", []int{500}, 200, 2},
		{"502 and 503 then success", []int{502, 503}, 200, 3},
		{"500 exhausted", []int{500, 500, 500, 500}, 500, 3},
		{"400 not retried", []int{400}, 400, 1},
		{"404 not retried", []int{404}, 404, 1},
		{"429 retried", []int{429}, 200, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := scripted(t, nil, tc.statuses...)
			c := &Client{Policy: fast}
			resp, err := c.Do(context.Background(), get(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tc.wantStatus || calls.Load() != tc.wantCalls || resp.Attempts != int(tc.wantCalls) {
				t.Fatalf("status %d after %d calls (attempts %d), want %d after %d", resp.Status, calls.Load(), resp.Attempts, tc.wantStatus, tc.wantCalls)
			}
		})
	}
}

func TestDoHonoursRetryAfter(t *testing.T) {
	srv, calls := scripted(t, http.Header{"Retry-After": {"1"}}, 429)
	c := &Client{Policy: fast}
	start := time.Now()
	resp, err := c.Do(context.Background(), get(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || calls.Load() != 2 {
		t.Fatalf("status %d after %d calls", resp.Status, calls.Load())
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %v, Retry-After asked for 1s", waited)
	}
}

func TestDoGivesUpWhenRetryAfterOutlivesDeadline(t *testing.T) {
	srv, calls := scripted(t, http.Header{"Retry-After": {"3"}}, 429)
	c := &Client{Policy: fast}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := c.Do(ctx, get(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 429 || calls.Load() != 1 {
		t.Fatalf("status %d after %d calls, want the 429 at once", resp.Status, calls.Load())
	}
}

func TestDoGivesUpWhenRetryAfterOverMax(t *testing.T) {
	srv, calls := scripted(t, http.Header{"Retry-After": {"3600"}}, 429)
	c := &Client{Policy: fast}
	resp, err := c.Do(context.Background(), get(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 429 || calls.Load() != 1 {
		t.Fatalf("status %d after %d calls, want the 429 at once", resp.Status, calls.Load())
	}
}

func TestDoTransportErrorExhausted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := &Client{Policy: fast}
	_, err := c.Do(context.Background(), get(url))
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("err = %v, want one naming 3 attempts", err)
	}
}

func TestDoStopsAtContextEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := &Client{Policy: fast}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, get(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("did not stop at the deadline")
	}
}

func TestDoRejectsHugeBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, MaxBody+10))
	}))
	defer srv.Close()
	c := &Client{Policy: fast}
	if _, err := c.Do(context.Background(), get(srv.URL)); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v, want body too large", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Sat, 21 Nov 2026 18:00:30 GMT", 30 * time.Second, true},
		{"Sat, 21 Nov 2026 17:00:00 GMT", 0, true},
	} {
		got, ok := RetryAfter(http.Header{"Retry-After": {tc.in}}, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := Policy{Base: 100 * time.Millisecond, Max: time.Second}.withDefaults()
	for attempt, max := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 10: time.Second, 80: time.Second} {
		for range 20 {
			d := p.backoff(attempt)
			if d < max/2 || d > max {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", attempt, d, max/2, max)
			}
		}
	}
}

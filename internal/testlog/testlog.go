// Package testlog gives tests a *slog.Logger whose lines go to the test's own log: shown when
// the test fails (or with -v), so a failing end-to-end test says what the gateway saw.
package testlog

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// New returns a logger writing records at level and above to t.Log. Lines logged after the
// test's cleanups have run are dropped: background goroutines may outlive a test, and t.Log
// after the end panics.
func New(t testing.TB, level slog.Level) *slog.Logger {
	w := &writer{t: t}
	t.Cleanup(w.stop)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// writer forwards each write, one log record, to t.Log until stopped.
type writer struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *writer) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}

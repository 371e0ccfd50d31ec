package shadow

import (
	"context"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// blockedRuns holds every RecordRun until released, as a stuck database would.
type blockedRuns struct {
	store.Runs
	release chan struct{}
}

func (b blockedRuns) RecordRun(ctx context.Context, _ store.Run) error {
	select {
	case <-b.release:
	case <-ctx.Done():
	}
	return nil
}

const tinyPolicy = `policy: tiny
intents: [tiny]
start: done
nodes:
  done: { end: ok }
`

// TestOfferNeverBlocks fills the queue behind a stuck worker: offers past its size are
// dropped at once instead of waiting.
func TestOfferNeverBlocks(t *testing.T) {
	p, src, err := policy.Parse("tiny.yaml", []byte(tinyPolicy))
	if err != nil {
		t.Fatal(err)
	}
	c, err := policy.Compile(p, src, policy.Env{})
	if err != nil {
		t.Fatal(err)
	}
	runs := blockedRuns{release: make(chan struct{})}
	r := New(Config{Versions: func(string) (*policy.Compiled, bool) { return c, true }, Runs: runs, QueueSize: 4})
	defer r.Close()
	defer close(runs.release)
	start := time.Now()
	queued := 0
	for range 100 {
		if r.Offer(c, policy.Start{}, NewCapture(), "live") {
			queued++
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("100 offers took %s", took)
	}
	// One run is held by the worker, four wait in the queue.
	if _, dropped := r.Stats(); queued > 5 || dropped < 95 {
		t.Fatalf("queued %d, dropped %d", queued, dropped)
	}
	ctx, watch := r.Watch(context.Background(), c, &policy.Start{})
	if watch == nil || captureOf(ctx) == nil {
		t.Fatal("Watch of a policy with a shadow version captures nothing")
	}
}

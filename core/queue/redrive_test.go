package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/queue"
)

// redriver is a queue whose dead letters can be moved back.
type redriver interface {
	queue.Queue
	Redrive(ctx context.Context, topic string, limit int) (int, error)
}

// testRedrive dead-letters five messages on q (whose MaxDeliveries must be 1), fixes the
// handler and redrives them in two steps: each is handled once more.
func testRedrive(t *testing.T, q redriver) {
	ctx := context.Background()
	var mu sync.Mutex
	fixed := false
	handled := map[string]int{}
	err := q.Subscribe(ctx, "intake", func(_ context.Context, m queue.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if !fixed {
			return fmt.Errorf("backend down")
		}
		handled[string(m.Payload)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := q.Publish(ctx, "intake", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	waitStats(t, q, "intake", func(s queue.Stats) bool { return s.Dead == 5 })
	mu.Lock()
	fixed = true
	mu.Unlock()
	if n, err := q.Redrive(ctx, "intake", 3); err != nil || n != 3 {
		t.Fatalf("Redrive(3) = %d, %v", n, err)
	}
	if n, err := q.Redrive(ctx, "intake", 100); err != nil || n != 2 {
		t.Fatalf("Redrive(100) = %d, %v", n, err)
	}
	waitStats(t, q, "intake", func(s queue.Stats) bool { return s == queue.Stats{} })
	mu.Lock()
	defer mu.Unlock()
	if len(handled) != 5 {
		t.Fatalf("handled after redrive: %v", handled)
	}
	if _, err := q.Redrive(ctx, "intake", 0); err == nil {
		t.Fatal("Redrive with no limit accepted")
	}
}

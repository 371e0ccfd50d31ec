package queue_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// TestRedisStreamsSurvivesRedisRestart kills Redis with SIGKILL in the middle of a run and
// starts it again: the queue reconnects by itself, and every message whose Publish succeeded
// is handled.
func TestRedisStreamsSurvivesRedisRestart(t *testing.T) {
	srv := testservers.StartRedis(t, "--appendonly", "yes", "--appendfsync", "always")
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	q := queue.NewRedisStreams(c, queue.RedisOptions{
		ClaimIdle: time.Second, ClaimInterval: 200 * time.Millisecond, Block: 200 * time.Millisecond,
		Options: queue.Options{Backoff: func(int) time.Duration { return 50 * time.Millisecond }, MaxDeliveries: 100},
	})
	defer q.Close()
	ctx := context.Background()

	var mu sync.Mutex
	handled := map[string]int{}
	if err := q.Subscribe(ctx, "intake", func(_ context.Context, m queue.Message) error {
		mu.Lock()
		handled[string(m.Payload)]++
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	const n = 300
	accepted := map[string]bool{}
	for i := range n {
		payload := strconv.Itoa(i)
		if i == n/3 {
			srv.Kill()
			if _, err := q.Publish(ctx, "intake", []byte("while down")); err == nil {
				t.Fatal("Publish succeeded with Redis down")
			}
			time.Sleep(500 * time.Millisecond) // consumers see the outage
			srv.Start()
		}
		// A publisher that gets an error retries: the error may hide a write that happened,
		// which is why handlers are idempotent.
		deadline := time.Now().Add(15 * time.Second)
		for {
			if _, err := q.Publish(ctx, "intake", []byte(payload)); err == nil {
				accepted[payload] = true
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("Publish of %s failed for 15s after the restart", payload)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		missing := 0
		for p := range accepted {
			if handled[p] == 0 {
				missing++
			}
		}
		dups := 0
		for _, k := range handled {
			dups += k - 1
		}
		mu.Unlock()
		if missing == 0 {
			t.Logf("all %d accepted messages handled; %d handled twice (at least once)", len(accepted), dups)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d accepted messages never handled after the Redis restart", missing, len(accepted))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

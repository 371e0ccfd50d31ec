package queue_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/queue/queuetest"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// redisBackend connects to the test server and returns options with a prefix of this test's
// own (its keys are removed when it ends) and claim times short enough for tests.
func redisBackend(t testing.TB) (redis.UniversalClient, queue.RedisOptions) {
	opts, err := redis.ParseURL(testservers.URL(t, testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	prefix := fmt.Sprintf("test:%x:", rand.Uint64())
	t.Cleanup(func() {
		ctx := context.Background()
		if keys, _ := c.Keys(ctx, prefix+"*").Result(); len(keys) > 0 {
			c.Del(ctx, keys...)
		}
		c.Close()
	})
	return c, queue.RedisOptions{Prefix: prefix, ClaimIdle: 500 * time.Millisecond, ClaimInterval: 100 * time.Millisecond, Block: 200 * time.Millisecond}
}

func TestRedisStreamsConformance(t *testing.T) {
	testservers.URL(t, testservers.RedisEnv) // skip or fail once, not in every subtest
	queuetest.Run(t, func(t *testing.T, opts queue.Options) queue.Queue {
		c, ro := redisBackend(t)
		ro.Options = opts
		return queue.NewRedisStreams(c, ro)
	})
}

// TestRedisStreamsDeadConsumer leaves entries pending under a consumer that never acks, as a
// killed instance does, and checks that a live one takes them over after ClaimIdle.
func TestRedisStreamsDeadConsumer(t *testing.T) {
	c, ro := redisBackend(t)
	ctx := context.Background()
	q := queue.NewRedisStreams(c, ro)
	defer q.Close()
	for i := range 3 {
		if _, err := q.Publish(ctx, "intake", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	stream := ro.Prefix + "{intake}"
	if err := c.XGroupCreateMkStream(ctx, stream, "frontdesk", "0").Err(); err != nil {
		t.Fatal(err)
	}
	got, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "frontdesk", Consumer: "killed", Streams: []string{stream, ">"}, Count: 10}).Result()
	if err != nil || len(got[0].Messages) != 3 {
		t.Fatalf("the doomed consumer read %v, %v", got, err)
	}
	var mu sync.Mutex
	deliveries := map[string]int{}
	done := make(chan struct{})
	started := time.Now()
	err = q.Subscribe(ctx, "intake", func(_ context.Context, m queue.Message) error {
		mu.Lock()
		defer mu.Unlock()
		deliveries[string(m.Payload)] = m.Delivery
		if len(deliveries) == 3 {
			close(done)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("entries of the dead consumer not taken over: %v", deliveries)
	}
	if waited := time.Since(started); waited < ro.ClaimIdle/2 {
		t.Fatalf("taken over after %s, before ClaimIdle %s", waited, ro.ClaimIdle)
	}
	if fmt.Sprint(deliveries) != "map[0:2 1:2 2:2]" {
		t.Fatalf("deliveries = %v, want each on its second delivery", deliveries)
	}
	waitLen(t, c, stream, 0)
}

// TestRedisStreamsSlowHandlerKeepsEntry checks that a handler running longer than ClaimIdle
// keeps its entry: no second instance takes it over while it works.
func TestRedisStreamsSlowHandlerKeepsEntry(t *testing.T) {
	c, ro := redisBackend(t)
	// Touches come every ClaimIdle/3; a full second leaves room for a loaded machine.
	ro.ClaimIdle = time.Second
	ctx := context.Background()
	a, b := queue.NewRedisStreams(c, ro), queue.NewRedisStreams(c, ro)
	defer a.Close()
	defer b.Close()
	var mu sync.Mutex
	calls := 0
	done := make(chan struct{})
	slow := func(context.Context, queue.Message) error {
		mu.Lock()
		calls++
		mu.Unlock()
		time.Sleep(5 * ro.ClaimIdle / 2)
		close(done)
		return nil
	}
	if err := a.Subscribe(ctx, "intake", slow); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Publish(ctx, "intake", []byte("slow")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // a reads it first
	if err := b.Subscribe(ctx, "intake", slow); err != nil {
		t.Fatal(err)
	}
	<-done
	time.Sleep(ro.ClaimIdle)
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Fatalf("a slow handler's entry was delivered %d times", calls)
	}
}

// TestRedisStreamsInstancesCompete runs two queue instances on one group: every message is
// handled once, and both take part.
func TestRedisStreamsInstancesCompete(t *testing.T) {
	c, ro := redisBackend(t)
	ctx := context.Background()
	ro.Concurrency = 2
	const n = 200
	var mu sync.Mutex
	seen := map[string]int{}
	per := map[int]int{}
	done := make(chan struct{})
	for i := range 2 {
		q := queue.NewRedisStreams(c, ro)
		defer q.Close()
		err := q.Subscribe(ctx, "intake", func(_ context.Context, m queue.Message) error {
			time.Sleep(time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			seen[string(m.Payload)]++
			per[i]++
			if per[0]+per[1] == n {
				close(done)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pub := queue.NewRedisStreams(c, ro)
	defer pub.Close()
	for i := range n {
		if _, err := pub.Publish(ctx, "intake", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("handled %v of %d", per, n)
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != n || per[0]+per[1] != n || per[0] == 0 || per[1] == 0 {
		t.Fatalf("%d distinct in %d deliveries split %v", len(seen), per[0]+per[1], per)
	}
	waitLen(t, c, ro.Prefix+"{intake}", 0)
}

// waitLen waits for a stream to reach a length: acknowledged entries are deleted.
func waitLen(t *testing.T, c redis.UniversalClient, stream string, want int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := c.XLen(context.Background(), stream).Result()
		if err == nil && n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream %s holds %d entries (%v), want %d", stream, n, err, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func BenchmarkRedisStreams(b *testing.B) {
	runQueueBenchmarks(b, func(b *testing.B) queue.Queue {
		c, ro := redisBackend(b)
		ro.MaxLen = 1 << 30
		ro.Concurrency = 16
		return queue.NewRedisStreams(c, ro)
	})
}

// TestRedisStreamsPrunesExpiredConsumers checks that consumers silent past ConsumerExpiry with
// nothing pending leave the group, and that one with pending entries stays.
func TestRedisStreamsPrunesExpiredConsumers(t *testing.T) {
	c, ro := redisBackend(t)
	ctx := context.Background()
	ro.ConsumerExpiry = 300 * time.Millisecond
	ro.ClaimIdle = time.Hour // keep the pending entry where it is
	stream := ro.Prefix + "{intake}"
	if err := c.XGroupCreateMkStream(ctx, stream, "frontdesk", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.XGroupCreateConsumer(ctx, stream, "frontdesk", "gone").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"p", "x"}}).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "frontdesk", Consumer: "holding", Streams: []string{stream, ">"}}).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(ro.ConsumerExpiry)
	q := queue.NewRedisStreams(c, ro)
	defer q.Close()
	if err := q.Subscribe(ctx, "intake", func(context.Context, queue.Message) error { return nil }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		consumers, err := c.XInfoConsumers(ctx, stream, "frontdesk").Result()
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, x := range consumers {
			names[x.Name] = true
		}
		if !names["gone"] {
			if !names["holding"] {
				t.Fatal("a consumer with a pending entry was removed")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the expired consumer is still in the group: %v", names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRedisStreamsRedrive(t *testing.T) {
	c, ro := redisBackend(t)
	ro.MaxDeliveries = 1
	q := queue.NewRedisStreams(c, ro)
	defer q.Close()
	testRedrive(t, q)
}

package broadcast_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/broadcast"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// conformance checks what every bus promises: every subscriber of a topic, on any instance,
// gets a change published after it subscribed; other topics' subscribers do not.
func conformance(t *testing.T, instances []broadcast.Bus) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan string, 16)
	for i, bus := range instances {
		if err := bus.Subscribe(ctx, "model", func(p []byte) { got <- fmt.Sprintf("%d:%s", i, p) }); err != nil {
			t.Fatal(err)
		}
		if err := bus.Subscribe(ctx, "policies", func(p []byte) { got <- fmt.Sprintf("%d:policies", i) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := instances[0].Publish(ctx, "model", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for i := range instances {
		want[fmt.Sprintf("%d:v2", i)] = true
	}
	deadline := time.After(5 * time.Second)
	for len(want) > 0 {
		select {
		case g := <-got:
			if !want[g] {
				t.Fatalf("unexpected delivery %q", g)
			}
			delete(want, g)
		case <-deadline:
			t.Fatalf("not delivered: %v", want)
		}
	}
	select {
	case g := <-got:
		t.Fatalf("unexpected delivery %q", g)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestMemory(t *testing.T) {
	bus := broadcast.NewMemory()
	defer bus.Close()
	conformance(t, []broadcast.Bus{bus})
}

func redisBus(t *testing.T, prefix string) *broadcast.Redis {
	opts, err := redis.ParseURL(testservers.URL(t, testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	bus := broadcast.NewRedis(c, prefix, slog.New(slog.NewTextHandler(io.Discard, nil)))
	bus.PollInterval = 50 * time.Millisecond
	t.Cleanup(func() {
		bus.Close()
		keys, _ := c.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
		c.Close()
	})
	return bus
}

func TestRedisReachesEveryInstance(t *testing.T) {
	prefix := fmt.Sprintf("test:%x:", rand.Uint64())
	conformance(t, []broadcast.Bus{redisBus(t, prefix), redisBus(t, prefix), redisBus(t, prefix)})
}

// TestRedisCatchesUpOnMissedMessages publishes behind the pub/sub channel's back (as if the
// subscriber's connection was down when the message went out): the sequence poll delivers it.
func TestRedisCatchesUpOnMissedMessages(t *testing.T) {
	prefix := fmt.Sprintf("test:%x:", rand.Uint64())
	bus := redisBus(t, prefix)
	got := make(chan string, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := bus.Subscribe(ctx, "model", func(p []byte) { got <- string(p) }); err != nil {
		t.Fatal(err)
	}
	opts, _ := redis.ParseURL(testservers.URL(t, testservers.RedisEnv))
	c := redis.NewClient(opts)
	defer c.Close()
	ch := prefix + "broadcast:model"
	c.Set(ctx, ch+":payload", "missed", 0)
	c.Incr(ctx, ch+":seq")
	select {
	case p := <-got:
		if p != "missed" {
			t.Fatalf("payload %q", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a change published while the subscriber was away never arrived")
	}
}

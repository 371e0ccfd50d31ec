package queue_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// Environment of the consumer processes TestRedisStreamsConsumerKilled starts.
const (
	helperEnv       = "FRONTDESK_QUEUE_HELPER_PREFIX"
	helperClaimIdle = time.Second
	helperWorkers   = 4
)

// TestRedisStreamsHelperProcess is not a test: run by TestRedisStreamsConsumerKilled in a
// process of its own, it consumes the topic and counts each handling in a Redis hash, until
// it is killed.
func TestRedisStreamsHelperProcess(t *testing.T) {
	prefix := os.Getenv(helperEnv)
	if prefix == "" {
		t.Skip("runs only as a helper process")
	}
	opts, err := redis.ParseURL(os.Getenv(testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	q := queue.NewRedisStreams(c, queue.RedisOptions{
		Prefix: prefix, ClaimIdle: helperClaimIdle, ClaimInterval: 100 * time.Millisecond, Block: 200 * time.Millisecond,
		Options: queue.Options{Concurrency: helperWorkers},
	})
	err = q.Subscribe(context.Background(), "intake", func(ctx context.Context, m queue.Message) error {
		time.Sleep(5 * time.Millisecond) // the work; a kill lands in the middle of some
		if m.Delivery > 1 {
			c.Incr(ctx, prefix+"redelivered")
		}
		return c.HIncrBy(ctx, prefix+"handled", string(m.Payload), 1).Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Minute) // the parent kills it long before
}

// TestRedisStreamsConsumerKilled runs three consumer processes on one topic and kills one with
// SIGKILL, twice, while they work: every message is handled, and only messages in flight in a
// killed process are handled twice.
func TestRedisStreamsConsumerKilled(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside a helper process")
	}
	c, ro := redisBackend(t)
	ctx := context.Background()
	q := queue.NewRedisStreams(c, ro)
	defer q.Close()
	const n = 2000
	for i := range n {
		if _, err := q.Publish(ctx, "intake", []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRedisStreamsHelperProcess$")
		cmd.Env = append(os.Environ(), helperEnv+"="+ro.Prefix)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	procs := []*exec.Cmd{start(), start(), start()}
	t.Cleanup(func() {
		for _, p := range procs {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
	})
	handled := func() int64 {
		v, err := c.HLen(ctx, ro.Prefix+"handled").Result()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	deadline := time.Now().Add(90 * time.Second)
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d of %d messages handled", what, handled(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	kills := 0
	for i, at := range []int64{n / 4, n / 2} {
		waitFor("before a kill", func() bool { return handled() >= at })
		if err := procs[i].Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = procs[i].Wait()
		kills++
		procs[i] = start()
	}
	waitFor("after the kills", func() bool { return handled() == n })
	counts, err := c.HVals(ctx, ro.Prefix+"handled").Result()
	if err != nil {
		t.Fatal(err)
	}
	twice := 0
	for _, v := range counts {
		k, _ := strconv.Atoi(v)
		twice += k - 1
	}
	redelivered, _ := c.Get(ctx, ro.Prefix+"redelivered").Int()
	t.Logf("%d messages handled by 3 processes with %d killed; %d taken over from killed ones, %d handled twice", n, kills, redelivered, twice)
	if redelivered == 0 {
		t.Fatal("no message left in flight by a killed process was delivered again")
	}
	if twice > kills*helperWorkers {
		t.Fatalf("%d messages handled twice; at most the %d in flight in killed processes may be", twice, kills*helperWorkers)
	}
	waitStats(t, q, "intake", func(s queue.Stats) bool { return s == queue.Stats{} })
}

// waitStats waits for a topic's Stats to satisfy ok.
func waitStats(t *testing.T, q queue.Queue, topic string, ok func(queue.Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := q.Stats(context.Background(), topic)
		if err != nil {
			t.Fatal(err)
		}
		if ok(s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Stats stuck at %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

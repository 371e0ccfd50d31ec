package queue_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// redisProcess is a redis-server of the test's own, with an append-only file synced on every
// write, so that it can be killed and restarted without losing what it acknowledged.
type redisProcess struct {
	t    *testing.T
	port int
	dir  string
	cmd  *exec.Cmd
}

func startRedisProcess(t *testing.T) *redisProcess {
	testservers.URL(t, testservers.RedisEnv) // the same servers-or-skip rule as the other tests
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server not installed: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	p := &redisProcess{t: t, port: port, dir: t.TempDir()}
	p.start()
	t.Cleanup(p.kill)
	return p
}

func (p *redisProcess) start() {
	p.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", strconv.Itoa(p.port), "--dir", p.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--logfile", filepath.Join(p.dir, "redis.log"))
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: p.addr()})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			p.t.Fatal("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *redisProcess) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		p.cmd = nil
	}
}

func (p *redisProcess) addr() string { return fmt.Sprintf("127.0.0.1:%d", p.port) }

// TestRedisStreamsSurvivesRedisRestart kills Redis with SIGKILL in the middle of a run and
// starts it again: the queue reconnects by itself, and every message whose Publish succeeded
// is handled.
func TestRedisStreamsSurvivesRedisRestart(t *testing.T) {
	srv := startRedisProcess(t)
	c := redis.NewClient(&redis.Options{Addr: srv.addr(), DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
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
			srv.kill()
			go func() {
				time.Sleep(500 * time.Millisecond)
				srv.start()
			}()
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

package testservers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a redis-server process of one test's own, for tests that kill, restart or
// cluster servers. It runs where the shared test servers run (the same skip-or-fail rule).
type Redis struct {
	t    testing.TB
	Port int
	Dir  string
	args []string
	cmd  *exec.Cmd
}

// StartRedis starts redis-server on a free loopback port with extra arguments (such as
// "--appendonly", "yes"); the test's cleanup kills it.
func StartRedis(t testing.TB, args ...string) *Redis {
	t.Helper()
	URL(t, RedisEnv)
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server not installed (make test-servers installs it): %v", err)
	}
	r := &Redis{t: t, Port: freePort(t), Dir: t.TempDir(), args: args}
	r.Start()
	t.Cleanup(r.Kill)
	return r
}

// Addr is the server's host:port.
func (r *Redis) Addr() string { return "127.0.0.1:" + strconv.Itoa(r.Port) }

// Start starts the server (again, after Kill) and waits until it answers.
func (r *Redis) Start() {
	r.t.Helper()
	args := append([]string{"--bind", "127.0.0.1", "--port", strconv.Itoa(r.Port), "--dir", r.Dir,
		"--save", "", "--logfile", filepath.Join(r.Dir, "redis.log")}, r.args...)
	r.cmd = exec.Command("redis-server", args...)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	waitPing(r.t, r.Addr())
}

// Kill ends the server with SIGKILL, as a crash would.
func (r *Redis) Kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// StartRedisCluster starts a Redis Cluster of masters nodes (no replicas) and returns their
// addresses once every slot is served.
func StartRedisCluster(t testing.TB, masters int) []string {
	t.Helper()
	addrs := make([]string, masters)
	for i := range addrs {
		addrs[i] = StartRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--appendonly", "no").Addr()
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range addrs {
		waitFor(t, "cluster_state:ok on "+a, func() bool {
			c := redis.NewClient(&redis.Options{Addr: a})
			defer c.Close()
			info, err := c.ClusterInfo(context.Background()).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok")
		})
	}
	return addrs
}

// StartRedisSentinel starts a master and one Sentinel watching it under the name master, and
// returns the Sentinel's address.
func StartRedisSentinel(t testing.TB, master string) string {
	t.Helper()
	m := StartRedis(t)
	port := freePort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf") // Sentinel rewrites its file, so it is its own
	body := fmt.Sprintf("bind 127.0.0.1\nport %d\ndir %s\nlogfile %s\nsentinel monitor %s %s %d 1\n",
		port, dir, filepath.Join(dir, "sentinel.log"), master, "127.0.0.1", m.Port)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("redis-server", conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	waitFor(t, "sentinel knows the master", func() bool {
		c := redis.NewSentinelClient(&redis.Options{Addr: addr})
		defer c.Close()
		_, err := c.GetMasterAddrByName(context.Background(), master).Result()
		return err == nil
	})
	return addr
}

// freePort returns a loopback port that is free, and so is the port 10000 above it, which a
// Cluster node uses for its bus: ephemeral ports would put that past 65535.
func freePort(t testing.TB) int {
	t.Helper()
	for range 100 {
		p := 20000 + rand.IntN(10000)
		a, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		b, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return p
	}
	t.Fatal("no free loopback port pair found")
	return 0
}

func waitPing(t testing.TB, addr string) {
	t.Helper()
	waitFor(t, "redis-server on "+addr, func() bool {
		c := redis.NewClient(&redis.Options{Addr: addr})
		defer c.Close()
		return c.Ping(context.Background()).Err() == nil
	})
}

func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

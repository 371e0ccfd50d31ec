package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// cluster runs frontdesk serve processes of one configuration on loopback ports, for the
// multi-instance tests and benchmarks. The binaries are built into the test's folder, which
// is first on the processes' PATH, so a configuration names plugins as "frontdesk-local".
type cluster struct {
	t       testing.TB
	dir     string
	bin     string
	config  string
	localDB string
	mu      sync.Mutex
	procs   []*exec.Cmd
	addrs   []string
	up      []atomic.Bool
	// resumes counts web chats resumed on another connection after theirs broke.
	resumes atomic.Int32
}

// newCluster builds frontdesk and the local plugin and writes the configuration; start
// starts the instances.
func newCluster(t testing.TB, instances int, config string) *cluster {
	dir := t.TempDir()
	repotest.Build(t, dir, "./cmd/frontdesk-local")
	c := &cluster{t: t, dir: dir, bin: repotest.Build(t, dir, "./cmd/frontdesk"), localDB: filepath.Join(dir, "local.db"),
		procs: make([]*exec.Cmd, instances), addrs: make([]string, instances), up: make([]atomic.Bool, instances)}
	for i := range c.addrs {
		c.addrs[i] = freeAddr(t)
	}
	c.config = filepath.Join(dir, "frontdesk.yaml")
	if err := os.WriteFile(c.config, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := range c.procs {
			c.kill(i)
		}
		if t.Failed() {
			for i := range c.procs {
				out, _ := os.ReadFile(c.logFile(i))
				t.Logf("instance %d log (end):\n%s", i, tail(out, 3000))
			}
		}
	})
	return c
}

// sharedConfig is the state configuration of many instances: sessions in Redis, the store in
// PostgreSQL, one valet key.
func sharedConfig(redisAddr, pgURL string) string {
	return fmt.Sprintf(`session: { backend: redis, url: "redis://%s/0", prefix: "fd:" }
store: { driver: postgres, url: "%s" }
valet: { keys: ["cluster-test-valet-key-0123456789"] }
`, redisAddr, pgURL)
}

// startMark separates the processes of one instance in its log.
const startMark = "--- started ---\n"

func (c *cluster) logFile(i int) string {
	return filepath.Join(c.dir, fmt.Sprintf("instance-%d.log", i))
}

// start starts instance i and waits until /healthz answers.
func (c *cluster) start(i int) {
	c.t.Helper()
	logf, err := os.OpenFile(c.logFile(i), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := logf.WriteString(startMark); err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.bin, "serve", "--config", c.config, "--listen", c.addrs[i])
	cmd.Env = append(os.Environ(), local.EnvDB+"="+c.localDB, "PATH="+c.dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = logf, logf
	// A process group of its own: a kill takes the instance's plugin processes with it, as
	// the end of a container would.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { cmd.Wait(); logf.Close() }()
	c.mu.Lock()
	c.procs[i] = cmd
	c.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + c.addrs[i] + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				c.up[i].Store(true)
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := os.ReadFile(c.logFile(i))
	c.t.Fatalf("instance %d did not become ready:\n%s", i, tail(out, 3000))
}

// kill ends instance i and its plugins with SIGKILL.
func (c *cluster) kill(i int) {
	c.mu.Lock()
	cmd := c.procs[i]
	c.procs[i] = nil
	c.mu.Unlock()
	c.up[i].Store(false)
	if cmd != nil && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// cpuTime is the CPU time the instances' processes (not their plugins) have used so far.
func (c *cluster) cpuTime() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total time.Duration
	for _, cmd := range c.procs {
		if cmd == nil || cmd.Process == nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
		if err != nil {
			continue
		}
		// Fields 14 and 15 (utime, stime) in clock ticks, counted after the command's
		// parenthesized name, which may hold spaces: the 12th and 13th after it.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		total += time.Duration(utime+stime) * (time.Second / clockTicks)
	}
	return total
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every Linux of note.
const clockTicks = 100

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

package plugins

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPluginDiesWithHost kills a host process with SIGKILL, so it cannot Close, and checks
// that its plugin does not outlive it. The host is this test binary run again as
// TestHelperHost.
func TestPluginDiesWithHost(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHost$")
	cmd.Env = append(os.Environ(), "HELPER_HOST_PIDFILE="+pidFile, "HELPER_HOST_BIN="+bin)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(20 * time.Second); pid == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the helper host never started its plugin")
		}
		if data, err := os.ReadFile(pidFile); err == nil && len(data) > 0 {
			pid, _ = strconv.Atoi(string(data))
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	for deadline := time.Now().Add(5 * time.Second); alive(pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("plugin %d outlived its killed host", pid)
		}
	}
}

// alive tells whether a process exists and is no zombie.
func alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

// TestHelperHost is the host TestPluginDiesWithHost kills; it does nothing in a normal run.
func TestHelperHost(t *testing.T) {
	pidFile := os.Getenv("HELPER_HOST_PIDFILE")
	if pidFile == "" {
		t.Skip("helper for TestPluginDiesWithHost")
	}
	h, err := Start(context.Background(), []Config{testConfig("test", nil)}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	os.WriteFile(pidFile, []byte(strconv.Itoa(h.byName["test"].pid())), 0o600)
	time.Sleep(time.Minute)
}

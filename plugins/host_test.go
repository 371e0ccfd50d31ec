package plugins

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func TestStartCallClose(t *testing.T) {
	log, _ := testLogger(t)
	ctx := context.Background()
	h, err := Start(ctx, []Config{localConfig(t, "crm"), testConfig("test", nil)}, log)
	if err != nil {
		t.Fatal(err)
	}
	crm, ok := h.CRM("crm")
	if !ok {
		t.Fatal("no CRM crm")
	}
	c, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "m-1", Subject: "hello"})
	if err != nil || c.ID == "" {
		t.Fatalf("EnsureCase = %+v, %v", c, err)
	}
	if _, err := crm.GetCase(ctx, "CASE-999999"); !errors.Is(err, plugin.ErrNotFound) {
		t.Errorf("GetCase(unknown) = %v, want ErrNotFound across the process boundary", err)
	}
	if _, ok := h.Hydrator("crm"); !ok {
		t.Error("local serves a Hydrator (trips, background checks), but Hydrator(crm) is not ok")
	}
	if _, ok := h.BackOffice("test"); ok {
		t.Error("testplugin serves no BackOffice, but BackOffice(test) is ok")
	}
	if _, ok := h.CRM("nope"); ok {
		t.Error("CRM(nope) is ok")
	}
	if len(children(t)) != 2 {
		t.Errorf("children while running = %v, want the 2 plugins", children(t))
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if left := children(t); len(left) > 0 {
		t.Errorf("processes left after Close: %v", left)
	}
	if _, err := crm.GetCase(ctx, c.ID); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close = %v, want ErrClosed", err)
	}
}

func TestStartErrors(t *testing.T) {
	log, _ := testLogger(t)
	local := localConfig(t, "crm")
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"handshake mismatch", testConfig("bad", map[string]string{"TESTPLUGIN_MODE": "badversion"}), "protocol version mismatch"},
		{"no plugin", testConfig("bad", map[string]string{"TESTPLUGIN_MODE": "notplugin"}), "no frontdesk plugin handshake"},
		{"hangs at start", Config{Name: "bad", Command: filepath.Join(bin, "testplugin"), StartTimeout: 300 * time.Millisecond,
			Env: map[string]string{"TESTPLUGIN_MODE": "hangstart"}}, "timeout"},
		{"missing binary", Config{Name: "bad", Command: filepath.Join(bin, "nothing-here")}, "start"},
		{"checksum", Config{Name: "bad", Command: local.Command, SHA256: strings.Repeat("ab", 32)}, "sha256"},
		{"bad name", Config{Name: "Bad.Name", Command: local.Command}, "plugin name"},
		{"bad sha256", Config{Name: "bad", Command: local.Command, SHA256: "xyz"}, "64 hex digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A good plugin first: a failing one after it must not leave it running.
			h, err := Start(context.Background(), []Config{local, tc.cfg}, log)
			if err == nil {
				h.Close()
				t.Fatal("Start succeeded")
			}
			t.Logf("Start: %v", err)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to say %q", err, tc.want)
			}
			if left := children(t); len(left) > 0 {
				t.Errorf("processes left after failed Start: %v", left)
			}
		})
	}
}

func TestChecksumAccepted(t *testing.T) {
	log, _ := testLogger(t)
	cfg := localConfig(t, "crm")
	sum, err := fileSHA256(cfg.Command)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SHA256 = sum
	h, err := Start(context.Background(), []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	h.Close()
}

// TestKillMidCall kills the plugin with SIGKILL while a call is in it: that call fails cleanly,
// the plugin is restarted, and the next call succeeds.
func TestKillMidCall(t *testing.T) {
	log, logs := testLogger(t)
	ctx := context.Background()
	mark := filepath.Join(t.TempDir(), "mark")
	cfg := testConfig("test", map[string]string{"TESTPLUGIN_MARK": mark})
	cfg.Timeout = 10 * time.Second
	h, err := Start(ctx, []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	crm, _ := h.CRM("test")
	if _, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "before"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := crm.GetCase(ctx, "block")
		done <- err
	}()
	pid := waitForMark(t, mark)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil || !errors.Is(err, plugin.ErrUnavailable) {
			t.Errorf("call in the killed plugin = %v, want ErrUnavailable", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the call in the killed plugin did not return")
	}
	// A new process: the case made before is gone (the test plugin keeps them in memory),
	// which proves the answer comes from the restarted process.
	c, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "after"})
	if err != nil || c.ID != "after" {
		t.Fatalf("call after the restart = %+v, %v", c, err)
	}
	if _, err := crm.GetCase(ctx, "before"); !errors.Is(err, plugin.ErrNotFound) {
		t.Errorf("GetCase(before) after restart = %v, want ErrNotFound from a fresh process", err)
	}
	if st := h.Status()[0]; !st.Up || st.Restarts != 1 || st.PID == pid || st.PID == 0 {
		t.Errorf("Status after one restart = %+v (killed pid %d)", st, pid)
	}
	if !strings.Contains(logs.String(), "plugin down, restarting") {
		t.Error("the restart was not logged")
	}
	h.Close()
	if left := children(t); len(left) > 0 {
		t.Errorf("processes left after Close: %v", left)
	}
}

// TestHealthCheckRestartsIdlePlugin kills an idle plugin; the health check notices and starts
// a new process without any call.
func TestHealthCheckRestartsIdlePlugin(t *testing.T) {
	log, _ := testLogger(t)
	cfg := testConfig("test", nil)
	cfg.HealthInterval = 50 * time.Millisecond
	h, err := Start(context.Background(), []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	old := h.byName["test"].pid()
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if pid := h.byName["test"].pid(); pid != 0 && pid != old {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("plugin not restarted by the health check (pid still %d)", old)
}

func TestHangingPluginTimesOut(t *testing.T) {
	log, _ := testLogger(t)
	cfg := testConfig("test", nil)
	cfg.Timeout = 200 * time.Millisecond
	h, err := Start(context.Background(), []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	crm, _ := h.CRM("test")
	start := time.Now()
	_, err = crm.GetCase(context.Background(), "block")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GetCase(block) = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout took %s, configured 200ms", d)
	}
	// The plugin itself is fine and keeps answering.
	if _, err := crm.EnsureCase(context.Background(), plugin.CaseRequest{ExternalID: "x"}); err != nil {
		t.Errorf("call after a timeout = %v", err)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	log, _ := testLogger(t)
	cfg := testConfig("test", nil)
	cfg.MaxConcurrent = 1
	cfg.Timeout = 300 * time.Millisecond
	h, err := Start(context.Background(), []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	crm, _ := h.CRM("test")
	go crm.GetCase(context.Background(), "block") // holds the only slot until its timeout
	for len(h.byName["test"].sem) == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "x"})
	if err == nil || !strings.Contains(err.Error(), "call slots") {
		t.Errorf("second call with the slot taken = %v, want a wait for a call slot to time out", err)
	}
}

func TestPluginLogsForwarded(t *testing.T) {
	log, logs := testLogger(t)
	h, err := Start(context.Background(), []Config{testConfig("test", nil)}, log)
	if err != nil {
		t.Fatal(err)
	}
	hy, _ := h.Hydrator("test")
	for _, call := range []string{"log", "stdio"} {
		if _, err := hy.Fetch(context.Background(), call, map[string]any{"a": 1}); err != nil {
			t.Fatal(err)
		}
	}
	// Raw stdout and stderr come over go-plugin's stdio stream, asynchronously: wait for them
	// while the plugin runs (Close may cut the stream before they arrive).
	want := []string{"level=WARN", `msg="testplugin was asked to log"`, "args_count=1", "plugin=test",
		`msg="raw stdout line" plugin=test stream=stdout`, `msg="raw stderr line" plugin=test stream=stderr`}
	missing := want
	for deadline := time.Now().Add(5 * time.Second); len(missing) > 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		missing = missing[:0:0]
		for _, w := range want {
			if !strings.Contains(logs.String(), w) {
				missing = append(missing, w)
			}
		}
	}
	h.Close()
	for _, w := range missing {
		t.Errorf("host log lacks %s", w)
	}
}

func waitForMark(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
			pid, err := strconv.Atoi(string(data))
			if err != nil {
				t.Fatal(err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the plugin never entered the blocking call")
	return 0
}

func TestConfiguredEnvWins(t *testing.T) {
	t.Setenv("FRONTDESK_TEST_SETTING", "from-host")
	t.Setenv("FRONTDESK_TEST_INHERITED", "inherited")
	log, _ := testLogger(t)
	h, err := Start(context.Background(), []Config{testConfig("test", map[string]string{"FRONTDESK_TEST_SETTING": "from-config"})}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	hy, _ := h.Hydrator("test")
	for name, want := range map[string]string{"FRONTDESK_TEST_SETTING": "from-config", "FRONTDESK_TEST_INHERITED": "inherited"} {
		if got, err := hy.Fetch(context.Background(), "env", map[string]any{"name": name}); err != nil || got != want {
			t.Errorf("plugin sees %s = %v, %v; want %q", name, got, err, want)
		}
	}
}

// TestPluginGOMAXPROCS: plugins run on DefaultGOMAXPROCS whatever frontdesk's own setting,
// unless their env says otherwise.
func TestPluginGOMAXPROCS(t *testing.T) {
	t.Setenv("GOMAXPROCS", "3")
	log, _ := testLogger(t)
	h, err := Start(context.Background(), []Config{
		testConfig("plain", nil),
		testConfig("wide", map[string]string{"GOMAXPROCS": "2"}),
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for name, want := range map[string]string{"plain": DefaultGOMAXPROCS, "wide": "2"} {
		hy, _ := h.Hydrator(name)
		if got, err := hy.Fetch(context.Background(), "env", map[string]any{"name": "GOMAXPROCS"}); err != nil || got != want {
			t.Errorf("plugin %s sees GOMAXPROCS = %v, %v; want %q", name, got, err, want)
		}
	}
}

// TestUnavailableAnswerKeepsPlugin: a plugin that answers ErrUnavailable for a system behind it
// is healthy and must not be restarted.
func TestUnavailableAnswerKeepsPlugin(t *testing.T) {
	log, _ := testLogger(t)
	h, err := Start(context.Background(), []Config{testConfig("test", nil)}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	pid := h.byName["test"].pid()
	hy, _ := h.Hydrator("test")
	if _, err := hy.Fetch(context.Background(), "unavailable", nil); !errors.Is(err, plugin.ErrUnavailable) {
		t.Fatalf("Fetch(unavailable) = %v, want ErrUnavailable", err)
	}
	if _, err := hy.Fetch(context.Background(), "echo", nil); err != nil || h.byName["test"].pid() != pid {
		t.Errorf("after an ErrUnavailable answer: %v, pid %d -> %d; want the same process", err, pid, h.byName["test"].pid())
	}
}

// TestRestartBackoff puts the plugin in a crash loop: restarts fail with a growing wait, and
// the plugin comes back once it can start again.
func TestRestartBackoff(t *testing.T) {
	log, logs := testLogger(t)
	fail := filepath.Join(t.TempDir(), "fail")
	cfg := testConfig("test", map[string]string{"TESTPLUGIN_FAIL_IF": fail})
	cfg.Timeout = 20 * time.Second
	h, err := Start(context.Background(), []Config{cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := os.WriteFile(fail, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(h.byName["test"].pid(), syscall.SIGKILL)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "retry_in=400ms"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no restart with a wait of 400ms was tried")
		}
	}
	os.Remove(fail)
	crm, _ := h.CRM("test")
	if _, err := crm.EnsureCase(context.Background(), plugin.CaseRequest{ExternalID: "back"}); err != nil {
		t.Fatalf("call after the crash loop = %v", err)
	}
	for _, want := range []string{"retry_in=100ms", "retry_in=200ms", "retry_in=400ms", "failing at start"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

package plugins

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// bin holds the plugin binaries the tests start as real subprocesses, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if dir := os.Getenv("HELPER_HOST_BIN"); dir != "" { // the helper of TestPluginDiesWithHost
		bin = dir
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "frontdesk-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = dir
	for name, pkg := range map[string]string{
		"frontdesk-local": "../cmd/frontdesk-local",
		"testplugin":      "./internal/testplugin",
		"loyalty":         "../examples/plugin",
	} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", pkg, err, out)
			return 1
		}
	}
	return m.Run()
}

// logBuffer collects the host's log for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(t testing.TB) (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("host log:\n%s", b.String())
		}
	})
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func localConfig(t testing.TB, name string) Config {
	return Config{Name: name, Command: filepath.Join(bin, "frontdesk-local"),
		Args: []string{"--db", filepath.Join(t.TempDir(), "local.db")}}
}

func testConfig(name string, env map[string]string) Config {
	return Config{Name: name, Command: filepath.Join(bin, "testplugin"), Env: env}
}

// children returns the processes whose parent is this test process, zombies included: after
// Close there must be none.
func children(t testing.TB) []string {
	t.Helper()
	self := strconv.Itoa(os.Getpid())
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...; comm may hold spaces, so split after the last ')'.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) >= 2 && f[1] == self {
			out = append(out, strings.TrimSpace(s[:i+1])+" state "+f[0])
		}
	}
	return out
}

package wasm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// buildDir holds the modules the tests build, once per test binary.
var buildDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "frontdesk-wasm-test-")
	if err != nil {
		panic(err)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildMu sync.Mutex
	built   = map[string]string{}
)

// goExecutor builds examples/executors/NAME with the Go SDK as a wasip1 reactor and returns
// the module's path; the Go build cache makes repeated builds cheap.
func goExecutor(t testing.TB, name string) string {
	t.Helper()
	return goModule(t, "./examples/executors/"+name)
}

// goModule builds the Go package at pkg, relative to the repository root, as a wasip1
// reactor and returns the module's path.
func goModule(t testing.TB, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built["go:"+pkg]; ok {
		return p
	}
	out := filepath.Join(buildDir, filepath.Base(pkg)+".wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", out, pkg)
	cmd.Dir = repotest.Root(t)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, b)
	}
	built["go:"+pkg] = out
	return out
}

// asExecutor compiles examples/executors/NAME, an AssemblyScript executor, with the
// compiler its npm install brought (make wasm runs it).
func asExecutor(t testing.TB, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built["as:"+name]; ok {
		return p
	}
	dir := filepath.Join(repotest.Root(t), "examples", "executors", name)
	asc := filepath.Join(dir, "node_modules", ".bin", "asc")
	if _, err := os.Stat(asc); err != nil {
		t.Fatalf("%s not found: run `make wasm` (npm install in %s)", asc, dir)
	}
	out := filepath.Join(buildDir, name+".wasm")
	cmd := exec.Command(asc, "assembly/index.ts", "--config", "asconfig.json", "--target", "release", "--outFile", out)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("asc %s: %v\n%s", name, err, b)
	}
	built["as:"+name] = out
	return out
}

// watModule assembles testdata/NAME.wat with wat2wasm (Debian package wabt; make wasm
// installs it) and returns the module's bytes.
func watModule(t testing.TB, name string) []byte {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	out, ok := built["wat:"+name]
	if !ok {
		wat2wasm, err := exec.LookPath("wat2wasm")
		if err != nil {
			t.Fatal("wat2wasm not found: install it with `apt-get install -y wabt` (make wasm does)")
		}
		out = filepath.Join(buildDir, name+".wasm")
		if b, err := exec.Command(wat2wasm, filepath.Join("testdata", name+".wat"), "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("wat2wasm %s: %v\n%s", name, err, b)
		}
		built["wat:"+name] = out
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readFile reads a file or fails the test.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pinned returns a module config for a file with its sha256 pin.
func pinned(t testing.TB, name, path string) ModuleConfig {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ModuleConfig{Name: name, Path: path, SHA256: sha(b)}
}

// sha returns the hex sha256 of b.
func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// newHost starts a host and closes it when the test ends. Hosts share an on-disk
// compilation cache, so each module is compiled once per test binary.
func newHost(t testing.TB, cfg Config) *Host {
	t.Helper()
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(buildDir, "cache")
	}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(context.Background()) })
	return h
}

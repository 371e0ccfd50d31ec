package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// decideModule assembles the hand-written fee-dispute module of the wasm package's tests.
func decideModule(t *testing.T) string {
	t.Helper()
	wat2wasm, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Fatal("wat2wasm not found: install it with `apt-get install -y wabt` (make wasm does)")
	}
	out := filepath.Join(t.TempDir(), "decide.wasm")
	if b, err := exec.Command(wat2wasm, filepath.Join("..", "..", "wasm", "testdata", "decide.wat"), "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm: %v\n%s", err, b)
	}
	return out
}

// runExecutorCLI runs frontdesk with args and returns its stdout and error.
func runExecutorCLI(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestExecutorRun(t *testing.T) {
	module := decideModule(t)
	dir := t.TempDir()
	input := filepath.Join(dir, "in.json")
	os.WriteFile(input, []byte(`{"data": {"fee": 7.5, "minutes_since_booking": 3, "driver_late": false}}`), 0o644)
	out, err := runExecutorCLI("executor", "run", module, "--input", input, "--cache", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`branch   "waive"`, "typed way", "memory   64 KiB (1 pages)", "time     call"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runExecutorCLI("executor", "run", module, "--input", input, "--json", "--cache", "")
	if err != nil || !strings.Contains(out, `"branch": "waive"`) {
		t.Fatalf("--json: %v\n%s", err, out)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"data\": {\"fee\": }\n}"), 0o644)
	if _, err := runExecutorCLI("executor", "run", module, "--input", bad); err == nil || !strings.Contains(err.Error(), "bad.json: input: line 2") {
		t.Fatalf("bad input: got %v, want the file and line", err)
	}
	if _, err := runExecutorCLI("executor", "run", module); err == nil || !strings.Contains(err.Error(), "--input") {
		t.Fatalf("no input: got %v", err)
	}
	if _, err := runExecutorCLI("executor", "run", module, "--input", input, "--mode", "xml"); err == nil || !strings.Contains(err.Error(), "typed or json") {
		t.Fatalf("bad mode: got %v", err)
	}
	notWasm := filepath.Join(dir, "x.wasm")
	os.WriteFile(notWasm, []byte("hello"), 0o644)
	if _, err := runExecutorCLI("executor", "run", notWasm, "--input", input, "--cache", ""); err == nil || !strings.Contains(err.Error(), "x.wasm") {
		t.Fatalf("not wasm: got %v", err)
	}
}

func TestExecutorRunFailedCall(t *testing.T) {
	module := decideModule(t)
	input := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(input, []byte(`{"data": {}}`), 0o644)
	// An output cap of one byte fails the call: the report is printed and the exit code is 1.
	out, err := runExecutorCLI("executor", "run", module, "--input", input, "--max-output", "1", "--cache", "")
	var exit exitError
	if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "output too large") {
		t.Fatalf("got %v\n%s", err, out)
	}
}

func TestExecutorBench(t *testing.T) {
	module := decideModule(t)
	dir := t.TempDir()
	input := filepath.Join(dir, "in.json")
	os.WriteFile(input, []byte(`{"data": {"fee": 7.5, "minutes_since_booking": 30, "driver_late": false}}`), 0o644)
	svg := filepath.Join(dir, "lat.svg")
	out, err := runExecutorCLI("executor", "bench", module, "--input", input, "--duration", "200ms", "--concurrency", "2", "--svg", svg, "--cache", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"throughput", "calls/s", "p50", "p99", "(0 failed)", "pool 2, 2 goroutines"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.HasPrefix(b, []byte("<svg")) || !bytes.Contains(b, []byte("p50")) {
		t.Fatalf("svg: %v\n%.200s", err, b)
	}
}

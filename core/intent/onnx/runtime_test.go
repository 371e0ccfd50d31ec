package onnx

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRuntimeErrors loads a bundle in a child process (ONNX Runtime is initialized once per
// process) whose FRONTDESK_ONNXRUNTIME_LIB names a missing file, or a shared library that is not
// ONNX Runtime, and checks that the error says how to fix it.
func TestRuntimeErrors(t *testing.T) {
	if dir := os.Getenv("FRONTDESK_TEST_CHILD_BUNDLE"); dir != "" {
		_, err := Load(dir)
		if !errors.Is(err, ErrRuntime) || !strings.Contains(err.Error(), "make onnxruntime") || !strings.Contains(err.Error(), EnvLibrary) {
			t.Fatalf("Load with a bad library: %v", err)
		}
		return
	}
	dir := exampleBundle(t)
	for _, lib := range []string{"/nonexistent/libonnxruntime.so.1", "/lib/x86_64-linux-gnu/libz.so.1"} {
		if _, err := os.Stat(lib); err != nil && !strings.HasPrefix(lib, "/nonexistent") {
			t.Logf("%s not on this machine; case skipped", lib)
			continue
		}
		cmd := exec.Command(os.Args[0], "-test.run", "^TestRuntimeErrors$", "-test.v")
		cmd.Env = append(os.Environ(), EnvLibrary+"="+lib, "FRONTDESK_TEST_CHILD_BUNDLE="+dir)
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Errorf("library %s: %v\n%s", lib, err, out)
		}
	}
}

// Package repotest finds the repository from a test, so tests can read the examples and build
// the commands without absolute paths: a test runs in its package's folder, below go.mod.
package repotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Root returns the first folder holding go.mod above the test's working directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's working directory")
		}
		dir = parent
	}
}

// ReadExample returns a file of examples/policies.
func ReadExample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(t), "examples", "policies", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Build compiles the package pkg (a path relative to the repository, such as
// "./cmd/frontdesk-local") into dir and returns the binary's path, named as go build names it:
// after the package's folder. Tests build the commands they start this way, never from PATH.
func Build(t testing.TB, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = Root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// Package repotest finds the repository from a test, so tests can read the examples and build
// the commands without absolute paths: a test runs in its package's folder, below go.mod.
package repotest

import (
	"os"
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

// Package browsertest runs browser tests: a test starts its real server on loopback, then calls
// Run with a Node script that drives Debian's chromium, headless, through playwright-core.
//
// `make browser` installs what it needs (chromium and node from Debian when missing,
// playwright-core pinned by package-lock.json into build/node). Without them a test skips,
// saying what to run; under CI=true it fails instead, so a CI machine never passes by skipping.
//
// A script is an ES module whose default export receives a ready page:
//
//	export default async function ({ page, context, browser, baseURL, artifacts, env }) {
//	  await page.goto(baseURL + '/chat');
//	  await page.getByRole('button', { name: 'Yes' }).click();
//	  await page.screenshot({ path: artifacts + '/chat.png' });
//	}
//
// A throw fails the test with the error, the page's console lines and a screenshot of the page
// at that moment (failure.png). Artifacts go to build/artifacts/<test name>/.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Tools are the programs a browser test needs, found on this machine.
type Tools struct {
	// Node is the node executable.
	Node string
	// Chromium is the chromium executable (CHROMIUM_PATH, else chromium on PATH).
	Chromium string
	// Root is the repository root (the directory holding go.mod).
	Root string
}

// scriptTimeout bounds one script when the test has no deadline of its own.
const scriptTimeout = 2 * time.Minute

// Require finds node, chromium and playwright-core. When one is missing it skips the test with
// the command that installs it, or fails it under CI=true. Call it before starting servers.
func Require(t testing.TB) Tools {
	t.Helper()
	tools, err := find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: %v (CI=true: run make browser)", err)
		}
		t.Skipf("browser test skipped: %v; run `make browser`", err)
	}
	return tools
}

// Run runs the ES module script (a path relative to the test's package directory) in node with
// a headless chromium page, and fails the test with the script's output when it throws or
// exits non-zero. env is added to the script's environment (by convention BASE_URL, the server
// under test); Run also sets CHROMIUM_PATH, ARTIFACTS (build/artifacts/<test name>, created) and
// PLAYWRIGHT_CORE (the module's directory). The output is kept in ARTIFACTS/output.log.
func Run(t testing.TB, script string, env map[string]string) {
	t.Helper()
	tools := Require(t)
	abs, err := filepath.Abs(script)
	if err != nil {
		t.Fatalf("browser test: %v", err)
	}
	artifacts := ArtifactsDir(t, tools.Root)

	timeout := scriptTimeout
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, set := d.Deadline(); set {
			// Leave the test a few seconds to report what the script printed.
			timeout = time.Until(deadline) - 5*time.Second
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, tools.Node, filepath.Join(tools.Root, "internal", "browsertest", "runner.mjs"), abs)
	cmd.Env = append(os.Environ(),
		"CHROMIUM_PATH="+tools.Chromium,
		"ARTIFACTS="+artifacts,
		"PLAYWRIGHT_CORE="+playwrightDir(tools.Root),
	)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	_ = os.WriteFile(filepath.Join(artifacts, "output.log"), out.Bytes(), 0o644)
	if ctx.Err() != nil {
		t.Fatalf("browser script %s ran past %s; output:\n%s", script, timeout.Round(time.Second), out.String())
	}
	if runErr != nil {
		t.Fatalf("browser script %s failed (%v); artifacts in %s; output:\n%s", script, runErr, artifacts, out.String())
	}
	t.Logf("browser script %s passed; artifacts in %s\n%s", script, artifacts, out.String())
}

// ArtifactsDir creates and returns build/artifacts/<test name> under root, emptied of an
// earlier run's files.
func ArtifactsDir(t testing.TB, root string) string {
	t.Helper()
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	dir := filepath.Join(root, "build", "artifacts", name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatalf("browser test: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browser test: %v", err)
	}
	return dir
}

// find looks for the tools, naming the first one missing.
func find() (Tools, error) {
	root, err := repoRoot()
	if err != nil {
		return Tools{}, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return Tools{}, errors.New("node is not installed")
	}
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		if chromium, err = exec.LookPath("chromium"); err != nil {
			return Tools{}, errors.New("chromium is not installed")
		}
	}
	if _, err := os.Stat(filepath.Join(playwrightDir(root), "package.json")); err != nil {
		return Tools{}, errors.New("playwright-core is not installed in build/node")
	}
	return Tools{Node: node, Chromium: chromium, Root: root}, nil
}

func playwrightDir(root string) string {
	return filepath.Join(root, "build", "node", "node_modules", "playwright-core")
}

// repoRoot is the first directory holding go.mod above the working directory (a test runs in
// its package's directory).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/internal/browsertest"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// adminToken is the admin token of the frontdesk the live test starts.
const adminToken = "admin-token-of-the-studio-live-test"

// TestStudioFromDraftToLive starts a real `frontdesk serve` (the binary, with the local stack's
// plugins, a SQLite store and change-address imported as live in dev mode) and drives the
// Studio in headless chromium from a new draft through shadow (with traffic from the simulator
// in examples/studio) to live, then analytics, an experiment, the executor playground and
// the audit trail. The gate asks for 1 s in shadow instead of 24 h. Screenshots and the server's
// log go to build/artifacts/TestStudioFromDraftToLive.
func TestStudioFromDraftToLive(t *testing.T) {
	tools := browsertest.Require(t)
	if testing.Short() {
		t.Skip("builds and starts frontdesk")
	}
	dir := t.TempDir()
	for _, pkg := range []string{"./cmd/frontdesk", "./cmd/frontdesk-local", "./examples/studio"} {
		repotest.Build(t, dir, pkg)
	}
	// An executor for the playground, built as make wasm builds it.
	wasmBuild := exec.Command("go", "build", "-buildmode=c-shared", "-o", filepath.Join(dir, "fee.wasm"), "./examples/executors/cancellation_fee_eligible")
	wasmBuild.Dir = tools.Root
	wasmBuild.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := wasmBuild.CombinedOutput(); err != nil {
		t.Fatalf("building the executor: %v\n%s", err, out)
	}
	if err := os.Mkdir(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(tools.Root, "examples", "policies", "change-address.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "policies", "change-address.yaml"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	local := fmt.Sprintf("command: ./frontdesk-local, args: [--db, %q]", filepath.Join(dir, "local.db"))
	config := strings.NewReplacer("ADDR", addr, "LOCAL", local, "TOKEN", adminToken).Replace(`
listen: ADDR
log: { level: info, format: text }
policies: { dir: ./policies }
routing: { default_team: general-support }
session: { backend: memory }
store: { driver: sqlite, path: ./frontdesk.db }
plugins:
  - { name: crm, LOCAL }
  - { name: backoffice, LOCAL }
  - { name: sms, LOCAL }
services: { crm: crm, messaging: sms }
admin: { token: TOKEN }
studio: { min_shadow: 1s, reload_interval: 200ms }
`)
	cfgPath := filepath.Join(dir, "frontdesk.yaml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "frontdesk.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	serve := exec.Command(filepath.Join(dir, "frontdesk"), "serve", "--config", cfgPath)
	serve.Dir = dir
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
		// Beside the screenshots (browsertest.Run empties the folder when it starts).
		if data, err := os.ReadFile(logPath); err == nil {
			_ = os.WriteFile(filepath.Join(tools.Root, "build", "artifacts", t.Name(), "frontdesk.log"), data, 0o644)
		}
	})
	base := "http://" + addr
	waitHealthy(t, base, cfgPath)
	secret := createKey(t, base)
	browsertest.Run(t, "testdata/studio_live.mjs", map[string]string{"BASE_URL": base, "KEY": secret, "TRAFFIC": filepath.Join(dir, "studio"),
		"WASM": filepath.Join(dir, "fee.wasm"), "WASM_INPUT": filepath.Join(tools.Root, "examples", "executors", "cancellation_fee_eligible", "input.json")})
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base, cfg string) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("frontdesk serve --config %s did not become healthy (see frontdesk.log in the artifacts)", cfg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// createKey makes the publisher's key with the admin token, as an admin would.
func createKey(t *testing.T, base string) string {
	body, _ := json.Marshal(map[string]string{"id": "k-anna", "owner": "anna@example.com", "role": "publisher"})
	req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/v1/studio/keys", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var key struct {
		Secret string `json:"secret"`
	}
	if err := json.NewDecoder(res.Body).Decode(&key); err != nil || key.Secret == "" {
		t.Fatalf("creating a key: HTTP %d, %v", res.StatusCode, err)
	}
	return key.Secret
}

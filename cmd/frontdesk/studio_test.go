package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

const studioAdmin = "studio-admin-token-for-the-lifecycle-test"

// studioGet reads a Studio endpoint with key.
func studioGet(t *testing.T, base, key, path string) map[string]any {
	t.Helper()
	return studioDo(t, base, key, "GET", path, "", 200)
}

func studioDo(t *testing.T, base, key, method, path, body string, want int) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, data, want)
	}
	var out map[string]any
	json.Unmarshal(data, &out)
	return out
}

// TestPolicyLifecycleThroughTheGateway takes the change-of-address policy from a new draft,
// pushed by the CLI, through shadow on simulated traffic, the gate and Live, and back by a
// rollback, on a gateway with real plugin processes; the audit log tells who did what.
func TestPolicyLifecycleThroughTheGateway(t *testing.T) {
	dir := t.TempDir()
	base, _ := startGateway(t, "store: { path: "+filepath.Join(dir, "frontdesk.db")+" }\n"+
		"admin: { token: "+studioAdmin+" }\n"+
		"studio: { min_shadow: 1ms, reload_interval: 50ms }\n")
	root := repotest.Root(t)
	run := func(args ...string) (string, error) {
		cmd := newRootCmd()
		var out strings.Builder
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(args)
		err := cmd.Execute()
		return out.String(), err
	}

	// Dev mode imported the folder as Live versions, and said so in the audit log.
	imports := studioGet(t, base, studioAdmin, "/v1/studio/audit?action=deploy.dev_import")
	if n := len(imports["entries"].([]any)); n != 4 {
		t.Fatalf("dev imports in the audit log: %d, want 4", n)
	}
	keys := map[string]string{}
	for _, role := range []string{"author", "publisher"} {
		k := studioDo(t, base, studioAdmin, "POST", "/v1/studio/keys", `{"id": "k-`+role+`", "owner": "`+role+`@example.com", "role": "`+role+`"}`, 201)
		keys[role] = k["secret"].(string)
	}

	// A new wording of the first question, pushed as a draft with its test cases.
	src, err := os.ReadFile(filepath.Join(root, "examples", "policies", "change-address.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "You want to change the postal address on your account?", "Shall we change the postal address on your account?", 1)
	file := filepath.Join(dir, "change-address.yaml")
	os.WriteFile(file, []byte(edited), 0o644)
	tests, _ := os.ReadFile(filepath.Join(root, "examples", "policies", "change-address.test.yaml"))
	os.WriteFile(filepath.Join(dir, "change-address.test.yaml"), tests, 0o644)
	if _, err := run("policy", "push", file, "--url", base, "--key", keys["publisher"][:10]); err == nil {
		t.Fatal("push with a broken key succeeded")
	}
	out, err := run("policy", "push", file, "--url", base, "--key", keys["author"])
	if err != nil || !strings.Contains(out, "draft version 2 created") || !strings.Contains(out, "test cases saved") {
		t.Fatalf("policy push: %v\n%s", err, out)
	}
	if out, err := run("policy", "push", file, "--url", base, "--key", keys["author"]); err != nil || !strings.Contains(out, "already this file") {
		t.Fatalf("second push: %v\n%s", err, out)
	}
	if out, err := run("policy", "promote", "change-address", "2", "--url", base, "--key", keys["author"]); err != nil || !strings.Contains(out, "in shadow") {
		t.Fatalf("promote to shadow: %v\n%s", err, out)
	}
	// Before any traffic the gate refuses, and says why.
	out, err = run("policy", "promote", "change-address", "2", "--url", base, "--key", keys["publisher"])
	if err == nil || !strings.Contains(out, "nodes (0%) were hit in shadow") {
		t.Fatalf("promote without shadow runs: %v\n%s", err, out)
	}

	// Simulated traffic: the live version answers, the shadow version runs beside it.
	time.Sleep(200 * time.Millisecond) // the catalog follows the store every 50ms
	if r := lastReply(send(t, base, `{"conversation_id":"c0","text":"I moved, please change my address","contact":{"customer_id":"C-1001"}}`)); r["node"] != "confirm" || !strings.HasPrefix(r["text"].(string), "You want to") {
		t.Fatalf("live reply %v", r)
	}
	traffic := exec.Command("go", "run", "./examples/studio", "-url", base, "-n", "30", "-seed", "7")
	traffic.Dir = root
	if out, err := traffic.CombinedOutput(); err != nil || !strings.Contains(string(out), "30/30 conversations") {
		t.Fatalf("examples/studio: %v\n%s", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		g := studioGet(t, base, keys["author"], "/v1/studio/policies/change-address/versions/2/gate")
		if g["allowed"] == true {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the gate still refuses: %v", g)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{"final", "live"} {
		if out, err := run("policy", "promote", "change-address", "2", "--url", base, "--key", keys["publisher"]); err != nil || !strings.Contains(out, want) {
			t.Fatalf("promote to %s: %v\n%s", want, err, out)
		}
	}
	r := lastReply(send(t, base, `{"conversation_id":"after","text":"I moved","contact":{"customer_id":"C-1001"}}`))
	if !strings.HasPrefix(r["text"].(string), "Shall we") {
		t.Fatalf("after promotion the reply is %v", r)
	}
	an := studioGet(t, base, keys["author"], "/v1/studio/policies/change-address/analytics?shadow=true&version=2")
	if v := an["versions"].([]any); len(v) != 1 || v[0].(map[string]any)["runs"].(float64) < 30 {
		t.Fatalf("shadow analytics = %v", an)
	}

	if out, err := run("policy", "rollback", "change-address", "--url", base, "--key", keys["publisher"]); err != nil || !strings.Contains(out, "version 1 is Live again") {
		t.Fatalf("rollback: %v\n%s", err, out)
	}
	r = lastReply(send(t, base, `{"conversation_id":"rolled-back","text":"I moved","contact":{"customer_id":"C-1001"}}`))
	if !strings.HasPrefix(r["text"].(string), "You want to") {
		t.Fatalf("after rollback the reply is %v", r)
	}
	trail := studioGet(t, base, keys["author"], "/v1/studio/audit?subject=change-address@2")
	var got []string
	for _, e := range trail["entries"].([]any) {
		m := e.(map[string]any)
		got = append([]string{m["actor"].(string) + " " + m["action"].(string)}, got...)
	}
	want := "author@example.com version.create; author@example.com version.state; publisher@example.com version.state; publisher@example.com deploy.live"
	if strings.Join(got, "; ") != want {
		t.Fatalf("audit trail of version 2:\n%s\nwant\n%s", strings.Join(got, "; "), want)
	}
}

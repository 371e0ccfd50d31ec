package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/internal/repotest"
	"github.com/frontdeskhq/frontdesk/internal/testlog"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/connectors/local"
)

// buildExecutors compiles the example executors the example policies use into a temporary
// folder, with a manifest pinning their sha256, as make wasm does.
func buildExecutors(t *testing.T) string {
	t.Helper()
	root := repotest.Root(t)
	dir := t.TempDir()
	var manifest strings.Builder
	manifest.WriteString("executors:\n")
	for _, name := range []string{"cancellation_fee_eligible"} {
		out := filepath.Join(dir, name+".wasm")
		build := exec.Command("go", "build", "-buildmode=c-shared", "-o", out, "./examples/executors/"+name)
		build.Dir = root
		build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if msg, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build executor %s: %v\n%s", name, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&manifest, "  - { name: %s, path: %s.wasm, sha256: %x }\n", name, name, sum)
	}
	path := filepath.Join(dir, "executors.yaml")
	if err := os.WriteFile(path, []byte(manifest.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sharedState returns the configuration of the shared backends, Redis and PostgreSQL, from
// the test servers `make test` starts. Without them the test is skipped, unless under CI.
func sharedState(t *testing.T) string {
	t.Helper()
	redisURL, pgURL := os.Getenv("FRONTDESK_TEST_REDIS_URL"), os.Getenv("FRONTDESK_TEST_POSTGRES_URL")
	if redisURL == "" || pgURL == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("FRONTDESK_TEST_REDIS_URL and FRONTDESK_TEST_POSTGRES_URL are required under CI (make test-servers)")
		}
		t.Skip("no test servers: run make test-servers, or make test")
	}
	// A prefix of its own, so that conversations of an earlier run are not found again.
	prefix := fmt.Sprintf("fd-e2e-%s-%d:", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
	return "session: { backend: redis, url: \"" + redisURL + "\", prefix: \"" + prefix + "\" }\n" +
		"store: { driver: postgres, url: \"" + pgURL + "\" }\n"
}

// startGateway builds the local plugin, writes a configuration like the example's (keyword
// rules instead of the model, a fresh local database, the state configuration given, embedded
// when empty) and serves it on a loopback port.
func startGateway(t *testing.T, state ...string) (base, db string) {
	t.Helper()
	root := repotest.Root(t)
	dir := t.TempDir()
	bin := repotest.Build(t, dir, "./cmd/frontdesk-local")
	db = filepath.Join(dir, "local.db")
	t.Setenv(local.EnvDB, db)
	stateCfg := "store: { path: " + filepath.Join(dir, "frontdesk.db") + " }\n"
	if len(state) > 0 {
		stateCfg = state[0]
	}
	cfgText := stateCfg + `
policies: { dir: ` + filepath.Join(root, "examples", "policies") + ` }
intents:
  keywords: { change_address: [address, moved], card_lost_stolen: [lost my card, stolen], cancellation_fee_dispute: [cancellation fee] }
routing: { default_team: general-support, teams: { cards: [card_not_arrived] } }
plugins:
  - { name: crm, command: ` + bin + ` }
  - { name: backoffice, command: ` + bin + ` }
  - { name: sms, command: ` + bin + ` }
services: { crm: crm, messaging: sms }
executors: { manifest: ` + buildExecutors(t) + ` }
`
	cfg, err := config.Parse(filepath.Join(dir, "frontdesk.yaml"), []byte(cfgText))
	if err != nil {
		t.Fatal(err)
	}
	// Warnings reach the test's log, so a failing flow shows what the gateway saw.
	g, err := buildGateway(context.Background(), cfg, testlog.New(t, slog.LevelWarn))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.server.Serve(ln)
	t.Cleanup(func() {
		g.server.Shutdown(context.Background())
		g.Close()
	})
	return "http://" + ln.Addr().String(), db
}

func send(t *testing.T, base, body string) map[string]any {
	t.Helper()
	resp, err := http.Post(base+"/v1/messages", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v: %v", resp.StatusCode, out, err)
	}
	return out
}

func lastReply(out map[string]any) map[string]any {
	replies := out["replies"].([]any)
	return replies[len(replies)-1].(map[string]any)
}

// The fintech data-change flow end to end through real plugin processes: the case ends
// assigned for approval with the whole decision log, and the back office holds one pending
// change request; nothing is changed on the customer.
func TestChangeOfAddressEndToEnd(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { changeOfAddress(t) })
	t.Run("redis and postgres", func(t *testing.T) { changeOfAddress(t, sharedState(t)) })
}

func changeOfAddress(t *testing.T, state ...string) {
	base, db := startGateway(t, state...)
	r := lastReply(send(t, base, `{"conversation_id":"e2e","text":"I moved, please change my address","contact":{"customer_id":"C-1001"}}`))
	if r["node"] != "confirm" {
		t.Fatalf("first reply %v", r)
	}
	if r = lastReply(send(t, base, `{"conversation_id":"e2e","input":{"choice":"yes"}}`)); r["node"] != "collect" {
		t.Fatalf("second reply %v", r)
	}
	r = lastReply(send(t, base, `{"conversation_id":"e2e","input":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`))
	if r["node"] != "verify" {
		t.Fatalf("third reply %v", r)
	}
	store, err := local.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	outbox, err := store.Outbox(ctx, 10)
	if err != nil || len(outbox) != 1 || outbox[0].To != "+447700900101" {
		t.Fatalf("outbox %+v %v", outbox, err)
	}
	code := regexp.MustCompile(`\d{6}`).FindString(outbox[0].Body)
	if r = lastReply(send(t, base, `{"conversation_id":"e2e","input":{"code":"000000"}}`)); r["error"] == nil {
		t.Fatalf("a wrong code was accepted: %v", r)
	}
	r = lastReply(send(t, base, `{"conversation_id":"e2e","input":{"code":"`+code+`"}}`))
	if end, _ := r["end"].(map[string]any); end["resolution"] != "submitted_for_approval" {
		t.Fatalf("last reply %v", r)
	}
	cases, _ := store.Cases(ctx, 10)
	if len(cases) != 1 || cases[0].Queue != "data-change-approvals" || cases[0].Intent != "change_address" {
		t.Fatalf("cases %+v", cases)
	}
	changes, _ := store.Changes(ctx, 10)
	if len(changes) != 1 || changes[0].Status != "pending" || changes[0].Fields["postcode"] != "10119" {
		t.Fatalf("changes %+v", changes)
	}
	customer, _ := store.GetCustomer(ctx, "C-1001")
	if customer.Address.Postcode == "10119" {
		t.Fatal("the address was changed without approval")
	}
	notes, _ := store.Notes(ctx, cases[0].ID)
	var log strings.Builder
	for _, n := range notes {
		log.WriteString(n.Body + "\n")
	}
	for _, want := range []string{"intent change_address", "policy change-address", "action otp.verify at verify done",
		"action backoffice.SubmitChangeRequest at submit done", "ended: submitted_for_approval"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("decision log lacks %q:\n%s", want, log.String())
		}
	}
}

// A fee dispute decided from the trip the back office holds, refunded only as a request
// pending approval.
func TestFeeDisputeEndToEnd(t *testing.T) {
	base, db := startGateway(t)
	r := lastReply(send(t, base, `{"conversation_id":"f1","text":"Why did you charge me a cancellation fee?","contact":{"customer_id":"C-1001"}}`))
	if end, _ := r["end"].(map[string]any); end["resolution"] != "fee_waived" {
		t.Fatalf("reply %v", r)
	}
	store, _ := local.Open(db)
	defer store.Close()
	changes, _ := store.Changes(context.Background(), 10)
	if len(changes) != 1 || changes[0].Kind != "fee_refund" || changes[0].Status != "pending" || changes[0].Fields["trip_id"] != "T-5001" {
		t.Fatalf("changes %+v", changes)
	}
}

func TestUnknownIntentIsRoutedWithItsCase(t *testing.T) {
	base, db := startGateway(t)
	r := lastReply(send(t, base, `{"conversation_id":"u1","text":"Do you sell gift cards?","contact":{"email":"x@example.com"}}`))
	h, _ := r["handoff"].(map[string]any)
	if h["team"] != "general-support" || h["intent"] != "unknown" {
		t.Fatalf("reply %v", r)
	}
	store, _ := local.Open(db)
	defer store.Close()
	cases, _ := store.Cases(context.Background(), 10)
	if len(cases) != 1 || cases[0].Queue != "general-support" {
		t.Fatalf("cases %+v", cases)
	}
}

func TestPolicyCommands(t *testing.T) {
	root := repotest.Root(t)
	run := func(stdin string, args ...string) (string, error) {
		cmd := newRootCmd()
		var out strings.Builder
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetIn(strings.NewReader(stdin))
		cmd.SetArgs(args)
		err := cmd.Execute()
		return out.String(), err
	}
	policies := filepath.Join(root, "examples", "policies")
	// The example policies' cases pass and visit every node, the executor's with the real module.
	out, err := run("", "policy", "test", policies, "--executors", buildExecutors(t))
	if err != nil || !strings.Contains(out, "26 passed, 0 failed") || strings.Contains(out, "not visited") {
		t.Fatalf("policy test: %v\n%s", err, out)
	}
	if out, err := run("", "policy", "test", policies); err == nil || !strings.Contains(out, `unknown executor "cancellation_fee_eligible"`) {
		t.Fatalf("policy test without executors: %v\n%s", err, out)
	}
	out, err = run("", "policy", "validate", policies)
	if err != nil || !strings.Contains(out, "ok: 4 policies valid") {
		t.Fatalf("policy validate: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("policy: x\nstart: a\nnodes:\n  a: { do: log, goto: nowhere }\n"), 0o644)
	if _, err := run("", "policy", "validate", bad); err == nil || !strings.Contains(err.Error(), "bad.yaml:4:") {
		t.Fatalf("bad policy: %v", err)
	}
	out, err = run("1\nyes\n", "policy", "run", filepath.Join(policies, "card-lost.yaml"), "--case", "lost card with replacement")
	if err != nil || !strings.Contains(out, "ended: replacement_requested") || !strings.Contains(out, "→ action crm.AssignCase {queue=cards}") {
		t.Fatalf("policy run: %v\n%s", err, out)
	}
	out, err = run("1\n", "policy", "run", filepath.Join(policies, "card-lost.yaml"), "--case", "lost card with replacement")
	if err == nil || !strings.Contains(err.Error(), "input ended") {
		t.Fatalf("policy run with too little input: %v\n%s", err, out)
	}
	out, err = run("", "policy", "graph", filepath.Join(policies, "fee-dispute.yaml"), "--format", "dot")
	if err != nil || !strings.Contains(out, `digraph "fee-dispute"`) {
		t.Fatalf("policy graph: %v\n%s", err, out)
	}
}

// TestStartErrorIsReturnedNotPanicked: a gateway that fails half-way through its start stops
// what it started and returns the error.
func TestStartErrorIsReturnedNotPanicked(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, "frontdesk.yaml"), []byte(`
store: { path: `+filepath.Join(dir, "frontdesk.db")+` }
policies: { dir: `+filepath.Join(repotest.Root(t), "examples", "policies")+` }
intents: { model: `+filepath.Join(dir, "no-model")+` }
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := buildGateway(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || g != nil || !strings.Contains(err.Error(), "no-model") {
		t.Fatalf("gateway %v, error %v; want no gateway and an error naming the model", g, err)
	}
}

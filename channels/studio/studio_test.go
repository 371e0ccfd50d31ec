package studio

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

const adminToken = "admin-token-for-the-studio-tests"

// rig is a Studio API on loopback over a fresh SQLite store, with a key per role.
type rig struct {
	t     *testing.T
	url   string
	store *store.SQLStore
	keys  map[auth.Role]string
	now   time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "studio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, store: st, keys: map[auth.Role]string{}, now: time.Now()}
	keys := &auth.APIKeys{Store: st, AdminToken: adminToken}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := httpserver.New(httpserver.Config{MaxBodyBytes: 1 << 20}, prometheus.NewRegistry(), log)
	Mount(s, Config{Store: st, Keys: keys, Clock: func() time.Time { return r.now }, Logger: log,
		RunExecutor: func(_ context.Context, module []byte, input json.RawMessage) (any, error) {
			return map[string]any{"bytes": len(module), "input": input}, nil
		}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	r.url = "http://" + ln.Addr().String()
	for _, role := range auth.Roles() {
		_, secret, err := keys.Create(ctx, "k-"+string(role), string(role)+"@example.com", role)
		if err != nil {
			t.Fatal(err)
		}
		r.keys[role] = secret
	}
	return r
}

// do sends a request and returns the status and the body.
func (r *rig) do(method, path, key, body string) (int, []byte) {
	r.t.Helper()
	req, _ := http.NewRequest(method, r.url+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// json sends a request as role and decodes the answer, failing unless the status is want.
func (r *rig) json(role auth.Role, method, path, body string, want int) map[string]any {
	r.t.Helper()
	status, b := r.do(method, path, r.keys[role], body)
	if status != want {
		r.t.Fatalf("%s %s as %s = %d %s, want %d", method, path, role, status, b, want)
	}
	var out map[string]any
	if len(b) > 0 && strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		if err := json.Unmarshal(b, &out); err != nil {
			r.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return out
}

// TestRolesOnEveryEndpoint checks every endpoint against every role: the table below is the
// contract of docs/studio-api.md, and must list exactly the mounted routes.
func TestRolesOnEveryEndpoint(t *testing.T) {
	table := map[string]auth.Role{
		"GET /v1/studio/me":                                            auth.RoleViewer,
		"GET /v1/studio/policies":                                      auth.RoleViewer,
		"POST /v1/studio/policies":                                     auth.RoleAuthor,
		"GET /v1/studio/policies/:policy":                              auth.RoleViewer,
		"PATCH /v1/studio/policies/:policy":                            auth.RoleAuthor,
		"POST /v1/studio/policies/:policy/versions":                    auth.RoleAuthor,
		"GET /v1/studio/policies/:policy/versions/:version":            auth.RoleViewer,
		"PUT /v1/studio/policies/:policy/versions/:version":            auth.RoleAuthor,
		"DELETE /v1/studio/policies/:policy/versions/:version":         auth.RoleAuthor,
		"POST /v1/studio/policies/:policy/versions/:version/shadow":    auth.RoleAuthor,
		"POST /v1/studio/policies/:policy/versions/:version/draft":     auth.RoleAuthor,
		"GET /v1/studio/policies/:policy/versions/:version/gate":       auth.RoleViewer,
		"POST /v1/studio/policies/:policy/versions/:version/promote":   auth.RolePublisher,
		"POST /v1/studio/policies/:policy/versions/:version/deploy":    auth.RolePublisher,
		"POST /v1/studio/policies/:policy/versions/:version/tests/run": auth.RoleAuthor,
		"POST /v1/studio/policies/:policy/versions/:version/simulate":  auth.RoleAuthor,
		"POST /v1/studio/policies/:policy/rollback":                    auth.RolePublisher,
		"GET /v1/studio/policies/:policy/tests":                        auth.RoleViewer,
		"PUT /v1/studio/policies/:policy/tests/:case":                  auth.RoleAuthor,
		"DELETE /v1/studio/policies/:policy/tests/:case":               auth.RoleAuthor,
		"GET /v1/studio/policies/:policy/analytics":                    auth.RoleViewer,
		"POST /v1/studio/validate":                                     auth.RoleViewer,
		"GET /v1/studio/experiments":                                   auth.RoleViewer,
		"POST /v1/studio/experiments":                                  auth.RolePublisher,
		"GET /v1/studio/experiments/:experiment":                       auth.RoleViewer,
		"POST /v1/studio/experiments/:experiment/enable":               auth.RolePublisher,
		"POST /v1/studio/experiments/:experiment/disable":              auth.RolePublisher,
		"GET /v1/studio/audit":                                         auth.RoleViewer,
		"POST /v1/studio/executors/run":                                auth.RoleAuthor,
		"GET /v1/studio/keys":                                          auth.RoleAdmin,
		"POST /v1/studio/keys":                                         auth.RoleAdmin,
		"DELETE /v1/studio/keys/:key":                                  auth.RoleAdmin,
	}
	routes := Routes()
	if len(routes) != len(table) {
		t.Fatalf("%d routes mounted, %d in the table", len(routes), len(table))
	}
	r := newRig(t)
	fill := strings.NewReplacer(":policy", "change-address", ":version", "1", ":case", "happy", ":experiment", "wording", ":key", "k-none")
	for _, route := range routes {
		endpoint := route.Method + " " + route.Pattern
		need, ok := table[endpoint]
		if !ok || need != route.Role {
			t.Errorf("%s needs %q, the table says %q", endpoint, route.Role, need)
			continue
		}
		path := fill.Replace(route.Pattern)
		if status, b := r.do(route.Method, path, "", "{}"); status != http.StatusUnauthorized {
			t.Errorf("%s without a key = %d %s, want 401", endpoint, status, b)
		}
		if status, _ := r.do(route.Method, path, "fdk_not-a-key-of-this-studio-at-all", "{}"); status != http.StatusUnauthorized {
			t.Errorf("%s with an unknown key = %d, want 401", endpoint, status)
		}
		for _, role := range auth.Roles() {
			status, b := r.do(route.Method, path, r.keys[role], "{}")
			allowed := status != http.StatusForbidden && status != http.StatusUnauthorized
			if allowed != role.Allows(need) {
				t.Errorf("%s as %s = %d %s; allowed %v, want %v", endpoint, role, status, b, allowed, role.Allows(need))
			}
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestChangeOfAddressLifecycle takes the change-of-address policy from a new draft through
// shadow, the gate and Live, then experiments, analytics, rollback and the audit trail.
func TestChangeOfAddressLifecycle(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	body := repotest.ReadExample(t, "change-address.yaml")
	const pol = "/v1/studio/policies/change-address"

	if out := r.json(auth.RoleViewer, "GET", "/v1/studio/me", "", 200); out["owner"] != "viewer@example.com" || out["role"] != "viewer" {
		t.Fatalf("me = %v", out)
	}
	r.json(auth.RoleViewer, "POST", "/v1/studio/policies", `{"name": "change-address", "body": `+quote(body)+`}`, 403)
	bad := r.json(auth.RoleAuthor, "POST", "/v1/studio/policies", `{"name": "change-address", "body": "policy: change-address\nstart: check\nnodes:\n  check: { decide: [ { when: \"custmer == nil\", goto: x } ] }\n"}`, 422)
	if bad["error"].(map[string]any)["code"] != "invalid_policy" || len(bad["problems"].([]any)) == 0 {
		t.Fatalf("invalid body = %v", bad)
	}
	created := r.json(auth.RoleAuthor, "POST", "/v1/studio/policies", `{"name": "change-address", "title": "Change of address", "category": "account", "country": "DE", "body": `+quote(body)+`}`, 201)
	if created["latest"] != 1.0 || created["title"] != "Change of address" {
		t.Fatalf("created = %v", created)
	}
	r.json(auth.RoleAuthor, "POST", "/v1/studio/policies", `{"name": "change-address"}`, 409)
	r.json(auth.RoleAuthor, "PATCH", pol, `{"description": "Customer moves house"}`, 200)
	if v := r.json(auth.RoleViewer, "GET", pol+"/versions/1", "", 200); v["state"] != "draft" || v["graph"].(map[string]any)["start"] != "check" {
		t.Fatalf("version 1 = %v", v)
	}
	if out := r.json(auth.RoleViewer, "POST", "/v1/studio/validate", `{"body": "policy: x\nstart: a\nnodes: {}\n"}`, 200); out["ok"] != false {
		t.Fatalf("validate = %v", out)
	}

	// Test cases from the example file, through the API.
	_, bodies, err := lifecycle.CaseBodies([]byte(repotest.ReadExample(t, "change-address.test.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range bodies {
		r.json(auth.RoleAuthor, "PUT", pol+"/tests/"+strings.ReplaceAll(name, " ", "%20"), b, 200)
	}
	r.json(auth.RoleAuthor, "PUT", pol+"/tests/broken", `{"expect": {}}`, 422)
	if run := r.json(auth.RoleAuthor, "POST", pol+"/versions/1/tests/run", "", 200); run["failed"] != 0.0 || run["passed"] != float64(len(bodies)) {
		t.Fatalf("tests run = %v", run)
	}
	sim := r.json(auth.RoleAuthor, "POST", pol+"/versions/1/simulate",
		`{"message": {"text": "I moved", "contact": {"customer_id": "C-1"}}, "hydrations": {"customer": {"id": "C-1"}, "open_requests": []}, "inputs": {"confirm": "yes"}}`, 200)
	if sim["status"] != "asking" || sim["node"] != "collect" || len(sim["trace"].([]any)) < 2 {
		t.Fatalf("simulate = %v", sim)
	}

	// Draft -> Shadow; the gate refuses until shadow runs cover it and a day has passed.
	r.json(auth.RoleAuthor, "POST", pol+"/versions/1/shadow", "", 200)
	refused := r.json(auth.RolePublisher, "POST", pol+"/versions/1/promote", "", 409)
	gate := refused["gate"].(map[string]any)
	if refused["error"].(map[string]any)["code"] != "gate_refused" || gate["allowed"] != false || len(gate["reasons"].([]any)) != 2 {
		t.Fatalf("refusal = %v", refused)
	}
	r.json(auth.RoleAuthor, "POST", pol+"/versions/1/promote", "", 403)
	for i, path := range [][]string{
		{"check", "confirm", "collect", "verify", "submit", "approval", "done"},
		{"check", "confirm", "handoff", "handed_off"},
	} {
		if err := r.store.RecordRun(ctx, store.Run{ID: fmt.Sprint("s", i), Policy: "change-address", Version: 1, Path: path, Outcome: "x", Shadow: true}); err != nil {
			t.Fatal(err)
		}
	}
	if g := r.json(auth.RoleViewer, "GET", pol+"/versions/1/gate", "", 200); len(g["reasons"].([]any)) != 1 {
		t.Fatalf("gate with coverage = %v", g)
	}
	r.now = r.now.Add(25 * time.Hour)
	if v := r.json(auth.RolePublisher, "POST", pol+"/versions/1/promote", "", 200); v["state"] != "final" {
		t.Fatalf("promoted = %v", v)
	}
	r.json(auth.RoleAuthor, "PUT", pol+"/versions/1", `{"body": `+quote(body)+`}`, 409)
	r.json(auth.RolePublisher, "POST", pol+"/versions/1/deploy", "", 200)

	// Version 2: a second Final for an experiment, deployed, then rolled back.
	r.json(auth.RoleAuthor, "POST", pol+"/versions", `{"body": `+quote(body)+`}`, 201)
	for _, s := range []store.State{store.StateShadow, store.StateFinal} {
		if _, err := r.store.SetState(ctx, "change-address", 2, s); err != nil {
			t.Fatal(err)
		}
	}
	r.json(auth.RolePublisher, "POST", "/v1/studio/experiments", `{"name": "wording", "policy": "change-address", "arms": [{"version": 3, "from": 0, "to": 50}]}`, 422)
	r.json(auth.RolePublisher, "POST", "/v1/studio/experiments", `{"name": "wording", "policy": "change-address", "arms": [{"version": 2, "from": 0, "to": 60}, {"version": 1, "from": 50, "to": 100}]}`, 422)
	r.json(auth.RolePublisher, "POST", "/v1/studio/experiments", `{"name": "wording", "policy": "change-address", "arms": [{"version": 2, "from": 0, "to": 50, "countries": ["DE"]}]}`, 201)
	if e := r.json(auth.RolePublisher, "POST", "/v1/studio/experiments/wording/enable", "", 200); e["enabled"] != true {
		t.Fatalf("enabled = %v", e)
	}
	if p := r.json(auth.RoleViewer, "GET", pol, "", 200); p["experiment"] != "wording" || p["live"] != 1.0 {
		t.Fatalf("policy = %v", p)
	}
	r.json(auth.RolePublisher, "POST", "/v1/studio/experiments/wording/disable", "", 200)
	r.json(auth.RolePublisher, "POST", pol+"/versions/2/deploy", "", 200)
	if rb := r.json(auth.RolePublisher, "POST", pol+"/rollback", "", 200); rb["live"] != 1.0 || rb["previous"] != 2.0 {
		t.Fatalf("rollback = %v", rb)
	}

	// Analytics over the shadow runs, as JSON and CSV.
	an := r.json(auth.RoleViewer, "GET", pol+"/analytics?shadow=true", "", 200)
	if vs := an["versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["runs"] != 2.0 {
		t.Fatalf("analytics = %v", an)
	}
	status, csv := r.do("GET", pol+"/analytics?format=csv", r.keys[auth.RoleViewer], "")
	if status != 200 || !strings.HasPrefix(string(csv), "policy,version,shadow,metric,key,value\n") || !strings.Contains(string(csv), "change-address,1,true,runs,,2") {
		t.Fatalf("CSV = %d %s", status, csv)
	}
	r.json(auth.RoleViewer, "GET", pol+"/analytics?since=yesterday", "", 400)

	// The audit trail names who did what.
	audit := r.json(auth.RoleViewer, "GET", "/v1/studio/audit?subject=change-address@1", "", 200)
	var trail []string
	for _, e := range audit["entries"].([]any) {
		m := e.(map[string]any)
		trail = append([]string{m["actor"].(string) + " " + m["action"].(string)}, trail...)
	}
	want := []string{
		"author@example.com version.create", "author@example.com version.state",
		"publisher@example.com version.state", "publisher@example.com deploy.live", "publisher@example.com deploy.rollback",
	}
	if strings.Join(trail, "; ") != strings.Join(want, "; ") {
		t.Fatalf("audit trail of version 1:\n%s\nwant\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	all := r.json(auth.RoleViewer, "GET", "/v1/studio/audit?limit=500", "", 200)
	actions := map[string]bool{}
	for _, e := range all["entries"].([]any) {
		actions[e.(map[string]any)["action"].(string)] = true
	}
	for _, a := range []string{"policy.create", "policy.metadata", "test.put", "experiment.create", "experiment.enable", "experiment.disable"} {
		if !actions[a] {
			t.Errorf("audit log lacks %s (has %v)", a, actions)
		}
	}
	r.json(auth.RoleViewer, "GET", "/v1/studio/audit?limit=0", "", 400)
}

func TestKeysAndPlayground(t *testing.T) {
	r := newRig(t)
	created := map[string]any{}
	status, b := r.do("POST", "/v1/studio/keys", adminToken, `{"id": "k-bo", "owner": "bo@example.com", "role": "author"}`)
	if status != 201 || json.Unmarshal(b, &created) != nil || !strings.HasPrefix(created["secret"].(string), auth.KeyPrefix) {
		t.Fatalf("create key = %d %s", status, b)
	}
	secret := created["secret"].(string)
	if status, _ := r.do("GET", "/v1/studio/me", secret, ""); status != 200 {
		t.Fatalf("new key = %d", status)
	}
	r.json(auth.RoleAdmin, "POST", "/v1/studio/keys", `{"id": "k-x", "owner": "x", "role": "root"}`, 400)
	r.json(auth.RoleAdmin, "DELETE", "/v1/studio/keys/k-bo", "", 204)
	if status, _ := r.do("GET", "/v1/studio/me", secret, ""); status != 401 {
		t.Fatalf("revoked key = %d, want 401", status)
	}
	keys := r.json(auth.RoleAdmin, "GET", "/v1/studio/keys", "", 200)
	if len(keys["keys"].([]any)) != 5 {
		t.Fatalf("keys = %v", keys)
	}
	run := r.json(auth.RoleAuthor, "POST", "/v1/studio/executors/run", `{"module": "AGFzbQ==", "input": {"n": 1}}`, 200)
	if run["bytes"] != 4.0 {
		t.Fatalf("playground = %v", run)
	}
	r.json(auth.RoleAuthor, "POST", "/v1/studio/executors/run", `{"module": "not base64!"}`, 400)
	if status, _ := r.do("POST", "/v1/studio/nothing", r.keys[auth.RoleAdmin], ""); status != 404 {
		t.Fatalf("unknown endpoint = %d", status)
	}
	if status, _ := r.do("PATCH", "/v1/studio/me", r.keys[auth.RoleAdmin], ""); status != 405 {
		t.Fatalf("wrong method = %d", status)
	}
}

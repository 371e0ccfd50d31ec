package inapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/internal/repotest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// harness serves the in-app API on a loopback port with the real router, engine, session
// store, one-time codes and a SQLite run store. The back office is a hydration source in
// memory and its actions are recorded: the end-to-end test in cmd/frontdesk runs the same
// flow against the real local plugin.
type harness struct {
	t       *testing.T
	base    string
	token   string
	runs    *store.SQLStore
	schema  *jsonschema.Schema
	mu      sync.Mutex
	sms     []string
	actions []string
}

type harnessOptions struct {
	policies string
	token    string
	jwt      *auth.JWT
	// sessions, when set, is shared with other harnesses: instances of one deployment.
	sessions session.Store
}

func newHarness(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	h := &harness{t: t, token: o.token, schema: compileSchema(t)}
	if o.policies == "" {
		o.policies = filepath.Join(repotest.Root(t), "examples", "policies")
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sessions := o.sessions
	if sessions == nil {
		mem := session.NewMemory()
		t.Cleanup(func() { mem.Close() })
		sessions = mem
	}
	backoffice := hydrate.SourceFunc(func(_ context.Context, call string, args map[string]any) (any, error) {
		switch {
		case call == "GetCustomer" && args["customer_id"] == "C-1001":
			return map[string]any{"id": "C-1001", "phone": "+4915112345678"}, nil
		case call == "ListChangeRequests":
			return []any{}, nil
		}
		return nil, nil
	})
	record := func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.actions = append(h.actions, call.Name)
		return policy.ActionResult{Output: map[string]any{"ok": true}}, nil
	}
	otp := &auth.OTP{Sessions: sessions, Send: func(_ context.Context, _, text, _ string) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.sms = append(h.sms, text)
		return nil
	}}
	actions := policy.Actions{"backoffice.SubmitChangeRequest": record, "crm.AssignCase": record, "crm.UpdateCase": record,
		auth.ActionName: otp.Action()}
	set, err := policy.LoadDir(o.policies, policy.Env{Sources: hydrate.Sources{"backoffice": backoffice}})
	if err != nil {
		t.Fatal(err)
	}
	h.runs, err = store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.runs.Close() })
	routing, _ := router.NewRouting("general-support", nil)
	r, err := router.New(router.Config{Sessions: sessions, Policies: set, Routing: routing, Actions: actions, Runs: h.runs,
		Classifier: intent.Keywords{"change_address": {"address", "moved"}}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := New(Config{Handle: router.Chain(r.Handle, router.Recoverer(log)), Flows: r, Token: o.token, JWT: o.jwt,
		Serves: func(i string) bool { _, ok := set.ForIntent(i); return ok }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), log)
	ch.Mount(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	h.base = "http://" + ln.Addr().String()
	return h
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("screen.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("screen.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reply is a decoded answer of the API.
type reply struct {
	status int
	body   map[string]any
}

func (r reply) screen() map[string]any {
	s, _ := r.body["screen"].(map[string]any)
	return s
}

func (r reply) code() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r reply) fieldError(name string) string {
	fe, _ := r.body["field_errors"].(map[string]any)
	s, _ := fe[name].(string)
	return s
}

// do sends a request with the harness's token (or bearer, when given) and checks the answer
// against the published JSON Schema.
func (h *harness) do(method, path, body string, bearer ...string) reply {
	h.t.Helper()
	req, err := http.NewRequest(method, h.base+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	token := h.token
	if len(bearer) > 0 {
		token = bearer[0]
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		h.t.Fatalf("%s %s: status %d, body is not JSON: %v\n%s", method, path, resp.StatusCode, err, data)
	}
	if err := h.schema.Validate(inst); err != nil {
		h.t.Fatalf("%s %s: the answer does not follow screen.schema.json: %v\n%s", method, path, err, data)
	}
	var out map[string]any
	json.Unmarshal(data, &out)
	return reply{status: resp.StatusCode, body: out}
}

// start starts a flow and returns its id and first screen.
func (h *harness) start(body string) (string, map[string]any) {
	h.t.Helper()
	r := h.do("POST", "/v1/inapp/flows", body)
	if r.status != 201 {
		h.t.Fatalf("start: status %d %v", r.status, r.body)
	}
	return r.body["flow_id"].(string), r.screen()
}

func (h *harness) input(id, data string) reply {
	h.t.Helper()
	return h.do("POST", "/v1/inapp/flows/"+id+"/input", `{"data":`+data+`}`)
}

// lastCode reads the one-time code from the last text message sent.
func (h *harness) lastCode() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.sms) == 0 {
		h.t.Fatal("no code was sent")
	}
	return regexp.MustCompile(`\d{6}`).FindString(h.sms[len(h.sms)-1])
}

func want(t *testing.T, r reply, status int, screenID string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %v", r.status, status, r.body)
	}
	if screenID != "" && r.screen()["id"] != screenID {
		t.Fatalf("screen %v, want %s: %v", r.screen()["id"], screenID, r.body)
	}
}

package agent

import (
	"context"
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
	"sync"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// localBin is the local stack's plugin binary, built once by TestMain: the tests run the
// router on real plugin subprocesses.
var localBin string

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "frontdesk-agent-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	localBin = filepath.Join(dir, "frontdesk-local")
	build := exec.Command("go", "build", "-o", localBin, "./cmd/frontdesk-local")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building frontdesk-local: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// repoRoot walks up from the test's folder to go.mod.
func repoRoot() string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		dir = filepath.Dir(dir)
	}
}

// codePattern finds the one-time code in the text sent to the customer's phone.
var codePattern = regexp.MustCompile(`[0-9]{6}`)

// The admin token of the test server; newStack creates the API keys.
const adminToken = "admin-secret-of-the-agent-tests"

// stack is a router on the local stack's plugins, with agent assist served on loopback.
type stack struct {
	base   string
	router *router.Router
	db     string
	codes  chan string
	// keys by role: publisher (owned by Grace Hopper), viewer.
	keys map[auth.Role]string
}

func newStack(t testing.TB) *stack {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := filepath.Join(t.TempDir(), "local.db")
	var cfgs []plugins.Config
	for _, name := range []string{"crm", "backoffice"} {
		cfgs = append(cfgs, plugins.Config{Name: name, Command: localBin, Args: []string{"--db", db}})
	}
	host, err := plugins.Start(ctx, cfgs, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { host.Close() })
	crm, _ := host.CRM("crm")
	sessions := session.NewMemory()
	s := &stack{db: db, codes: make(chan string, 4)}
	otp := &auth.OTP{Sessions: sessions, Send: func(_ context.Context, _, text, _ string) error {
		s.codes <- codePattern.FindString(text)
		return nil
	}}
	actions := host.Actions()
	actions[auth.ActionName] = otp.Action()
	set, err := policy.LoadDir(filepath.Join(repoRoot(), "examples", "policies"), policy.Env{Sources: host.Sources()})
	if err != nil {
		t.Fatal(err)
	}
	routing, _ := router.NewRouting("general-support", nil)
	s.router, err = router.New(router.Config{Sessions: sessions, Policies: set, Routing: routing, CRM: crm, Actions: actions, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "frontdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keys := &auth.APIKeys{Store: st, AdminToken: adminToken}
	s.keys = map[auth.Role]string{}
	for _, k := range []struct {
		owner string
		role  auth.Role
	}{{"Grace Hopper", auth.RolePublisher}, {"Vic Viewer", auth.RoleViewer}} {
		if _, s.keys[k.role], err = keys.Create(ctx, "k-"+string(k.role), k.owner, k.role); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := New(Config{Handle: s.router.Handle, Conversations: s.router.Conversation, CaseConversations: s.router.ConversationOfCase,
		Cases: crm, Intents: set.Intents, Auth: keys})
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
	// Closing the listener stops Serve. Shutdown would race (fasthttp 1.69) with what still
	// reads a finished request's Done channel, such as database/sql's watcher goroutines.
	t.Cleanup(func() { ln.Close() })
	s.base = "http://" + ln.Addr().String()
	return s
}

// call sends a request and decodes the JSON answer into out; it returns the status.
func (s *stack) call(t *testing.T, method, path, token, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res.StatusCode
}

// TestAgentFinishesCustomersChangeOfAddress: the customer starts on web chat, a CSR opens the
// case, sees the node, the customer record the policy fetched and the options, and answers
// the rest on the customer's behalf; the change request reaches the back office and the case's
// decision log says which turns were agent-guided and by whom.
func TestAgentFinishesCustomersChangeOfAddress(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	if _, err := s.router.Handle(ctx, message.Message{Channel: "webchat", ConversationID: "chat-1",
		Contact: message.Contact{CustomerID: "C-1001"}, Intent: "change_address"}); err != nil {
		t.Fatal(err)
	}
	conv, err := s.router.Conversation(ctx, "chat-1")
	if err != nil || conv.CaseID == "" {
		t.Fatalf("conversation %+v, %v", conv, err)
	}

	var v View
	if code := s.call(t, "GET", "/v1/agent/cases/"+conv.CaseID, adminToken, "", &v); code != 200 {
		t.Fatalf("open case: %d %+v", code, v)
	}
	if v.ConversationID != "chat-1" || !v.Waiting || v.Policy != "change-address" || v.Node != "confirm" {
		t.Fatalf("view %+v", v)
	}
	customer, _ := v.Data["customer"].(map[string]any)
	if customer["id"] != "C-1001" || customer["phone"] == "" {
		t.Fatalf("the customer record the policy used is not shown: %v", v.Data)
	}
	if v.Question == nil || len(v.Question.Choices) != 2 || v.Question.Choices[0].Value != "yes" {
		t.Fatalf("options %+v", v.Question)
	}

	var res EntryResult
	enter := func(token, body string) {
		t.Helper()
		res = EntryResult{}
		if code := s.call(t, "POST", "/v1/agent/conversations/chat-1/messages", token, body, &res); code != 200 {
			t.Fatalf("enter %s: %d %+v", body, code, res)
		}
	}
	enter(adminToken, `{"agent": "Alan", "input": {"choice": "yes"}}`)
	if res.Agent != "Alan" || res.View.Node != "collect" || len(res.View.Question.Form) != 3 || res.View.Inputs["confirm"] != "yes" {
		t.Fatalf("after yes: %+v", res.View)
	}
	enter(s.keys[auth.RolePublisher], `{"agent": "someone else", "input": {"street": "1 Main St", "city": "Leeds", "postcode": "LS1 4AP"}}`)
	if res.Agent != "Grace Hopper" || res.View.Node != "verify" {
		t.Fatalf("a personal key's owner is the agent: %+v", res)
	}
	code := <-s.codes
	enter(s.keys[auth.RolePublisher], fmt.Sprintf(`{"input": {"code": %q}}`, code))
	last := res.Replies[len(res.Replies)-1]
	if res.View.Waiting || last.End == nil || last.End.Resolution != "submitted_for_approval" {
		t.Fatalf("end: %+v", res)
	}

	st, err := local.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	changes, err := st.ListChangeRequests(ctx, "C-1001")
	if err != nil || len(changes) != 1 || changes[0].Fields["postcode"] != "LS1 4AP" {
		t.Fatalf("change requests %+v, %v", changes, err)
	}
	notes, err := st.Notes(ctx, conv.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, n := range notes {
		log = append(log, n.Body)
	}
	all := strings.Join(log, "\n")
	for _, want := range []string{"(webchat, turn 1)", "(agent-guided by Alan, turn 2)", "(agent-guided by Grace Hopper, turn 4)", "ended: submitted_for_approval"} {
		if !strings.Contains(all, want) {
			t.Errorf("decision log lacks %q:\n%s", want, all)
		}
	}
}

// TestAgentStartsARunOnACase: a case with no conversation of frontdesk's opens empty, and
// the agent starts the policy of an intent for the case's customer.
func TestAgentStartsARunOnACase(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	st, err := local.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.EnsureCase(ctx, pluginCase("phone-call-77", "C-1002"))
	if err != nil {
		t.Fatal(err)
	}
	var v View
	if code := s.call(t, "GET", "/v1/agent/cases/"+c.ID, adminToken, "", &v); code != 200 || v.Waiting || v.ConversationID != "case-"+c.ID {
		t.Fatalf("open: %d %+v", code, v)
	}
	var intents map[string][]string
	s.call(t, "GET", "/v1/agent/intents", adminToken, "", &intents)
	if !contains(intents["intents"], "card_lost_stolen") {
		t.Fatalf("intents %v", intents)
	}
	body, _ := json.Marshal(Entry{Agent: "Alan", CaseID: c.ID, Contact: v.Contact, Intent: "card_lost_stolen"})
	var res EntryResult
	if code := s.call(t, "POST", "/v1/agent/conversations/"+v.ConversationID+"/messages", adminToken, string(body), &res); code != 200 {
		t.Fatalf("start: %d %+v", code, res)
	}
	if !res.View.Waiting || res.View.Policy != "card-lost" || res.View.CaseID != c.ID || res.View.Channel != message.ChannelAgent {
		t.Fatalf("started run %+v", res.View)
	}
}

// TestAgentOpensTheConversationOfAnotherChannelsCase: a channel that makes its own cases
// (email: the case first, then a conversation named after it) is found by the case id, through
// the router's record of the case's conversation.
func TestAgentOpensTheConversationOfAnotherChannelsCase(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	st, err := local.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.EnsureCase(ctx, pluginCase("support:<m-1@example.com>", "C-1001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.router.Handle(ctx, message.Message{Channel: "email", ConversationID: "email-" + c.ID, CaseID: c.ID,
		Contact: message.Contact{CustomerID: "C-1001"}, Intent: "change_address"}); err != nil {
		t.Fatal(err)
	}
	var v View
	if code := s.call(t, "GET", "/v1/agent/cases/"+c.ID, adminToken, "", &v); code != 200 {
		t.Fatalf("open: %d %+v", code, v)
	}
	if v.ConversationID != "email-"+c.ID || !v.Waiting || v.Node != "confirm" || v.CaseID != c.ID {
		t.Fatalf("view %+v", v)
	}
}

func pluginCase(external, customer string) plugin.CaseRequest {
	return plugin.CaseRequest{ExternalID: external, Subject: "Phone call", Channel: "phone", CustomerID: customer}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAgentErrors: every refusal is a JSON error with the right status.
func TestAgentErrors(t *testing.T) {
	s := newStack(t)
	if _, err := s.router.Handle(context.Background(), message.Message{Channel: "webchat", ConversationID: "c1",
		Contact: message.Contact{CustomerID: "C-1001"}, Intent: "change_address"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path, token, body string
		status                    int
		code                      string
	}{
		{"GET", "/v1/agent/conversations/c1", "", "", 401, "unauthorized"},
		{"GET", "/v1/agent/conversations/c1", "wrong", "", 401, "unauthorized"},
		{"GET", "/v1/agent/conversations/c1", s.keys[auth.RoleViewer], "", 403, "forbidden"},
		{"POST", "/v1/agent/conversations/c1/messages", s.keys[auth.RoleViewer], `{"text": "hi"}`, 403, "forbidden"},
		{"GET", "/v1/agent/conversations/nope", adminToken, "", 404, "no_conversation"},
		{"GET", "/v1/agent/cases/CS-999999", adminToken, "", 404, "no_case"},
		{"GET", "/v1/agent/cases/not-an-id", adminToken, "", 404, "no_case"},
		{"GET", "/v1/agent/other", adminToken, "", 404, "not_found"},
		{"POST", "/v1/agent/conversations/c1", adminToken, `{}`, 404, "not_found"},
		{"POST", "/v1/agent/conversations/c1/messages", adminToken, `{"text": "hi"}`, 400, "agent_required"},
		{"POST", "/v1/agent/conversations/c1/messages", adminToken, `{"agent": "A"}`, 400, "bad_request"},
		{"POST", "/v1/agent/conversations/c1/messages", adminToken, `{"agent": "A", "choice": "yes"}`, 400, "bad_request"},
		{"POST", "/v1/agent/conversations/c1/messages", adminToken, `not json`, 400, "bad_request"},
	} {
		var body httpserver.ErrorBody
		got := s.call(t, tc.method, tc.path, tc.token, tc.body, &body)
		if got != tc.status || body.Error.Code != tc.code {
			t.Errorf("%s %s %s: %d %+v, want %d %s", tc.method, tc.path, tc.body, got, body, tc.status, tc.code)
		}
	}
}

// TestConcurrentAgentAndCustomer: when the customer and the agent answer at once, one answer
// wins and the other is told to reload, never both applied.
func TestConcurrentAgentAndCustomer(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	if _, err := s.router.Handle(ctx, message.Message{Channel: "webchat", ConversationID: "c2",
		Contact: message.Contact{CustomerID: "C-1001"}, Intent: "change_address"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var handled atomic.Int32
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := s.router.Handle(ctx, message.Message{Channel: "webchat", ConversationID: "c2", Input: map[string]any{"choice": "yes"}}); err == nil {
				handled.Add(1)
			}
		}()
		go func() {
			defer wg.Done()
			var body httpserver.ErrorBody
			switch code := s.call(t, "POST", "/v1/agent/conversations/c2/messages", adminToken, `{"agent": "A", "input": {"choice": "yes"}}`, &body); code {
			case 200:
				handled.Add(1)
			case 409:
				if body.Error.Code != "busy" {
					t.Errorf("409 %+v", body)
				}
			default:
				t.Errorf("agent's answer: %d %+v", code, body)
			}
		}()
	}
	wg.Wait()
	var v View
	s.call(t, "GET", "/v1/agent/conversations/c2", adminToken, "", &v)
	// Whichever "yes" came first moved the run on; the others were asked the form again.
	if v.Node != "collect" || v.Inputs["confirm"] != "yes" || v.Turns != 1+int(handled.Load()) {
		t.Fatalf("after concurrent answers: %+v", v)
	}
}

func TestConversationOfCase(t *testing.T) {
	for _, tc := range []struct {
		c    plugin.Case
		want string
	}{
		{plugin.Case{ID: "CASE-000001", ExternalID: "frontdesk:chat-1"}, "chat-1"},
		{plugin.Case{ID: "CASE-000002", ExternalID: "support:<m@example.com>"}, "case-CASE-000002"},
		{plugin.Case{ID: "CASE-000003", ExternalID: "frontdesk:"}, "case-CASE-000003"},
		{plugin.Case{ID: "500Dn00000A1"}, "case-500Dn00000A1"},
	} {
		if got := ConversationOfCase(tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

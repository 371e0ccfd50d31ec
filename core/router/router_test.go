package router

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// memCRM keeps cases in memory: a test double for the CRM plugin.
type memCRM struct {
	mu       sync.Mutex
	cases    map[string]*plugin.Case
	byExt    map[string]*plugin.Case
	notes    map[string][]string
	keys     map[string]bool
	assigned map[string]string
}

func newMemCRM() *memCRM {
	return &memCRM{cases: map[string]*plugin.Case{}, byExt: map[string]*plugin.Case{}, notes: map[string][]string{}, keys: map[string]bool{}, assigned: map[string]string{}}
}

func (m *memCRM) EnsureCase(_ context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.byExt[req.ExternalID]; ok {
		return *c, nil
	}
	c := &plugin.Case{ID: fmt.Sprintf("CASE-%d", len(m.cases)+1), ExternalID: req.ExternalID, Subject: req.Subject}
	m.cases[c.ID] = c
	m.byExt[c.ExternalID] = c
	return *c, nil
}

func (m *memCRM) UpdateCase(_ context.Context, u plugin.CaseUpdate) (plugin.Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cases[u.CaseID]
	c.Intent, c.Confidence = u.Intent, u.Confidence
	return *c, nil
}

func (m *memCRM) AddNote(_ context.Context, n plugin.Note) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[n.IdempotencyKey] {
		return nil
	}
	m.keys[n.IdempotencyKey] = true
	m.notes[n.CaseID] = append(m.notes[n.CaseID], n.Body)
	return nil
}

func (m *memCRM) AssignCase(_ context.Context, a plugin.Assignment) (plugin.Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.assigned[a.CaseID] = a.Queue
	return *m.cases[a.CaseID], nil
}

func (m *memCRM) GetCase(_ context.Context, id string) (plugin.Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.cases[id]; ok {
		return *c, nil
	}
	return plugin.Case{}, plugin.ErrNotFound
}

type fixture struct {
	router  *Router
	crm     *memCRM
	actions []string
	mu      sync.Mutex
}

func examplesDir(t testing.TB) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "examples", "policies")
		}
		dir = filepath.Dir(dir)
	}
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{crm: newMemCRM()}
	record := func(ctx context.Context, call policy.ActionCall) (policy.ActionResult, error) {
		f.mu.Lock()
		f.actions = append(f.actions, call.Name)
		f.mu.Unlock()
		return policy.ActionResult{Output: map[string]any{"ok": true}}, nil
	}
	actions := policy.Actions{
		"backoffice.SubmitChangeRequest": record, "crm.AssignCase": record, "crm.UpdateCase": record,
		"otp.verify": func(ctx context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			if call.Input == nil {
				return policy.ActionResult{Ask: &policy.Ask{Text: "Enter the code.", Form: []policy.Field{{Name: "code", Required: true}}}}, nil
			}
			if call.Input["code"] != "123456" {
				return policy.ActionResult{}, errors.New("wrong code")
			}
			return record(ctx, call)
		},
	}
	sources := hydrate.Sources{"backoffice": hydrate.SourceFunc(func(_ context.Context, call string, args map[string]any) (any, error) {
		switch call {
		case "GetCustomer":
			if args["customer_id"] == "C-1001" {
				return map[string]any{"id": "C-1001", "phone": "+4915112345678"}, nil
			}
			return nil, nil
		case "ListChangeRequests":
			return []any{}, nil
		}
		return nil, nil
	})}
	set, err := policy.LoadDir(examplesDir(t), policy.Env{Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	routing, err := NewRouting("general-support", map[string][]string{"cards": {"card_not_arrived"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{
		Sessions: session.NewMemory(),
		Policies: set,
		Classifier: intent.Keywords{
			"change_address":   {"address", "moved"},
			"card_lost_stolen": {"lost my card", "stolen"},
			"card_not_arrived": {"not arrived", "never arrived"},
		},
		Routing: routing,
		CRM:     f.crm,
		Actions: actions,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.router = r
	return f
}

func TestChangeOfAddressThroughTheRouter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	contact := message.Contact{CustomerID: "C-1001"}
	send := func(m message.Message) []message.Reply {
		t.Helper()
		m.Channel, m.ConversationID, m.Contact = "api", "conv-1", contact
		replies, err := f.router.Handle(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return replies
	}
	r := send(message.Message{Intent: "change_address"})
	if len(r) != 1 || r[0].Node != "confirm" || len(r[0].Choices) != 2 || r[0].Voice == nil {
		t.Fatalf("first reply %+v", r)
	}
	r = send(message.Message{Input: map[string]any{"choice": "yes"}})
	if r[0].Node != "collect" || len(r[0].Form) != 3 {
		t.Fatalf("form %+v", r)
	}
	r = send(message.Message{Input: map[string]any{"street": "Torstrasse 1", "city": "Berlin", "postcode": "??"}})
	if r[0].Node != "collect" || r[0].Error == "" {
		t.Fatalf("invalid postcode accepted: %+v", r)
	}
	r = send(message.Message{Input: map[string]any{"street": "Torstrasse 1", "city": "Berlin", "postcode": "10119"}})
	if r[0].Node != "verify" || r[0].Form[0].Name != "code" {
		t.Fatalf("code question %+v", r)
	}
	r = send(message.Message{Input: map[string]any{"code": "123456"}})
	last := r[len(r)-1]
	if last.End == nil || last.End.Resolution != "submitted_for_approval" || !last.End.CSAT {
		t.Fatalf("end %+v", r)
	}
	if got := strings.Join(f.actions, ","); got != "otp.verify,backoffice.SubmitChangeRequest,crm.AssignCase" {
		t.Fatalf("actions %s", got)
	}
	notes := strings.Join(f.crm.notes["CASE-1"], "\n")
	for _, want := range []string{"intent change_address (confidence 1.00, named by the client)", "policy change-address version 0 started",
		"waiting for the customer at confirm", "action backoffice.SubmitChangeRequest at submit done", "ended: submitted_for_approval"} {
		if !strings.Contains(notes, want) {
			t.Errorf("decision log lacks %q:\n%s", want, notes)
		}
	}
	// The finished conversation starts over with the next message.
	r = send(message.Message{Text: "I lost my card"})
	if r[0].Node != "what_happened" {
		t.Fatalf("new run %+v", r)
	}
}

func TestUnknownIntentGoesToDefaultTeamWithCandidates(t *testing.T) {
	f := newFixture(t)
	r, err := f.router.Handle(context.Background(), message.Message{Channel: "email", ConversationID: "c2", Text: "What is the weather like?"})
	if err != nil {
		t.Fatal(err)
	}
	if r[0].Handoff == nil || r[0].Handoff.Team != "general-support" || r[0].Handoff.Intent != intent.Unknown {
		t.Fatalf("got %+v", r)
	}
	if f.crm.assigned["CASE-1"] != "general-support" {
		t.Fatalf("case not assigned: %v", f.crm.assigned)
	}
}

func TestIntentWithoutPolicyGoesToItsTeam(t *testing.T) {
	f := newFixture(t)
	r, err := f.router.Handle(context.Background(), message.Message{Channel: "email", ConversationID: "c4", Text: "my card never arrived"})
	if err != nil {
		t.Fatal(err)
	}
	h := r[0].Handoff
	if h == nil || h.Team != "cards" || h.Intent != "card_not_arrived" || len(h.Candidates) != 1 {
		t.Fatalf("got %+v", r[0])
	}
	notes := strings.Join(f.crm.notes[f.caseOf(t, "c4")], "\n")
	if !strings.Contains(notes, "candidates: card_not_arrived 1.00") || !strings.Contains(notes, "handed off to cards") {
		t.Fatalf("decision log: %s", notes)
	}
}

func (f *fixture) caseOf(t *testing.T, conv string) string {
	for id, c := range f.crm.cases {
		if c.ExternalID == "frontdesk:"+conv {
			return id
		}
	}
	t.Fatalf("no case for %s", conv)
	return ""
}

func TestRedeliveredMessageIsHandledOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := message.Message{Channel: "api", ConversationID: "c5", Contact: message.Contact{CustomerID: "C-1001"}}
	m := base
	m.ID, m.Text = "m1", "I lost my card"
	first, err := f.router.Handle(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	answer := base
	answer.ID, answer.Input = "m2", map[string]any{"choice": "lost"}
	for i := 0; i < 2; i++ {
		if _, err := f.router.Handle(ctx, answer); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(f.actions, ","); got != "crm.UpdateCase" {
		t.Fatalf("actions %s: the redelivered answer ran again", got)
	}
	again, _ := f.router.Handle(ctx, answer)
	if len(again) == 0 || again[0].Node != "replace" || len(first) == 0 {
		t.Fatalf("redelivery answered %+v", again)
	}
}

func TestConcurrentMessagesOfOneConversation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := f.router.Handle(ctx, message.Message{Channel: "api", ConversationID: "busy", ID: fmt.Sprint(i), Text: "I lost my card"})
			if err != nil && !errors.Is(err, ErrBusy) {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestBadMessages(t *testing.T) {
	f := newFixture(t)
	for _, m := range []message.Message{
		{Text: "no channel"},
		{Channel: "api"},
		{Channel: "api", Text: string([]byte{0xff, 0xfe})},
		{Channel: "api", Text: strings.Repeat("x", MaxTextLength+1)},
	} {
		if _, err := f.router.Handle(context.Background(), m); !errors.Is(err, ErrBadMessage) {
			t.Errorf("%.20q: got %v", m.Text, err)
		}
	}
}

func TestFailedRunHandsOff(t *testing.T) {
	f := newFixture(t)
	f.router.engine.Actions["crm.AssignCase"] = func(context.Context, policy.ActionCall) (policy.ActionResult, error) {
		return policy.ActionResult{}, errors.New("crm down")
	}
	ctx := context.Background()
	m := message.Message{Channel: "api", ConversationID: "c6", Contact: message.Contact{CustomerID: "C-1001"}, Text: "I lost my card"}
	if _, err := f.router.Handle(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Text, m.Input = "", map[string]any{"choice": "lost"}
	f.router.Handle(ctx, m)
	m.Input = map[string]any{"choice": "yes"}
	r, err := f.router.Handle(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	last := r[len(r)-1]
	if last.Handoff == nil || last.Handoff.Team != "general-support" || !strings.Contains(last.Handoff.Reason, "crm down") {
		t.Fatalf("got %+v", r)
	}
}

func TestMiddleware(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	panicky := func(context.Context, message.Message) ([]message.Reply, error) { panic("boom") }
	if _, err := Chain(panicky, Recoverer(log))(context.Background(), message.Message{}); err == nil {
		t.Fatal("panic not turned into an error")
	}
	slow := func(ctx context.Context, _ message.Message) ([]message.Reply, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if _, err := Chain(slow, Logging(log), Timeout(10*1e6))(context.Background(), message.Message{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func BenchmarkRouterHandle(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		conv := fmt.Sprint("b", i)
		m := message.Message{Channel: "api", ConversationID: conv, Contact: message.Contact{CustomerID: "C-1001"}, Intent: "card_lost_stolen"}
		if _, err := f.router.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
		m.Intent, m.Input = "", map[string]any{"choice": "stolen"}
		if _, err := f.router.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

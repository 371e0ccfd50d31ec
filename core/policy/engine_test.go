package policy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/message"
)

const addressPolicy = `
policy: change-address
intents: [change_address]
hydrations:
  customer:      { plugin: backoffice, call: GetCustomer, args: { customer_id: contact.customer_id } }
  open_requests: { plugin: backoffice, call: ListChangeRequests, args: { customer_id: customer.id } }
start: check
nodes:
  check:
    decide:
      - { when: "customer == nil", goto: handoff }
      - { when: "len(open_requests) > 0", goto: already_pending }
      - { else: confirm }
  confirm:
    ask:
      text: "You want to change the postal address on your account?"
      choices: [ { value: "yes", goto: collect }, { value: "no", goto: handoff } ]
      voice: { say: "To change your address press 1, otherwise 2.", dtmf: { "1": "yes", "2": "no" } }
  collect:
    ask:
      text: "Your new address, please."
      form: [ { name: street, required: true, max: 120 }, { name: postcode, required: true, pattern: "[0-9A-Z -]{3,10}" } ]
      goto: verify
  verify:   { do: otp.verify, args: { phone: customer.phone }, goto: submit, on_error: handoff }
  submit:   { do: backoffice.SubmitChangeRequest, args: { customer_id: customer.id, fields: input.collect }, goto: approval }
  approval: { do: crm.AssignCase, args: { queue: "'data-change-approvals'" }, goto: done }
  done:     { end: submitted_for_approval, say: "Thanks, a colleague will confirm the change.", csat: true }
  already_pending: { end: already_pending, say: "A change is already waiting for approval." }
  handoff:  { do: handoff, args: { team: "'customer-data'" }, goto: handed_off }
  handed_off: { end: handed_off }
`

// backoffice is a hydration source over a fixed customer list.
type backoffice struct{ calls int }

func (b *backoffice) Fetch(_ context.Context, call string, args map[string]any) (any, error) {
	b.calls++
	switch call {
	case "GetCustomer":
		if args["customer_id"] == "C-1" {
			return map[string]any{"id": "C-1", "phone": "+4915100000"}, nil
		}
		return nil, nil
	case "ListChangeRequests":
		return []any{}, nil
	}
	return nil, errors.New("unknown call")
}

// recorder is an action registry that records calls; otp.verify asks for a code first.
type recorder struct {
	calls []ActionCall
	fail  map[string]error
}

func (r *recorder) actions() Actions {
	rec := func(ctx context.Context, call ActionCall) (ActionResult, error) {
		r.calls = append(r.calls, call)
		if err := r.fail[call.Name]; err != nil {
			return ActionResult{}, err
		}
		return ActionResult{Output: map[string]any{"ok": true}}, nil
	}
	return Actions{
		"backoffice.SubmitChangeRequest": rec,
		"crm.AssignCase":                 rec,
		"handoff":                        rec,
		"otp.verify": func(ctx context.Context, call ActionCall) (ActionResult, error) {
			r.calls = append(r.calls, call)
			switch {
			case call.Input == nil:
				return ActionResult{Ask: &Ask{Text: "Enter the code we sent.", Form: []Field{{Name: "code"}}}}, nil
			case call.Input["code"] == "123456":
				return ActionResult{Output: map[string]any{"verified": true}}, nil
			case call.Attempt >= 3:
				return ActionResult{}, errors.New("too many attempts")
			}
			return ActionResult{Ask: &Ask{Text: "Wrong code, try again.", Form: []Field{{Name: "code"}}}}, nil
		},
	}
}

func compileTest(t testing.TB, src string, env Env) *Compiled {
	t.Helper()
	p, s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p, s, env)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTestEngine(t testing.TB, src string) (*Engine, *Compiled, *recorder, *backoffice) {
	bo := &backoffice{}
	rec := &recorder{}
	env := Env{Sources: hydrate.Sources{"backoffice": bo}, Actions: rec.actions()}
	c := compileTest(t, src, env)
	set, err := NewSet(c)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	return &Engine{Actions: env.Actions, Library: set, Clock: func() time.Time { return clock }}, c, rec, bo
}

// roundTrip serializes and restores a state, as the router does between turns.
func roundTrip(t *testing.T, s *State) *State {
	t.Helper()
	data, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalState(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestHappyPathAcrossSerializedTurns(t *testing.T) {
	e, c, rec, bo := newTestEngine(t, addressPolicy)
	ctx := context.Background()
	msg := message.Message{Channel: "webchat", Contact: message.Contact{CustomerID: "C-1"}, Text: "I moved"}

	step, st := e.Run(ctx, c, Start{Message: msg, RunID: "r1", CaseID: "case-9"})
	if step.Status != Asking || step.Node != "confirm" {
		t.Fatalf("first step: %+v", step)
	}
	turns := []message.Message{
		{Input: map[string]any{"choice": "yes"}},
		{Input: map[string]any{"street": "1 Main St"}}, // postcode missing: asked again
		{Input: map[string]any{"street": "1 Main St", "postcode": "10115"}},
		{Input: map[string]any{"code": "000000"}}, // wrong code: asked again
		{Input: map[string]any{"code": "123456"}},
	}
	wantNodes := []string{"collect", "collect", "verify", "verify", ""}
	for i, turn := range turns {
		st = roundTrip(t, st)
		step, st = e.Resume(ctx, st, Turn{Message: turn})
		if step.Node != wantNodes[i] && step.Status == Asking {
			t.Fatalf("turn %d: at %s, want %s (%+v)", i, step.Node, wantNodes[i], step)
		}
	}
	if step.Status != Done || step.End.Resolution != "submitted_for_approval" || !step.End.CSAT {
		t.Fatalf("last step: %+v err=%v", step, step.Err)
	}
	if st != nil {
		t.Fatal("a finished run returns no state")
	}
	if got := strings.Join(step.Says, "|"); got != "Thanks, a colleague will confirm the change." {
		t.Fatalf("says %q", got)
	}
	var names []string
	for _, call := range rec.calls {
		names = append(names, call.Name)
	}
	if got := strings.Join(names, ","); got != "otp.verify,otp.verify,otp.verify,backoffice.SubmitChangeRequest,crm.AssignCase" {
		t.Fatalf("actions %s", got)
	}
	submit := rec.calls[3]
	fields := submit.Args["fields"].(map[string]any)
	if submit.Args["customer_id"] != "C-1" || fields["postcode"] != "10115" || submit.CaseID != "case-9" {
		t.Fatalf("submit args %+v", submit)
	}
	if submit.IdempotencyKey != "r1/submit" {
		t.Fatalf("idempotency key %q", submit.IdempotencyKey)
	}
	if bo.calls != 2 {
		t.Fatalf("hydrations fetched %d times, want 2 (memoized across turns)", bo.calls)
	}
}

func TestInvalidAnswersAreAskedAgain(t *testing.T) {
	e, c, _, _ := newTestEngine(t, addressPolicy)
	ctx := context.Background()
	_, st := e.Run(ctx, c, Start{Message: message.Message{Contact: message.Contact{CustomerID: "C-1"}}})
	step, st := e.Resume(ctx, st, Turn{Message: message.Message{Text: "maybe"}})
	if step.Status != Asking || step.Node != "confirm" || !strings.Contains(step.Ask.Error, "yes, no") {
		t.Fatalf("got %+v", step)
	}
	step, st = e.Resume(ctx, st, Turn{Message: message.Message{Input: map[string]any{"dtmf": "1"}}})
	if step.Node != "collect" {
		t.Fatalf("dtmf 1 should choose yes: %+v", step)
	}
	step, _ = e.Resume(ctx, st, Turn{Message: message.Message{Input: map[string]any{"street": strings.Repeat("x", 121), "postcode": "!!"}}})
	if step.Ask == nil || step.Ask.FieldErrors["street"] == "" || step.Ask.FieldErrors["postcode"] == "" {
		t.Fatalf("field errors: %+v", step.Ask)
	}
}

func TestPathsAndOnError(t *testing.T) {
	for _, tt := range []struct {
		name     string
		customer string
		fail     map[string]error
		answers  []map[string]any
		want     string
		path     string
	}{
		{name: "unknown customer hands off", customer: "C-404", want: "handed_off", path: "check,handoff,handed_off"},
		{name: "customer says no", customer: "C-1", answers: []map[string]any{{"choice": "no"}}, want: "handed_off",
			path: "check,confirm,handoff,handed_off"},
		{name: "otp failure takes on_error", customer: "C-1", fail: map[string]error{}, answers: []map[string]any{
			{"choice": "yes"}, {"street": "a", "postcode": "123"}, {"code": "1"}, {"code": "2"}},
			want: "handed_off", path: "check,confirm,collect,verify,handoff,handed_off"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, c, rec, _ := newTestEngine(t, addressPolicy)
			rec.fail = tt.fail
			ctx := context.Background()
			step, st := e.Run(ctx, c, Start{Message: message.Message{Contact: message.Contact{CustomerID: tt.customer}}})
			for _, a := range tt.answers {
				step, st = e.Resume(ctx, st, Turn{Message: message.Message{Input: a}})
			}
			if step.Status != Done || step.End.Resolution != tt.want {
				t.Fatalf("got %+v (err %v)", step, step.Err)
			}
			_ = st
		})
	}
}

func TestPathIsRecorded(t *testing.T) {
	e, c, _, _ := newTestEngine(t, addressPolicy)
	ctx := context.Background()
	_, st := e.Run(ctx, c, Start{Message: message.Message{Contact: message.Contact{CustomerID: "C-1"}}})
	if got := strings.Join(st.Path, ","); got != "check,confirm" {
		t.Fatalf("path %s", got)
	}
}

func TestActionFailureWithoutOnErrorFailsRunNamingNode(t *testing.T) {
	e, c, rec, _ := newTestEngine(t, addressPolicy)
	rec.fail = map[string]error{"crm.AssignCase": errors.New("crm down")}
	ctx := context.Background()
	_, st := e.Run(ctx, c, Start{Message: message.Message{Contact: message.Contact{CustomerID: "C-1"}}})
	for _, in := range []map[string]any{{"choice": "yes"}, {"street": "a", "postcode": "123"}, {}, {"code": "123456"}} {
		var step *Step
		step, st = e.Resume(ctx, st, Turn{Message: message.Message{Input: in}})
		if step.Status == Failed {
			var re *RunError
			if !errors.As(step.Err, &re) || re.Node != "approval" || !strings.Contains(step.Err.Error(), "crm down") {
				t.Fatalf("got %v", step.Err)
			}
			return
		}
	}
	t.Fatal("run did not fail")
}

func TestRuntimeExpressionErrorFailsRun(t *testing.T) {
	src := `
policy: p
start: a
nodes:
  a:
    decide:
      - { when: "vars.customer.address.street == 'x'", goto: b }
      - { else: b }
  b: { end: ok }
`
	e := &Engine{}
	c := compileTest(t, src, Env{})
	step, _ := e.Run(context.Background(), c, Start{})
	if step.Status != Failed || step.Node != "a" {
		t.Fatalf("got %+v", step)
	}
}

func TestContextDeadline(t *testing.T) {
	e, c, _, _ := newTestEngine(t, addressPolicy)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	step, _ := e.Run(ctx, c, Start{Message: message.Message{Contact: message.Contact{CustomerID: "C-1"}}})
	if step.Status != Failed || !errors.Is(step.Err, context.Canceled) {
		t.Fatalf("got %+v", step)
	}
}

type feeExecutor struct{ got []Arg }

func (f *feeExecutor) Execute(ctx context.Context, req ExecRequest) (ExecResult, error) {
	f.got = req.Args
	late, _ := req.Args[0].Value.(bool)
	if late {
		return ExecResult{Branch: "waive", Vars: []Var{{Name: "refund", Value: 5.0}}}, nil
	}
	return ExecResult{Branch: "keep"}, nil
}

func TestExecutorDecideAndCall(t *testing.T) {
	main := `
policy: fee
start: check
hydrations:
  trip: { static: { fee: 5.0, driver_late: true } }
nodes:
  check:
    decide:
      executor: fee_eligible
      select: { fee: trip.fee, driver_late: trip.driver_late }
      branches: { waive: refund, keep: explain }
  refund: { call: refund-flow, goto: done }
  explain: { end: fee_explained }
  done: { end: "refunded" }
`
	sub := `
policy: refund-flow
start: r
nodes:
  r: { do: set, args: { amount: vars.refund }, goto: fin }
  fin: { end: refund_issued, say: "Refund on its way." }
`
	ex := &feeExecutor{}
	var got map[string]any
	actions := Actions{"set": func(ctx context.Context, call ActionCall) (ActionResult, error) {
		got = call.Args
		return ActionResult{Vars: call.Args}, nil
	}}
	env := Env{Executors: ExecutorMap{"fee_eligible": ex}, Actions: actions}
	cm, cs := compileTest(t, main, env), compileTest(t, sub, env)
	set, err := NewSet(cm, cs)
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{Actions: actions, Executors: env.Executors, Library: set}
	step, _ := e.Run(context.Background(), cm, Start{})
	if step.Status != Done || step.End.Resolution != "refunded" {
		t.Fatalf("got %+v err %v", step, step.Err)
	}
	if ex.got[0].Name != "driver_late" || ex.got[1].Name != "fee" {
		t.Fatalf("args sorted by name: %+v", ex.got)
	}
	if got["amount"] != 5.0 {
		t.Fatalf("executor vars flow on: %+v", got)
	}
	if len(step.Says) != 1 {
		t.Fatalf("says %v", step.Says)
	}
	var path []string
	for _, ev := range step.Trace {
		path = append(path, ev.Policy+"/"+ev.Node)
	}
	if got := strings.Join(path, ","); got != "fee/check,fee/refund,refund-flow/r,refund-flow/fin,fee/done" {
		t.Fatalf("trace %s", got)
	}
}

func BenchmarkPolicyRun(b *testing.B) {
	// 10 nodes, 3 conditions, 2 memoized hydrations, 2 actions.
	src := `
policy: bench
start: a
hydrations:
  customer: { source: backoffice, call: GetCustomer, args: { customer_id: contact.customer_id } }
  requests: { source: backoffice, call: ListChangeRequests, args: { customer_id: customer.id } }
nodes:
  a:
    decide:
      - { when: "customer == nil", goto: h }
      - { else: b }
  b:
    decide:
      - { when: "len(requests) > 0", goto: h }
      - { else: c }
  c:
    decide:
      - { when: "customer.phone != ''", goto: d }
      - { else: h }
  d: { do: log, args: { customer: customer.id }, goto: e }
  e: { do: log, args: { note: "'checked'" }, goto: f }
  f: { do: log, goto: g }
  g: { do: log, goto: i }
  i: { end: done }
  h: { do: log, goto: j }
  j: { end: handed_off }
`
	bo := &backoffice{}
	noop := func(context.Context, ActionCall) (ActionResult, error) { return ActionResult{}, nil }
	env := Env{Sources: hydrate.Sources{"backoffice": bo}, Actions: Actions{"log": noop}}
	c := compileTest(b, src, env)
	e := &Engine{Actions: env.Actions}
	start := Start{RunID: "bench", Message: message.Message{Contact: message.Contact{CustomerID: "C-1"}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step, _ := e.Run(ctx, c, start)
		if step.Status != Done {
			b.Fatal(step.Err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
}

// The message source answers the fields expressions read, also after a suspended run is
// serialized and restored.
func TestMessageSourceAcrossTurns(t *testing.T) {
	src := `
policy: p
hydrations:
  who: { source: message, call: contact }
start: a
nodes:
  a:
    decide:
      - { when: "who.customer_id != ''", goto: q }
      - { else: no }
  q: { ask: { text: "ok?", goto: b } }
  b:
    decide:
      - { when: "who.customer_id == 'C-7' && who.attributes.country == 'DE'", goto: yes }
      - { else: no }
  yes: { end: matched }
  no: { end: missed }
`
	c := compileTest(t, src, Env{})
	set, err := NewSet(c)
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{Library: set}
	msg := message.Message{Contact: message.Contact{CustomerID: "C-7", Attributes: map[string]string{"country": "DE"}}}
	_, st := e.Run(context.Background(), c, Start{Message: msg})
	step, _ := e.Resume(context.Background(), roundTrip(t, st), Turn{Message: message.Message{Text: "yes"}})
	if step.Status != Done || step.End.Resolution != "matched" {
		t.Fatalf("got %+v (%v)", step, step.Err)
	}
}

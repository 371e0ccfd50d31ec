package router

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

func TestBackReturnsToEarlierQuestions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	send := func(m message.Message) []message.Reply {
		t.Helper()
		m.Channel, m.ConversationID, m.Contact = "inapp", "back-1", message.Contact{CustomerID: "C-1001"}
		r, err := f.router.Handle(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	back := func(wantNode string) {
		t.Helper()
		r, err := f.router.Back(ctx, "back-1")
		if err != nil {
			t.Fatalf("back to %s: %v", wantNode, err)
		}
		if len(r) != 1 || r[0].Node != wantNode || r[0].Error != "" || r[0].FieldErrors != nil || r[0].CanGoBack != (wantNode != "confirm") {
			t.Fatalf("back to %s gave %+v", wantNode, r)
		}
	}
	if _, err := f.router.Back(ctx, "back-1"); !errors.Is(err, ErrNoConversation) {
		t.Fatalf("unknown conversation: %v", err)
	}
	if r := send(message.Message{Intent: "change_address"}); r[0].CanGoBack {
		t.Fatalf("the first question offers to go back: %+v", r)
	}
	if _, err := f.router.Back(ctx, "back-1"); !errors.Is(err, ErrCannotGoBack) {
		t.Fatalf("back at the first question: %v", err)
	}
	send(message.Message{Input: map[string]any{"choice": "yes"}})
	r := send(message.Message{Input: map[string]any{"street": "Torstrasse 1", "city": "Berlin", "postcode": "??"}})
	if r[0].FieldErrors["postcode"] == "" {
		t.Fatalf("no field error for the postcode: %+v", r)
	}
	if r := send(message.Message{Input: map[string]any{"street": "Torstrasse 1", "city": "Berlin", "postcode": "10119"}}); !r[0].CanGoBack {
		t.Fatalf("the code question does not offer to go back: %+v", r)
	}
	back("collect")
	back("confirm")
	if _, err := f.router.Back(ctx, "back-1"); !errors.Is(err, ErrCannotGoBack) {
		t.Fatalf("back past the first question: %v", err)
	}
	// Forward again, with another answer this time.
	if r := send(message.Message{Input: map[string]any{"choice": "yes"}}); r[0].Node != "collect" {
		t.Fatalf("after going back: %+v", r)
	}
	send(message.Message{Input: map[string]any{"street": "Invalidenstrasse 2", "city": "Berlin", "postcode": "10115"}})
	r = send(message.Message{Input: map[string]any{"code": "123456"}})
	if end := r[len(r)-1].End; end == nil || end.Resolution != "submitted_for_approval" {
		t.Fatalf("end %+v", r)
	}
	if _, err := f.router.Back(ctx, "back-1"); !errors.Is(err, ErrCannotGoBack) {
		t.Fatalf("back after the end: %v", err)
	}
	notes := strings.Join(f.crm.notes["CASE-1"], "\n")
	if !strings.Contains(notes, "went back from verify to collect") || !strings.Contains(notes, "went back from collect to confirm") {
		t.Fatalf("the decision log lacks the steps back:\n%s", notes)
	}
}

func TestBackKeepsInteractiveActionAttempts(t *testing.T) {
	cur := &policy.State{Policy: "p", Waiting: "verify", Frames: []*policy.Frame{{Policy: "p"}}, Attempts: map[string]int{"verify": 2}}
	prev := &policy.State{Policy: "p", Waiting: "collect", Frames: []*policy.Frame{{Policy: "p"}}}
	c, _ := cur.Marshal()
	p, _ := prev.Marshal()
	got, err := rewind(c, p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := policy.UnmarshalState(got.state)
	if err != nil {
		t.Fatal(err)
	}
	if st.Waiting != "collect" || st.Attempts["verify"] != 2 || got.from != "verify" {
		t.Fatalf("rewound to %+v from %s", st, got.from)
	}
}

func TestDidActions(t *testing.T) {
	for _, tc := range []struct {
		step policy.Step
		want bool
	}{
		{policy.Step{Node: "verify", Actions: []policy.ActionRecord{{Node: "verify", Name: "otp.verify"}}}, false},
		{policy.Step{Node: "ask", Actions: []policy.ActionRecord{{Node: "s", Name: ActionSet}}}, false},
		{policy.Step{Node: "ask", Actions: []policy.ActionRecord{{Node: "submit", Name: "backoffice.SubmitChangeRequest"}}}, true},
		{policy.Step{Node: "ask", Actions: []policy.ActionRecord{{Node: "submit", Name: "crm.AssignCase", Error: "down"}}}, false},
	} {
		if got := didActions(&tc.step); got != tc.want {
			t.Errorf("didActions(%+v) = %v, want %v", tc.step.Actions, got, tc.want)
		}
	}
}

package router

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
)

func TestHandOffEndsTheWaitingRun(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := message.Message{Channel: "twilio", ConversationID: "h1", Contact: message.Contact{CustomerID: "C-1001"}, Text: "I lost my card"}
	if r, err := f.router.Handle(ctx, m); err != nil || r[0].Node != "what_happened" {
		t.Fatalf("%+v %v", r, err)
	}
	r, err := f.router.HandOff(ctx, message.Message{ConversationID: "h1"}, "no input after 3 prompts")
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 1 || r[0].Handoff == nil || r[0].Handoff.Team != "general-support" || r[0].Handoff.Intent != "card_lost_stolen" {
		t.Fatalf("got %+v", r)
	}
	id := f.caseOf(t, "h1")
	if f.crm.assigned[id] != "general-support" || !strings.Contains(strings.Join(f.crm.notes[id], "\n"), "handed off to general-support: no input after 3 prompts") {
		t.Fatalf("case %v notes %v", f.crm.assigned, f.crm.notes[id])
	}
	// The run is over: the next message starts afresh.
	m.Text = "stolen"
	if r, err = f.router.Handle(ctx, m); err != nil || r[0].Node == "fraud" {
		t.Fatalf("the handed-off run resumed: %+v %v", r, err)
	}
	if _, err := f.router.HandOff(ctx, message.Message{}, "x"); !errors.Is(err, ErrBadMessage) {
		t.Fatalf("empty id: %v", err)
	}
}

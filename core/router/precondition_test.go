package router

import (
	"context"
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
)

func TestPrecondition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	refused := errors.New("refused")
	var seen []string
	p := Precondition(func(conv *message.Conversation, msg *message.Message) error {
		if conv == nil {
			seen = append(seen, "none")
			return refused
		}
		seen = append(seen, conv.LastReplies[0].Node)
		msg.Input = map[string]any{"choice": "yes"} // completed from the screen
		return nil
	})
	m := message.Message{Channel: "inapp", ConversationID: "pre", Contact: message.Contact{CustomerID: "C-1001"}, Input: map[string]any{"x": "y"}}
	if _, err := f.router.Handle(WithPrecondition(ctx, p), m); !errors.Is(err, refused) {
		t.Fatalf("no conversation: %v", err)
	}
	if _, err := f.router.Conversation(ctx, "pre"); !errors.Is(err, ErrNoConversation) {
		t.Fatalf("a refused message saved a conversation: %v", err)
	}
	start := m
	start.Input, start.Intent = nil, "change_address"
	if _, err := f.router.Handle(ctx, start); err != nil {
		t.Fatal(err)
	}
	m.ID = "answer-1"
	r, err := f.router.Handle(WithPrecondition(ctx, p), m)
	if err != nil || r[0].Node != "collect" {
		t.Fatalf("the completed answer was not taken: %+v %v", r, err)
	}
	// A redelivery is answered as before, unchecked.
	if r, err := f.router.Handle(WithPrecondition(ctx, p), m); err != nil || r[0].Node != "collect" {
		t.Fatalf("redelivery: %+v %v", r, err)
	}
	if len(seen) != 2 || seen[0] != "none" || seen[1] != "confirm" {
		t.Fatalf("the precondition saw %v", seen)
	}
}

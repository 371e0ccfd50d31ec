package agent

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// BenchmarkView measures what opening a conversation costs besides the session store: the
// suspended run of a change of address at its form, read into the agent's view.
func BenchmarkView(b *testing.B) {
	s := newStack(b)
	ctx := context.Background()
	for _, m := range []message.Message{
		{Intent: "change_address"},
		{Input: map[string]any{"choice": "yes"}},
	} {
		m.Channel, m.ConversationID, m.Contact = "webchat", "bench", message.Contact{CustomerID: "C-1001"}
		if _, err := s.router.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	conv, err := s.router.Conversation(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v, err := NewView(conv); err != nil || v.Node != "collect" {
			b.Fatal(v, err)
		}
	}
}

func BenchmarkDecodeEntry(b *testing.B) {
	body := []byte(`{"id": "6f1c2a", "agent": "Alan Turing", "case_id": "CASE-000001", "contact": {"customer_id": "C-1001"},
		"input": {"street": "1 Main St", "city": "Leeds", "postcode": "LS1 4AP"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeEntry(body); err != nil {
			b.Fatal(err)
		}
	}
}

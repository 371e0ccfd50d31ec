package webchat

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// BenchmarkPush measures saving one turn's two messages to a chat with a full list of batches
// (64 turns): the messages are written, the chat record is read, extended and written back
// with compare-and-set, as on every turn.
func BenchmarkPush(b *testing.B) {
	ctx := context.Background()
	c := chats{store: session.NewMemory(), ttl: time.Hour}
	token, err := c.create(ctx, &chat{ConversationID: "webchat-bench"})
	if err != nil {
		b.Fatal(err)
	}
	turn := []Message{{From: "customer", Text: "Torstrasse 1, Berlin"},
		{From: "bot", Text: "We sent a 6-digit code to your phone. Please enter it.",
			Form: &Form{Node: "verify", Submit: "Send", Fields: []FormField{{Name: "code", Label: "Code", Type: "text", Required: true, Pattern: "[0-9]{6}"}}}}}
	for i := 0; i < maxBatches; i++ {
		if _, err := c.push(ctx, token, fmt.Sprint("fill-", i), turn); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.push(ctx, token, fmt.Sprint("c", i), turn); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeClientFrame measures decoding and checking a form frame.
func BenchmarkDecodeClientFrame(b *testing.B) {
	frame := []byte(`{"type":"form","id":"c-17","fields":{"street":"Torstrasse 1","city":"Berlin","postcode":"10119"}}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeClientFrame(frame); err != nil {
			b.Fatal(err)
		}
	}
}

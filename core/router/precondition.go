package router

import (
	"context"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Precondition checks a message against its saved conversation before the turn handles it:
// conv is nil when none is saved. It may complete the message from what the conversation
// shows (the empty fields of the form on screen); an error stops the turn, changing nothing,
// and Handle returns it as is. A redelivered message is answered as before without the check.
//
// It lets a channel refuse an answer to a question the conversation no longer asks, or to a
// conversation that does not exist, with the one load the turn makes anyway.
type Precondition func(conv *message.Conversation, msg *message.Message) error

type preconditionKey struct{}

// WithPrecondition returns a context under which Handle checks the message with p. The
// context passes through middleware like any other.
func WithPrecondition(ctx context.Context, p Precondition) context.Context {
	return context.WithValue(ctx, preconditionKey{}, p)
}

// check runs the context's precondition, if any.
func check(ctx context.Context, conv *message.Conversation, version uint64, msg *message.Message) error {
	p, _ := ctx.Value(preconditionKey{}).(Precondition)
	if p == nil {
		return nil
	}
	if version == 0 {
		conv = nil
	}
	return p(conv, msg)
}

package router

import (
	"context"
	"errors"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// ErrNoConversation reports that no conversation with the id is kept: it never existed or
// was idle longer than the conversation TTL.
var ErrNoConversation = errors.New("no such conversation")

// Conversation returns the saved state of a conversation, for people who look at it (agent
// assist). It changes nothing; the next message may change it at any time.
func (r *Router) Conversation(ctx context.Context, id string) (*message.Conversation, error) {
	if id == "" {
		return nil, ErrNoConversation
	}
	conv, version, err := r.load(ctx, message.Message{ConversationID: id})
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return nil, ErrNoConversation
	}
	return conv, nil
}

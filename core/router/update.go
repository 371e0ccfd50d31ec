package router

import (
	"context"
	"errors"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// update applies change to a saved conversation and saves it, loading it again when another
// instance changed it in the meantime. It fails with ErrNoConversation when none is saved and
// with change's error, saving nothing, when change refuses.
func (r *Router) update(ctx context.Context, id string, change func(*message.Conversation) error) (*message.Conversation, error) {
	for attempt := 1; ; attempt++ {
		conv, version, err := r.load(ctx, message.Message{ConversationID: id})
		if err != nil {
			return nil, err
		}
		if version == 0 {
			return nil, ErrNoConversation
		}
		if err := change(conv); err != nil {
			return nil, err
		}
		err = r.save(ctx, conv, version)
		if err == nil {
			return conv, nil
		}
		if !errors.Is(err, session.ErrConflict) {
			return nil, err
		}
		if attempt == maxAttempts {
			return nil, ErrBusy
		}
	}
}

package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// conversationKey is the session key of a conversation.
func conversationKey(id string) string { return "conv:" + id }

// load returns the conversation of msg and its version (0 for a new one).
func (r *Router) load(ctx context.Context, msg message.Message) (*message.Conversation, uint64, error) {
	data, version, err := r.cfg.Sessions.Get(ctx, conversationKey(msg.ConversationID))
	if errors.Is(err, session.ErrNotFound) {
		now := r.cfg.Clock()
		return &message.Conversation{
			ID: msg.ConversationID, Channel: msg.Channel, Contact: msg.Contact,
			CaseID: msg.CaseID, CreatedAt: now, UpdatedAt: now,
		}, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("load conversation %s: %w", msg.ConversationID, err)
	}
	var conv message.Conversation
	if err := json.Unmarshal(data, &conv); err != nil {
		return nil, 0, fmt.Errorf("conversation %s is not readable: %w", msg.ConversationID, err)
	}
	mergeContact(&conv.Contact, msg.Contact)
	if conv.CaseID == "" {
		conv.CaseID = msg.CaseID
	}
	return &conv, version, nil
}

// mergeContact adds what a later message knows about the contact.
func mergeContact(dst *message.Contact, src message.Contact) {
	for _, f := range []struct {
		d *string
		s string
	}{
		{&dst.Email, src.Email}, {&dst.Phone, src.Phone}, {&dst.PortalUserID, src.PortalUserID},
		{&dst.CustomerID, src.CustomerID}, {&dst.Name, src.Name},
	} {
		if *f.d == "" {
			*f.d = f.s
		}
	}
}

// save writes the conversation if nobody else did since load; otherwise session.ErrConflict.
func (r *Router) save(ctx context.Context, conv *message.Conversation, version uint64) error {
	data, err := json.Marshal(conv)
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", conv.ID, err)
	}
	if _, err := r.cfg.Sessions.CompareAndSet(ctx, conversationKey(conv.ID), data, version, r.cfg.ConversationTTL); err != nil {
		if errors.Is(err, session.ErrConflict) {
			return err
		}
		return fmt.Errorf("save conversation %s: %w", conv.ID, err)
	}
	return nil
}

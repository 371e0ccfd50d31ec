package router

import (
	"context"
	"errors"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
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

// caseKey is the session key that names the conversation of a CRM case.
func caseKey(caseID string) string { return "case:" + caseID }

// rememberCase records which conversation a case belongs to, so that a person who has only
// the case (in the CRM) finds the conversation, whichever channel made the case and however
// it named the conversation. It is written on a conversation's first turn and whenever a
// channel names the case, not on every turn.
func (t *turn) rememberCase(ctx context.Context) {
	if t.conv.CaseID == "" || (t.conv.Turns != 1 && t.msg.CaseID == "") {
		return
	}
	if err := t.r.cfg.Sessions.Put(ctx, caseKey(t.conv.CaseID), []byte(t.conv.ID), t.r.cfg.ConversationTTL); err != nil {
		t.r.log.WarnContext(ctx, "case's conversation not recorded", "case", t.conv.CaseID, "conversation", t.conv.ID, "err", err)
	}
}

// ConversationOfCase returns the id of the conversation kept for a case; ErrNoConversation
// when none is (the case came from elsewhere, or its conversation expired).
func (r *Router) ConversationOfCase(ctx context.Context, caseID string) (string, error) {
	if caseID == "" {
		return "", ErrNoConversation
	}
	data, _, err := r.cfg.Sessions.Get(ctx, caseKey(caseID))
	if errors.Is(err, session.ErrNotFound) {
		return "", ErrNoConversation
	}
	if err != nil {
		return "", err
	}
	return string(data), nil
}

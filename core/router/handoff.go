package router

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// HandOff ends the conversation's waiting run, if any, and hands it to the team of its intent,
// logging the reason on the case like any other decision. Channels call it when they give up
// on their own, such as a voice channel after the caller did not answer a prompt several times.
//
// msg names the conversation (ConversationID, required) and, for one not saved yet, its
// Channel and Contact. msg.ID, when set, names a message still being handled that the channel
// stopped waiting for: when that turn ends it finds the hand-off saved and answers with it, as
// for a redelivered message, instead of starting the policy again.
func (r *Router) HandOff(ctx context.Context, msg message.Message, reason string) ([]message.Reply, error) {
	if msg.ConversationID == "" {
		return nil, fmt.Errorf("%w: a conversation id is required", ErrBadMessage)
	}
	for attempt := 1; ; attempt++ {
		replies, err := r.handOff(ctx, msg, reason)
		if !errors.Is(err, session.ErrConflict) {
			return replies, err
		}
		if attempt == maxAttempts {
			return nil, ErrBusy
		}
	}
}

func (r *Router) handOff(ctx context.Context, msg message.Message, reason string) ([]message.Reply, error) {
	conv, version, err := r.load(ctx, msg)
	if err != nil {
		return nil, err
	}
	t := &turn{r: r, msg: msg, conv: conv, started: time.Now()}
	if err := t.ensureCase(ctx); err != nil {
		r.log.WarnContext(ctx, "case not created", "conversation", conv.ID, "err", err)
	}
	conv.Run, conv.Policy, conv.Version = nil, "", 0
	pred := intent.Prediction{Intent: conv.Intent, Confidence: conv.Confidence}
	replies := t.handoff(pred, r.cfg.Routing.TeamFor(conv.Intent), reason)
	conv.Turns++
	conv.UpdatedAt = r.cfg.Clock()
	conv.LastMessageID, conv.LastReplies = msg.ID, replies
	if err := r.save(ctx, conv, version); err != nil {
		return nil, err
	}
	t.flushLog(ctx)
	return replies, nil
}

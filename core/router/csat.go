package router

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// ErrNoCSAT reports that the conversation has no finished run waiting for a satisfaction
// score: none ended with csat, or its score was already given.
var ErrNoCSAT = errors.New("no run of this conversation waits for a satisfaction score")

// Satisfaction scores a customer may give.
const (
	MinCSAT = 1
	MaxCSAT = 5
)

// SubmitCSAT records the customer's satisfaction score (1..5) on the conversation's last run
// that ended with csat: true. A score is taken once: the run is released from the
// conversation before the score is written, so two concurrent submissions record one score
// and the other gets ErrNoCSAT.
func (r *Router) SubmitCSAT(ctx context.Context, conversationID string, score int) error {
	if score < MinCSAT || score > MaxCSAT {
		return fmt.Errorf("%w: a satisfaction score is %d to %d, not %d", ErrBadMessage, MinCSAT, MaxCSAT, score)
	}
	if conversationID == "" {
		return fmt.Errorf("%w: conversation id is required", ErrBadMessage)
	}
	if r.cfg.Runs == nil {
		return ErrNoCSAT
	}
	runID, err := r.takeCSATRun(ctx, conversationID, "")
	if err != nil {
		return err
	}
	if err := r.cfg.Runs.SetCSAT(ctx, runID, score); err != nil {
		// Give the run back so that the customer can try again.
		if _, putErr := r.takeCSATRun(ctx, conversationID, runID); putErr != nil {
			r.log.WarnContext(ctx, "CSAT run not given back", "conversation", conversationID, "run", runID, "err", putErr)
		}
		return fmt.Errorf("record CSAT of run %s: %w", runID, err)
	}
	return nil
}

// takeCSATRun sets the conversation's waiting CSAT run to next and returns the one it
// replaced. Taking (next empty) fails with ErrNoCSAT when none waits; giving back (next
// set) leaves a run that waits in the meantime alone.
func (r *Router) takeCSATRun(ctx context.Context, conversationID, next string) (string, error) {
	var prev string
	_, err := r.update(ctx, conversationID, func(conv *message.Conversation) error {
		prev = conv.CSATRun
		switch {
		case next == "" && prev == "":
			return ErrNoCSAT
		case next != "" && prev != "":
			return errKept
		}
		conv.CSATRun = next
		return nil
	})
	switch {
	case errors.Is(err, ErrNoConversation):
		return "", ErrNoCSAT
	case errors.Is(err, errKept):
		return prev, nil
	}
	return prev, err
}

// errKept stops giving a CSAT run back when another one waits already.
var errKept = errors.New("another run waits for a score")

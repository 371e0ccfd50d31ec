package router

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// ErrCannotGoBack reports that a conversation has no earlier question to go back to: the
// run has just started, has finished, or did an action since that going back would repeat.
var ErrCannotGoBack = errors.New("there is no earlier question to go back to")

// maxEarlier bounds the questions a conversation remembers for going back, and so its size.
const maxEarlier = 16

// remember keeps the question this turn answered when the run moved on to another one, so
// that the customer can go back to it. Going back past an action that was done would do it
// a second time, so such an action forgets every earlier question.
func (t *turn) remember(step *policy.Step) {
	switch {
	case step.Status != policy.Asking || t.from == nil:
		t.conv.Earlier = nil
	case step.Node == t.fromNode:
		// The same question again (a rejected answer, a wrong code): nothing new to keep.
	case didActions(step):
		t.conv.Earlier = nil
	default:
		t.conv.Earlier = append(t.conv.Earlier, *t.from)
		if n := len(t.conv.Earlier); n > maxEarlier {
			t.conv.Earlier = t.conv.Earlier[n-maxEarlier:]
		}
	}
}

// didActions tells whether the step did an action with effects outside the run. The
// interactive action that asks now is left out: answering its question again is what going
// back to it means (a one-time code is sent anew, within the code's own rate limits).
func didActions(step *policy.Step) bool {
	for _, a := range step.Actions {
		if a.Error != "" || a.Node == step.Node {
			continue
		}
		switch a.Name {
		case ActionSet, ActionReply, ActionLog:
			continue
		}
		return true
	}
	return false
}

// Back returns a conversation to the question asked before the one that waits now, as if
// the customer had not answered it yet, and returns that question's replies. Answers given
// since are forgotten. It fails with ErrNoConversation for an unknown conversation and with
// ErrCannotGoBack when no earlier question is kept. The step back is logged on the case.
func (r *Router) Back(ctx context.Context, conversationID string) ([]message.Reply, error) {
	var from, to string
	conv, err := r.update(ctx, conversationID, func(conv *message.Conversation) error {
		if len(conv.Earlier) == 0 || len(conv.Run) == 0 {
			return ErrCannotGoBack
		}
		prev := conv.Earlier[len(conv.Earlier)-1]
		run, err := rewind(conv.Run, prev.Run)
		if err != nil {
			return err
		}
		from, to = run.from, run.to
		conv.Earlier = conv.Earlier[:len(conv.Earlier)-1]
		conv.Run = run.state
		conv.LastReplies = asked(prev.Replies)
		markBack(conv.LastReplies, len(conv.Earlier) > 0)
		conv.LastMessageID = ""
		conv.Turns++
		conv.UpdatedAt = r.cfg.Clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := &turn{r: r, msg: message.Message{Channel: conv.Channel, ConversationID: conv.ID}, conv: conv}
	t.note("went back from %s to %s at the customer's request", from, to)
	t.flushLog(ctx)
	return conv.LastReplies, nil
}

// rewound is an earlier suspended run made current again.
type rewound struct {
	state    []byte
	from, to string
}

// rewind restores the earlier run, keeping the current run's counts of interactive action
// calls: an action called again after going back (a code sent anew) gets a fresh attempt
// number, hence a fresh idempotency key, and is not mistaken for a repeat of the first call.
func rewind(current, earlier []byte) (rewound, error) {
	cur, err := policy.UnmarshalState(current)
	if err != nil {
		return rewound{}, fmt.Errorf("go back: %w", err)
	}
	prev, err := policy.UnmarshalState(earlier)
	if err != nil {
		return rewound{}, fmt.Errorf("go back: %w", err)
	}
	for node, n := range cur.Attempts {
		if prev.Attempts == nil {
			prev.Attempts = map[string]int{}
		}
		prev.Attempts[node] = max(prev.Attempts[node], n)
	}
	data, err := prev.Marshal()
	if err != nil {
		return rewound{}, fmt.Errorf("go back: %w", err)
	}
	return rewound{state: data, from: cur.Waiting, to: prev.Waiting}, nil
}

// asked is the question among replies shown once more: without what was said on the way and
// without the errors of a rejected answer.
func asked(replies []message.Reply) []message.Reply {
	var out []message.Reply
	for _, r := range replies {
		if r.Node != "" {
			r.Error, r.FieldErrors = "", nil
			out = append(out, r)
		}
	}
	if out == nil {
		return replies
	}
	return out
}

// markBack tells the question among replies whether the customer can go back from it.
func markBack(replies []message.Reply, can bool) {
	for i := range replies {
		if replies[i].Node != "" {
			replies[i].CanGoBack = can
		}
	}
}

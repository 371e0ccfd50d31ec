package voice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// ErrStillRunning is returned by Await when the turn has not finished yet.
var ErrStillRunning = errors.New("voice: the turn is still running")

// lateKey holds the prompt of a turn that finished after its platform got a holding answer.
func lateKey(conversationID string) string { return "voice:late:" + conversationID }

// runningKey holds the message id of a turn that goes on after its holding answer.
func runningKey(conversationID string) string { return "voice:running:" + conversationID }

// outcome is what a turn ended with, kept for Await.
type outcome struct {
	Prompt Prompt `json:"prompt"`
	Err    string `json:"err,omitempty"`
}

// TurnWithin runs Turn, but answers after d at the latest: when the turn is not done by then
// it returns pending, and the turn goes on in the background, bounded by Config.Finish, its
// result kept in the session store for Await. Platforms with short webhook timeouts (Twilio
// 15 s, Genesys and Dialogflow a few seconds) answer with a holding response meanwhile.
//
// The turn runs on a context of its own, bounded by Config.Finish: a platform request's
// context (a fasthttp.RequestCtx) ends, and is reused, when the request is answered.
func (v *Voice) TurnWithin(call Call, in Input, d time.Duration) (p Prompt, pending bool, err error) {
	var mu sync.Mutex
	late := false
	done := make(chan outcome, 1)
	go func() {
		tctx, cancel := context.WithTimeout(context.Background(), v.cfg.Finish)
		defer cancel()
		p, err := v.Turn(tctx, call, in)
		out := outcome{Prompt: p}
		if err != nil {
			out.Err = err.Error()
		}
		mu.Lock()
		defer mu.Unlock()
		if !late {
			done <- out
			return
		}
		_ = v.cfg.Sessions.Delete(tctx, runningKey(call.ConversationID))
		if data, merr := json.Marshal(out); merr == nil {
			_ = v.cfg.Sessions.Put(tctx, lateKey(call.ConversationID), data, v.cfg.TTL)
		}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case out := <-done:
		return out.result()
	case <-timer.C:
	}
	mu.Lock()
	defer mu.Unlock()
	select {
	case out := <-done: // finished while the timer fired
		return out.result()
	default:
		late = true
		if call.MessageID != "" {
			_ = v.cfg.Sessions.Put(context.Background(), runningKey(call.ConversationID), []byte(call.MessageID), v.cfg.Finish)
		}
		return Prompt{}, true, nil
	}
}

func (o outcome) result() (Prompt, bool, error) {
	if o.Err != "" {
		return Prompt{}, false, errors.New(o.Err)
	}
	return o.Prompt, false, nil
}

// Await waits up to d for the turn TurnWithin left running on the call, and returns its
// prompt, or ErrStillRunning.
func (v *Voice) Await(ctx context.Context, call Call, d time.Duration) (Prompt, error) {
	deadline := time.Now().Add(d)
	for {
		data, _, err := v.cfg.Sessions.Get(ctx, lateKey(call.ConversationID))
		switch {
		case err == nil:
			_ = v.cfg.Sessions.Delete(ctx, lateKey(call.ConversationID))
			var out outcome
			if err := json.Unmarshal(data, &out); err != nil {
				return Prompt{}, fmt.Errorf("voice: late turn of %s unreadable: %w", call.ConversationID, err)
			}
			p, _, err := out.result()
			return p, err
		case !errors.Is(err, session.ErrNotFound):
			return Prompt{}, fmt.Errorf("voice: late turn of %s: %w", call.ConversationID, err)
		}
		if time.Now().After(deadline) {
			return Prompt{}, ErrStillRunning
		}
		select {
		case <-ctx.Done():
			return Prompt{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// GiveUp hands the call to a human with the reason, for a platform that stops waiting.
func (v *Voice) GiveUp(ctx context.Context, call Call, reason string) (Prompt, error) {
	return v.giveUp(ctx, call, reason)
}

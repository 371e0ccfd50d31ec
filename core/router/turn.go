package router

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// turn carries the handling of one message.
type turn struct {
	r       *Router
	msg     message.Message
	conv    *message.Conversation
	started time.Time
	// notes are the decision log of this turn, written to the case after the conversation is
	// saved.
	notes []string
	// assign is the queue the case goes to after this turn, if any.
	assign string
	// from is the suspended run this turn resumed, at node fromNode; nil for a new run.
	from     *message.Suspended
	fromNode string
}

func (t *turn) note(format string, a ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, a...))
}

// ensureCase creates (or finds, by external id) the CRM case of the conversation.
func (t *turn) ensureCase(ctx context.Context) error {
	crm := t.r.cfg.CRM
	if crm == nil || t.conv.CaseID != "" {
		return nil
	}
	c, err := crm.EnsureCase(ctx, plugin.CaseRequest{
		ExternalID:     "frontdesk:" + t.conv.ID,
		Subject:        subject(t.msg.Text),
		Description:    t.msg.Text,
		Channel:        t.msg.Channel,
		ContactEmail:   t.conv.Contact.Email,
		ContactPhone:   t.conv.Contact.Phone,
		CustomerID:     t.conv.Contact.CustomerID,
		IdempotencyKey: "case:" + t.conv.ID,
	})
	if err != nil {
		return err
	}
	t.conv.CaseID = c.ID
	return nil
}

// subject is the first line of a text, shortened, for a case's subject.
func subject(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	if r := []rune(line); len(r) > 80 {
		line = string(r[:77]) + "..."
	}
	if line == "" {
		line = "Customer request"
	}
	return line
}

// start recognizes the intent and starts the policy that serves it, or hands off.
func (t *turn) start(ctx context.Context) []message.Reply {
	pred, source := t.recognize(ctx)
	t.conv.Intent, t.conv.Confidence = pred.Intent, pred.Confidence
	t.note("intent %s (confidence %.2f, %s)%s", pred.Intent, pred.Confidence, source, candidates(pred.Candidates))
	t.updateCase(ctx, pred)
	if pred.Intent == intent.Unknown {
		return t.handoff(pred, t.r.cfg.Routing.TeamFor(pred.Intent), "intent not recognized")
	}
	c, ok := t.r.cfg.Policies.ForIntent(pred.Intent)
	if !ok {
		return t.handoff(pred, t.r.cfg.Routing.TeamFor(pred.Intent), "no policy serves intent "+pred.Intent)
	}
	c = t.choose(ctx, c)
	t.note("policy %s version %d started%s", c.Policy.Name, c.Policy.Version, experimentNote(t.conv.Experiment))
	start := policy.Start{
		Message:        t.msg,
		RunID:          t.conv.ID + "-" + fmt.Sprint(t.conv.Turns),
		ConversationID: t.conv.ID,
		CaseID:         t.conv.CaseID,
		Intent:         policy.IntentResult{Name: pred.Intent, Confidence: pred.Confidence},
	}
	ctx, shadowed := t.watch(ctx, c, &start)
	step, st := t.r.engine.Run(ctx, c, start)
	if shadowed != nil {
		shadowed(step)
	}
	return t.after(ctx, step, st, pred)
}

// recognize returns the message's intent: named by the client, or classified.
func (t *turn) recognize(ctx context.Context) (intent.Prediction, string) {
	if t.msg.Intent != "" {
		return intent.Prediction{Intent: t.msg.Intent, Confidence: 1}, "named by the client"
	}
	if t.r.cfg.Classifier == nil || t.msg.Text == "" {
		return intent.Prediction{Intent: intent.Unknown}, "no classifier"
	}
	pred, err := t.r.cfg.Classifier.Classify(ctx, t.msg.Text)
	if err != nil {
		t.r.log.ErrorContext(ctx, "classification failed", "conversation", t.conv.ID, "err", err)
		return intent.Prediction{Intent: intent.Unknown}, "classifier failed: " + err.Error()
	}
	return pred, "classified"
}

func candidates(cs []message.Candidate) string {
	if len(cs) == 0 {
		return ""
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %.2f", c.Intent, c.Confidence)
	}
	return "; candidates: " + strings.Join(parts, ", ")
}

func (t *turn) updateCase(ctx context.Context, pred intent.Prediction) {
	if t.r.cfg.CRM == nil || t.conv.CaseID == "" {
		return
	}
	_, err := t.r.cfg.CRM.UpdateCase(ctx, plugin.CaseUpdate{
		CaseID: t.conv.CaseID, Intent: pred.Intent, Confidence: pred.Confidence,
		IdempotencyKey: "intent:" + t.conv.ID,
	})
	if err != nil {
		t.r.log.WarnContext(ctx, "case not updated", "case", t.conv.CaseID, "err", err)
	}
}

// resume continues the conversation's suspended run with this message.
func (t *turn) resume(ctx context.Context) []message.Reply {
	pred := intent.Prediction{Intent: t.conv.Intent, Confidence: t.conv.Confidence}
	st, err := policy.UnmarshalState(t.conv.Run)
	if err != nil {
		t.conv.Run = nil
		return t.handoff(pred, t.r.cfg.Routing.TeamFor(pred.Intent), "suspended run unreadable: "+err.Error())
	}
	t.from, t.fromNode = &message.Suspended{Run: t.conv.Run, Replies: t.conv.LastReplies}, st.Waiting
	step, next := t.r.engine.Resume(ctx, st, policy.Turn{Message: t.msg})
	return t.after(ctx, step, next, pred)
}

// after records what a step did and turns it into replies.
func (t *turn) after(ctx context.Context, step *policy.Step, st *policy.State, pred intent.Prediction) []message.Reply {
	t.conv.Run = nil
	t.conv.Policy, t.conv.Version = "", 0
	if st != nil {
		data, err := st.Marshal()
		if err != nil {
			step = &policy.Step{Status: policy.Failed, Node: st.Waiting, Err: err, Path: st.Path}
		} else {
			t.conv.Run = data
			t.conv.Policy, t.conv.Version = st.Policy, st.Version
		}
	}
	t.logStep(step)
	t.remember(step)
	replies := replies(step)
	markBack(replies, len(t.conv.Earlier) > 0)
	switch step.Status {
	case policy.Failed:
		t.r.log.ErrorContext(ctx, "policy run failed", "conversation", t.conv.ID, "err", step.Err)
		replies = append(replies, t.handoff(pred, t.r.cfg.Routing.TeamFor(pred.Intent), "automation failed: "+step.Err.Error())...)
		t.record(ctx, step, "failed", true)
	case policy.Done:
		handedOff := false
		for _, r := range replies {
			if r.Handoff != nil {
				handedOff = true
				r.Handoff.Intent, r.Handoff.Confidence, r.Handoff.Candidates = pred.Intent, pred.Confidence, pred.Candidates
				t.assign = r.Handoff.Team
			}
		}
		t.record(ctx, step, step.End.Resolution, handedOff)
		if step.End.CSAT && t.r.cfg.Runs != nil {
			t.conv.CSATRun = step.RunID
		}
	}
	return replies
}

func (t *turn) logStep(step *policy.Step) {
	var path []string
	for _, ev := range step.Trace {
		entry := ev.Node
		if ev.Via != "" && ev.Next != "" {
			entry += " [" + ev.Via + "]"
		}
		path = append(path, entry)
	}
	if len(path) > 0 {
		t.note("path: %s", strings.Join(path, " -> "))
	}
	for _, a := range step.Actions {
		if a.Error != "" {
			t.note("action %s at %s failed: %s", a.Name, a.Node, a.Error)
		} else {
			t.note("action %s at %s done", a.Name, a.Node)
		}
	}
	switch step.Status {
	case policy.Asking:
		t.note("waiting for the customer at %s", step.Node)
	case policy.Done:
		t.note("ended: %s", step.End.Resolution)
	case policy.Failed:
		t.note("failed: %v", step.Err)
	}
}

// handoff routes the conversation to a human team with what the automation knew.
func (t *turn) handoff(pred intent.Prediction, team, reason string) []message.Reply {
	t.note("handed off to %s: %s", team, reason)
	t.assign = team
	return []message.Reply{{
		Text: "I am passing your request to a colleague who will get back to you.",
		Handoff: &message.Handoff{Team: team, Reason: reason, Intent: pred.Intent,
			Confidence: pred.Confidence, Candidates: pred.Candidates},
	}}
}

// record keeps a finished run for analytics.
func (t *turn) record(ctx context.Context, step *policy.Step, outcome string, handedOff bool) {
	if t.r.cfg.Runs == nil || step.RunID == "" {
		return
	}
	err := t.r.cfg.Runs.RecordRun(ctx, store.Run{
		ID: step.RunID, Policy: step.Policy, Version: step.Version, Channel: t.msg.Channel,
		Path: step.Path, Outcome: outcome, HandedOff: handedOff, Latency: time.Since(t.started), Experiment: t.conv.Experiment,
	})
	if err != nil {
		t.r.log.WarnContext(ctx, "run not recorded", "conversation", t.conv.ID, "err", err)
	}
}

// flushLog writes this turn's decisions to the case and assigns it when a team takes over.
func (t *turn) flushLog(ctx context.Context) {
	r := t.r
	if r.cfg.CRM == nil || t.conv.CaseID == "" {
		r.log.InfoContext(ctx, "decisions", "conversation", t.conv.ID, "case", t.conv.CaseID, "log", strings.Join(t.notes, " | "))
		return
	}
	key := fmt.Sprintf("log:%s:%d", t.conv.ID, t.conv.Turns)
	if len(t.notes) > 0 {
		body := "frontdesk decision log (" + logSource(t.msg) + ", turn " + fmt.Sprint(t.conv.Turns) + ")\n- " + strings.Join(t.notes, "\n- ")
		if err := r.cfg.CRM.AddNote(ctx, plugin.Note{CaseID: t.conv.CaseID, Body: body, IdempotencyKey: key}); err != nil {
			r.log.WarnContext(ctx, "decision log not written", "case", t.conv.CaseID, "err", err)
		}
	}
	if t.assign != "" {
		if _, err := r.cfg.CRM.AssignCase(ctx, plugin.Assignment{CaseID: t.conv.CaseID, Queue: t.assign, IdempotencyKey: "assign:" + key}); err != nil {
			r.log.WarnContext(ctx, "case not assigned", "case", t.conv.CaseID, "queue", t.assign, "err", err)
		}
	}
}

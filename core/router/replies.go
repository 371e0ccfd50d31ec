package router

import (
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// replies turns a step into what the channel shows: what was said on the way, handoffs and
// dynamic replies from actions, then the question or the end.
func replies(step *policy.Step) []message.Reply {
	var out []message.Reply
	for _, a := range step.Actions {
		if a.Error != "" {
			continue
		}
		switch a.Name {
		case ActionReply:
			if text := str(a.Args["text"]); text != "" {
				out = append(out, message.Reply{Text: text})
			}
		case ActionHandoff:
			out = append(out, message.Reply{Handoff: &message.Handoff{Team: str(a.Args["team"]), Reason: str(a.Args["reason"])}})
		}
	}
	for _, s := range step.Says {
		out = append(out, message.Reply{Text: s})
	}
	switch step.Status {
	case policy.Asking:
		if step.Ask != nil {
			out = append(out, question(step.Node, step.Ask))
		}
	case policy.Done:
		end := &message.End{Resolution: step.End.Resolution, CSAT: step.End.CSAT}
		if len(out) == 0 {
			out = append(out, message.Reply{})
		}
		out[len(out)-1].End = end
	}
	return out
}

// question renders an ask for every channel: the structured parts for rich channels, and a
// text that reads well on plain ones.
func question(node string, a *policy.Ask) message.Reply {
	r := message.Reply{Text: a.Text, Node: node, Error: a.Error, Screen: a.Screen, Chat: a.Chat}
	for _, c := range a.Choices {
		r.Choices = append(r.Choices, message.Choice{Value: c.Value, Label: c.Label})
	}
	for _, f := range a.Form {
		r.Form = append(r.Form, message.Field{Name: f.Name, Label: f.Label, Type: f.Type, Required: f.Required, Max: f.Max, Pattern: f.Pattern})
	}
	if a.Voice != nil {
		r.Voice = &message.Voice{Say: a.Voice.Say, SSML: a.Voice.SSML, AudioURL: a.Voice.Audio, DTMF: a.Voice.DTMF, Hints: a.Voice.Hints}
	}
	if a.FieldErrors != nil {
		r.FieldErrors = a.FieldErrors
		if r.Error == "" {
			r.Error = "Please check the highlighted fields."
		}
	}
	return r
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

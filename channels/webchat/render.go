package webchat

import (
	"github.com/frontdeskhq/frontdesk/core/message"
)

// render presents the router's channel-agnostic replies in chat: choices become quick
// replies, a form becomes a form, and the policy's chat override refines both:
//
//	chat: { text: "...", quick_replies: false, card: { title: "...", body: "...", image: "..." }, submit: "Send" }
//
// text replaces the question's text, quick_replies: false shows choices as a list the
// customer answers by typing, card adds a card above the question, submit names the form's
// button.
func render(r message.Reply) Message {
	m := Message{From: "bot", Text: r.Text, Error: r.Error}
	if t, ok := r.Chat["text"].(string); ok && t != "" {
		m.Text = t
	}
	if card, ok := r.Chat["card"].(map[string]any); ok {
		m.Card = card
	}
	quick := true
	if q, ok := r.Chat["quick_replies"].(bool); ok {
		quick = q
	}
	for _, c := range r.Choices {
		label := c.Label
		if label == "" {
			label = c.Value
		}
		if quick {
			m.QuickReplies = append(m.QuickReplies, QuickReply{Value: c.Value, Label: label})
		} else {
			m.Text += "\n- " + label + " (" + c.Value + ")"
		}
	}
	if len(r.Form) > 0 {
		submit, _ := r.Chat["submit"].(string)
		if submit == "" {
			submit = "Send"
		}
		f := &Form{Node: r.Node, Errors: r.FieldErrors, Submit: submit}
		for _, fd := range r.Form {
			f.Fields = append(f.Fields, formField(fd))
		}
		m.Form = f
	}
	if r.End != nil {
		m.End = r.End
		m.CSAT = r.End.CSAT
	}
	if r.Handoff != nil {
		m.Handoff = &HandoffNotice{Team: r.Handoff.Team}
	}
	return m
}

// formField maps a policy field to an HTML input: its label (the name when none), its type
// (text unless the policy names one the page knows) and its checks.
func formField(f message.Field) FormField {
	out := FormField{Name: f.Name, Label: f.Label, Type: "text", Required: f.Required, Max: f.Max, Pattern: f.Pattern}
	if out.Label == "" {
		out.Label = f.Name
	}
	switch f.Type {
	case "email", "tel", "number", "date", "textarea":
		out.Type = f.Type
	}
	return out
}

// renderAll renders the replies of one turn; a reply with nothing to show is left out. A
// handoff without words of its own (the policy's handoff action) goes with the turn's last
// message, which says it; when the turn says nothing, a sentence of its own says it.
func renderAll(replies []message.Reply) []Message {
	out := make([]Message, 0, len(replies))
	var handoff *HandoffNotice
	for _, r := range replies {
		m := render(r)
		if m.Handoff != nil && m.Text == "" {
			handoff = m.Handoff
			continue
		}
		if m.Text == "" && m.Form == nil && len(m.QuickReplies) == 0 && m.Card == nil && m.End == nil {
			continue
		}
		out = append(out, m)
	}
	switch {
	case handoff == nil:
	case len(out) > 0:
		out[len(out)-1].Handoff = handoff
	default:
		out = append(out, Message{From: "bot", Text: "A colleague will take over from here.", Handoff: handoff})
	}
	return out
}

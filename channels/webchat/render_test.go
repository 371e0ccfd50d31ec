package webchat

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
)

func TestRender(t *testing.T) {
	ask := message.Reply{Text: "Lost or stolen?", Node: "ask", Choices: []message.Choice{{Value: "lost", Label: "Lost"}, {Value: "stolen"}}}
	m := render(ask)
	if len(m.QuickReplies) != 2 || m.QuickReplies[1].Label != "stolen" || m.Text != "Lost or stolen?" {
		t.Fatalf("choices: %+v", m)
	}

	ask.Chat = map[string]any{"text": "Was it lost?", "quick_replies": false, "card": map[string]any{"title": "Your card"}}
	m = render(ask)
	if len(m.QuickReplies) != 0 || !strings.HasPrefix(m.Text, "Was it lost?") || !strings.Contains(m.Text, "- Lost (lost)") || m.Card["title"] != "Your card" {
		t.Fatalf("chat override: %+v", m)
	}

	form := message.Reply{Text: "Address?", Node: "collect", Error: "Please check the highlighted fields.",
		Form:        []message.Field{{Name: "postcode", Required: true, Pattern: "[0-9]{5}"}, {Name: "mail", Type: "email"}, {Name: "x", Type: "colour"}},
		FieldErrors: map[string]string{"postcode": "does not match"}, Chat: map[string]any{"submit": "Save"}}
	m = render(form)
	f := m.Form
	if f == nil || f.Node != "collect" || f.Submit != "Save" || f.Errors["postcode"] == "" || f.Fields[0].Label != "postcode" ||
		f.Fields[0].Pattern != "[0-9]{5}" || f.Fields[1].Type != "email" || f.Fields[2].Type != "text" {
		t.Fatalf("form: %+v", f)
	}

	end := message.Reply{Text: "Done.", End: &message.End{Resolution: "ok", CSAT: true}}
	if m = render(end); !m.CSAT || m.End.Resolution != "ok" {
		t.Fatalf("end: %+v", m)
	}
	handoff := message.Reply{Handoff: &message.Handoff{Team: "cards"}}
	if got := renderAll([]message.Reply{{}, handoff, end}); len(got) != 1 || got[0].Handoff.Team != "cards" || got[0].Text != "Done." {
		t.Fatalf("renderAll with a handoff and words: %+v", got)
	}
	if got := renderAll([]message.Reply{handoff}); len(got) != 1 || got[0].Handoff.Team != "cards" || got[0].Text == "" {
		t.Fatalf("renderAll with a bare handoff: %+v", got)
	}
}

package twilio

import (
	"cmp"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk/channels/voice"
)

// twiml writes TwiML documents: the verbs frontdesk answers with, in order.
type twiml struct {
	b   strings.Builder
	cfg *Config
}

func newTwiML(cfg *Config) *twiml {
	t := &twiml{cfg: cfg}
	t.b.WriteString(xml.Header + "<Response>")
	return t
}

func (t *twiml) bytes() []byte {
	t.b.WriteString("</Response>")
	return []byte(t.b.String())
}

func (t *twiml) text(s string) {
	_ = xml.EscapeText(&t.b, []byte(s))
}

func (t *twiml) attr(name, value string) {
	if value == "" {
		return
	}
	t.b.WriteString(" " + name + `="`)
	t.text(value)
	t.b.WriteString(`"`)
}

// say speaks the prompt: its recording, its SSML when well-formed, else its text.
func (t *twiml) say(p voice.Prompt) {
	switch {
	case p.AudioURL != "":
		t.b.WriteString("<Play>")
		t.text(p.AudioURL)
		t.b.WriteString("</Play>")
	case p.Say != "" || p.SSML != "":
		t.b.WriteString("<Say")
		t.attr("voice", t.cfg.Voice)
		t.attr("language", t.cfg.Language)
		t.b.WriteString(">")
		if p.SSML != "" && t.speaksSSML() && voice.WellFormed(p.SSML) {
			// Twilio takes SSML tags inside <Say>, without the <speak> root.
			inner := strings.TrimSuffix(strings.TrimPrefix(p.SSML, "<speak>"), "</speak>")
			t.b.WriteString(inner)
		} else {
			t.text(p.Say)
		}
		t.b.WriteString("</Say>")
	}
}

// speaksSSML reports whether the configured voice reads SSML: Twilio's Amazon Polly and
// Google voices do; its basic voices would not.
func (t *twiml) speaksSSML() bool {
	return strings.HasPrefix(t.cfg.Voice, "Polly.") || strings.HasPrefix(t.cfg.Voice, "Google.")
}

// gather listens for keys and speech after saying the prompt; a <Redirect> after it comes
// back when nothing was heard.
func (t *twiml) gather(p voice.Prompt, action string) {
	t.b.WriteString(`<Gather input="dtmf speech" method="POST" speechTimeout="auto"`)
	t.attr("action", action)
	t.attr("timeout", strconv.Itoa(t.cfg.GatherTimeout))
	t.attr("language", t.cfg.Language)
	if len(p.DTMF) > 0 && singleKeys(p.DTMF) {
		t.attr("numDigits", "1")
	}
	t.attr("hints", strings.Join(p.Hints, ","))
	t.b.WriteString(">")
	t.say(p)
	t.b.WriteString("</Gather>")
	t.redirect(action + "&noinput=1")
}

func singleKeys(m map[string]string) bool {
	for k := range m {
		if len(k) != 1 {
			return false
		}
	}
	return true
}

func (t *twiml) redirect(url string) {
	t.b.WriteString(`<Redirect method="POST">`)
	t.text(url)
	t.b.WriteString("</Redirect>")
}

// transfer hands the call to the team's number or queue: the team's own entry, else the
// configured number or queue, else a queue named like the team (general-support when the
// team is not known, as when a turn failed).
func (t *twiml) transfer(team string) {
	tr, ok := t.cfg.Teams[team]
	if !ok {
		tr = Transfer{Dial: t.cfg.Handoff.Dial, Enqueue: t.cfg.Handoff.Enqueue}
	}
	switch {
	case tr.Dial != "":
		t.b.WriteString("<Dial>")
		t.text(tr.Dial)
		t.b.WriteString("</Dial>")
	default:
		queue := cmp.Or(tr.Enqueue, team, "general-support")
		t.b.WriteString("<Enqueue>")
		t.text(queue)
		t.b.WriteString("</Enqueue>")
	}
}

// Render writes the TwiML for a prompt: a <Gather> while the policy waits for an answer, a
// transfer on hand-off, a <Hangup> at the end. next is the absolute URL of the next turn.
func (c *Config) Render(p voice.Prompt, next string) []byte {
	t := newTwiML(c)
	switch {
	case p.Listen:
		t.gather(p, next)
	case p.Handoff != nil:
		t.say(p)
		t.transfer(p.Handoff.Team)
	default:
		t.say(p)
		t.b.WriteString("<Hangup/>")
	}
	return t.bytes()
}

// hold says a holding line and comes back for the result of a turn still running.
func (c *Config) hold(next string) []byte {
	t := newTwiML(c)
	t.say(voice.Prompt{Say: c.HoldText})
	t.redirect(next)
	return t.bytes()
}

// refuse answers a request that is not Twilio's own: said, then hung up.
func (c *Config) refuse(reason string) []byte {
	t := newTwiML(c)
	t.say(voice.Prompt{Say: reason})
	t.b.WriteString("<Hangup/>")
	return t.bytes()
}

// Package voice presents policy replies on voice platforms (Twilio, Genesys, Dialogflow's
// phone gateway): it turns replies into a Prompt to say and listen for, using the policy's
// voice overrides or, without them, reading the choices out with digits; it maps key presses
// and speech results back to choices; and it reprompts on no-input and no-match a configured
// number of times before handing the call to a human. Its per-call state lives in the
// session store, so any instance can take the next turn of a call.
package voice

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Prompt is what a voice platform says or plays next, and what it listens for.
type Prompt struct {
	// Say is the plain text to speak: everything the replies said, then the question.
	Say string `json:"say,omitempty"`
	// SSML is a whole <speak> document when the policy gave SSML; platforms that speak SSML
	// prefer it to Say.
	SSML string `json:"ssml,omitempty"`
	// AudioURL is a recording to play instead of speaking the question.
	AudioURL string `json:"audio_url,omitempty"`
	// Node is the policy node asking, when one asks.
	Node    string           `json:"node,omitempty"`
	Choices []message.Choice `json:"choices,omitempty"`
	// DTMF maps phone keys to choice values: the policy's map, or digits in choice order.
	DTMF map[string]string `json:"dtmf,omitempty"`
	// Hints are words the speech recognizer should expect.
	Hints []string `json:"hints,omitempty"`
	// Listen is set when the caller is expected to answer.
	Listen  bool             `json:"listen,omitempty"`
	End     *message.End     `json:"end,omitempty"`
	Handoff *message.Handoff `json:"handoff,omitempty"`
}

// Render turns a turn's replies into one prompt.
func Render(replies []message.Reply) Prompt {
	var p Prompt
	var said []string
	var ssml strings.Builder
	hasSSML := false
	for _, r := range replies {
		text, fragment := r.Text, ""
		if r.Node != "" {
			text, fragment = p.ask(r)
		}
		if r.Error != "" {
			text = strings.TrimSpace(r.Error + " " + text)
		}
		if text != "" {
			said = append(said, text)
		}
		if fragment != "" {
			hasSSML = true
			xml.EscapeText(&ssml, []byte(r.Error+" "))
			ssml.WriteString(fragment + " ")
		} else {
			xml.EscapeText(&ssml, []byte(text+" "))
		}
		if r.End != nil {
			p.End = r.End
		}
		if r.Handoff != nil {
			p.Handoff = r.Handoff
		}
	}
	if p.End != nil || p.Handoff != nil {
		p.Listen = false
	}
	p.Say = strings.Join(said, " ")
	if hasSSML {
		p.SSML = "<speak>" + strings.TrimSpace(ssml.String()) + "</speak>"
	}
	return p
}

// ask fills the prompt from a question and returns what to say for it: the policy's voice
// text, or the text with the choices read out with digits; and its SSML, if any.
func (p *Prompt) ask(r message.Reply) (text, ssml string) {
	v := r.Voice
	if v == nil {
		v = &message.Voice{}
	}
	p.Node, p.Choices, p.Listen = r.Node, r.Choices, true
	p.Hints, p.AudioURL, p.DTMF = v.Hints, v.AudioURL, v.DTMF
	if len(p.DTMF) == 0 && len(r.Choices) > 0 {
		p.DTMF = map[string]string{}
		for i, c := range r.Choices[:min(len(r.Choices), 9)] {
			p.DTMF[strconv.Itoa(i+1)] = c.Value
		}
	}
	switch {
	case v.Say != "":
		text = v.Say
	case len(r.Choices) > 0:
		text = strings.TrimSpace(r.Text + " " + readOut(r.Choices, p.DTMF))
	default:
		text = r.Text
	}
	if v.SSML != "" {
		ssml = innerSSML(v.SSML)
	}
	return text, ssml
}

// readOut reads choices with their keys, for nodes that set no voice text of their own.
func readOut(choices []message.Choice, dtmf map[string]string) string {
	keyOf := make(map[string]string, len(dtmf))
	for k, v := range dtmf {
		keyOf[v] = k
	}
	var b strings.Builder
	for _, c := range choices {
		key, ok := keyOf[c.Value]
		if !ok {
			continue // beyond nine choices: reachable by speech only
		}
		label := c.Label
		if label == "" {
			label = c.Value
		}
		fmt.Fprintf(&b, "For %s, press %s. ", label, key)
	}
	return strings.TrimSpace(b.String())
}

// innerSSML strips an outer <speak> element, so parts can be joined into one document.
func innerSSML(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<speak") && strings.HasSuffix(s, "</speak>") {
		if i := strings.IndexByte(s, '>'); i > 0 {
			return strings.TrimSpace(s[i+1 : len(s)-len("</speak>")])
		}
	}
	return s
}

// escape makes text safe inside SSML.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// WellFormed reports whether an SSML document parses as XML, so a platform can embed it and
// fall back to plain text when an author's markup is broken.
func WellFormed(ssml string) bool {
	d := xml.NewDecoder(strings.NewReader(ssml))
	for {
		if _, err := d.Token(); err != nil {
			return err == io.EOF
		}
	}
}

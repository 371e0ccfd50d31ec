package policy

import (
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Limits on answers, so that a form cannot carry a novel.
const (
	// MaxTextAnswer is the longest free-text answer accepted, in characters.
	MaxTextAnswer = 4000
	// MaxFieldAnswer is the longest form field accepted when the field sets no max.
	MaxFieldAnswer = 1000
)

// accept checks a customer's answer to an ask node. It returns the next node and the value to
// keep, or, when the answer is not acceptable, the question to ask again with the reason.
func accept(n *node, msg message.Message) (next *node, via string, value any, again *Ask) {
	switch {
	case len(n.choices) > 0:
		if ch, ok := pickChoice(n, msg); ok {
			return ch.target, ch.value, ch.value, nil
		}
		values := make([]string, len(n.choices))
		for i, ch := range n.choices {
			values[i] = ch.value
		}
		return nil, "", nil, reask(n, "Please choose one of: "+strings.Join(values, ", "), nil)
	case len(n.fields) > 0:
		got, problems := fillForm(n.fields, msg)
		if len(problems) > 0 {
			return nil, "", nil, reask(n, formError(problems), problems)
		}
		return n.next, "", got, nil
	default:
		text := strings.TrimSpace(answerText(msg))
		switch {
		case text == "":
			return nil, "", nil, reask(n, "Please type your answer.", nil)
		case utf8.RuneCountInString(text) > MaxTextAnswer:
			return nil, "", nil, reask(n, fmt.Sprintf("Please keep your answer under %d characters.", MaxTextAnswer), nil)
		}
		return n.next, "", text, nil
	}
}

func reask(n *node, reason string, fields map[string]string) *Ask {
	a := *n.def.Ask
	a.Error = reason
	a.FieldErrors = fields
	return &a
}

// answerText is the free-text part of an answer: the text, or a single "text" input.
func answerText(msg message.Message) string {
	if msg.Text != "" {
		return msg.Text
	}
	if s, ok := msg.Input["text"].(string); ok {
		return s
	}
	return ""
}

// pickChoice matches an answer to a choice: the structured choice, a DTMF key mapped by the
// node's voice, the value or label typed (any case), or the choice's number.
func pickChoice(n *node, msg message.Message) (choice, bool) {
	var candidates []string
	if v, ok := msg.Input["choice"]; ok {
		candidates = append(candidates, fmt.Sprint(v))
	}
	if key, ok := msg.Input["dtmf"].(string); ok {
		if v := n.def.Ask.Voice; v != nil {
			if mapped, ok := v.DTMF[key]; ok {
				candidates = append(candidates, mapped)
			}
		}
	}
	if t := strings.TrimSpace(answerText(msg)); t != "" {
		candidates = append(candidates, t)
	}
	for _, cand := range candidates {
		for _, ch := range n.choices {
			if strings.EqualFold(cand, ch.value) || (ch.label != "" && strings.EqualFold(cand, ch.label)) {
				return ch, true
			}
		}
		if i, err := strconv.Atoi(cand); err == nil && i >= 1 && i <= len(n.choices) {
			return n.choices[i-1], true
		}
	}
	return choice{}, false
}

// fillForm reads and validates a form's fields. A form of one field also takes plain text.
func fillForm(fields []field, msg message.Message) (map[string]any, map[string]string) {
	got := make(map[string]any, len(fields))
	problems := map[string]string{}
	for _, f := range fields {
		raw, present := msg.Input[f.Name]
		if !present && len(fields) == 1 && msg.Text != "" {
			raw, present = msg.Text, true
		}
		s := ""
		if present && raw != nil {
			s = strings.TrimSpace(fmt.Sprint(raw))
		}
		if s == "" {
			if f.Required {
				problems[f.Name] = "required"
			}
			continue
		}
		if p := checkField(f, s); p != "" {
			problems[f.Name] = p
			continue
		}
		got[f.Name] = s
	}
	return got, problems
}

func checkField(f field, s string) string {
	max := f.Max
	if max == 0 {
		max = MaxFieldAnswer
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("at most %d characters", max)
	}
	switch f.Type {
	case "number":
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "a number, please"
		}
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return "an email address, please"
		}
	case "phone":
		digits := 0
		for _, r := range s {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("+ -()", r):
			default:
				return "a phone number, please"
			}
		}
		if digits < 6 || digits > 15 {
			return "a phone number, please"
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "a date as YYYY-MM-DD, please"
		}
	}
	if f.re != nil && !f.re.MatchString(s) {
		return "not in the expected format"
	}
	return ""
}

func formError(problems map[string]string) string {
	names := make([]string, 0, len(problems))
	for n := range problems {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + ": " + problems[n]
	}
	return "Please check " + strings.Join(parts, "; ") + "."
}

// inputOf is the answer handed to an interactive action: the structured input plus the text.
func inputOf(msg message.Message) map[string]any {
	in := make(map[string]any, len(msg.Input)+1)
	for k, v := range msg.Input {
		in[k] = v
	}
	if msg.Text != "" {
		in["text"] = msg.Text
	}
	return in
}

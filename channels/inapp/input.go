package inapp

import (
	"slices"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// at finds where a flow stands from its last replies: the question that waits, with its
// screen kind, or the kind of a finished flow's screen. csat says whether a score may still be
// given.
func at(replies []message.Reply, csat bool) (*message.Reply, string) {
	var last message.Reply
	for i, r := range replies {
		if r.Node != "" {
			return &replies[i], kindOf(r)
		}
		last = r
	}
	switch {
	case last.End != nil && last.End.CSAT && csat:
		return nil, KindRating
	case last.Handoff != nil:
		return nil, KindHandoff
	}
	for _, r := range replies {
		if r.Handoff != nil {
			return nil, KindHandoff
		}
	}
	return nil, KindEnd
}

// kindOf is the kind of screen a question is shown as.
func kindOf(q message.Reply) string {
	switch {
	case len(q.Choices) > 0:
		return KindChoice
	case len(q.Form) > 0:
		return KindForm
	}
	return KindText
}

// screenID is the id of the screen a flow shows (see Screen.ID).
func screenID(q *message.Reply, kind string) string {
	switch {
	case q != nil:
		return q.Node
	case kind == KindRating:
		return ScreenRating
	}
	return ScreenEnd
}

// checkInput checks the shape of a question's input: only the screen's inputs, each a
// string, number or boolean. What the values must be (required, pattern, a valid choice) is
// the policy engine's to judge, so that every channel gets the same answer. A form's missing
// inputs are passed empty, so that the engine names each required one.
func checkInput(q *message.Reply, data map[string]any) (map[string]any, map[string]string) {
	names := inputNames(q)
	in := make(map[string]any, len(names))
	problems := map[string]string{}
	for name, v := range data {
		if !slices.Contains(names, name) {
			problems[name] = "not an input of this screen; its inputs are " + strings.Join(names, ", ")
			continue
		}
		s, ok := scalar(v)
		if !ok {
			problems[name] = "must be a string, a number or true/false"
			continue
		}
		in[name] = s
	}
	for _, name := range names {
		if _, given := in[name]; !given && problems[name] == "" {
			if len(q.Form) == 0 {
				problems[name] = "required"
				continue
			}
			in[name] = ""
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return in, nil
}

// inputNames are the inputs a question's screen submits.
func inputNames(q *message.Reply) []string {
	switch kindOf(*q) {
	case KindChoice:
		return []string{"choice"}
	case KindForm:
		names := make([]string, len(q.Form))
		for i, f := range q.Form {
			names[i] = f.Name
		}
		return names
	}
	return []string{"text"}
}

// problemsOf says per input why the engine asked a question again: its field errors, or the
// one error of a screen with a single input.
func problemsOf(q *message.Reply) map[string]string {
	if len(q.FieldErrors) > 0 {
		return q.FieldErrors
	}
	if names := inputNames(q); len(names) == 1 && q.Error != "" {
		return map[string]string{names[0]: q.Error}
	}
	return nil
}

// scalar is an input value as the engine reads it: a string. Adaptive Cards submit strings;
// native clients may send numbers and booleans.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

package voice

import (
	"strings"
	"unicode"
)

// Input is what the caller answered on one turn. All fields empty means no input (the
// platform's gather timed out).
type Input struct {
	// Choice is a structured answer, such as a Genesys quick-reply button's payload.
	Choice string
	// DTMF are the keys pressed.
	DTMF string
	// Speech is the recognized speech, or typed text on a text channel.
	Speech string
	// Intent is an intent the platform recognized itself (Dialogflow), or the integrator
	// named (an IVR menu branch).
	Intent string
}

// Empty reports a turn without any answer.
func (in Input) Empty() bool {
	return in.Choice == "" && strings.Trim(in.DTMF, "#") == "" && strings.TrimSpace(in.Speech) == "" && in.Intent == ""
}

// spokenDigits are number words a recognizer may return for a key the caller said.
var spokenDigits = map[string]string{
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "first": "1", "second": "2", "third": "3",
}

// Match maps an answer to one of the prompt's choices: a structured choice, the keys pressed
// (through the prompt's DTMF map), or speech naming a choice's value or label, saying its
// digit, or containing exactly one choice's words.
func (p Prompt) Match(in Input) (string, bool) {
	for _, c := range p.Choices {
		if in.Choice != "" && strings.EqualFold(in.Choice, c.Value) {
			return c.Value, true
		}
	}
	if keys := strings.TrimRight(in.DTMF, "#"); keys != "" {
		v, ok := p.DTMF[keys]
		return v, ok
	}
	words := normalize(in.Speech)
	if len(words) == 0 {
		return "", false
	}
	said := strings.Join(words, " ")
	for _, c := range p.Choices {
		if said == strings.ToLower(c.Value) || said == strings.Join(normalize(c.Label), " ") {
			return c.Value, true
		}
	}
	if len(words) == 1 {
		key := words[0]
		if d, ok := spokenDigits[key]; ok {
			key = d
		}
		if v, ok := p.DTMF[key]; ok {
			return v, true
		}
	}
	found := ""
	for _, c := range p.Choices {
		if containsPhrase(words, normalize(c.Value)) || (c.Label != "" && containsPhrase(words, normalize(c.Label))) {
			if found != "" && found != c.Value {
				return "", false // "lost, not stolen" names two choices: ask again
			}
			found = c.Value
		}
	}
	return found, found != ""
}

// normalize lowers a phrase and splits it into words, dropping punctuation.
func normalize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// containsPhrase reports whether the words hold the phrase's words in a row.
func containsPhrase(words, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(words); i++ {
		match := true
		for j, w := range phrase {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

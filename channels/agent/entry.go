package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Entry is the body of POST /v1/agent/conversations/{id}/messages: what the agent enters on
// the customer's behalf. One of Text, Input and Intent is required.
type Entry struct {
	// ID makes the entry idempotent: sending it again is answered as before.
	ID string `json:"id,omitempty"`
	// Agent names the agent; required with the shared admin token, ignored with a personal
	// API key (its owner is the agent).
	Agent string `json:"agent,omitempty"`
	// CaseID ties a new conversation to its case.
	CaseID  string          `json:"case_id,omitempty"`
	Contact message.Contact `json:"contact"`
	Text    string          `json:"text,omitempty"`
	// Intent starts the policy of that intent when no run waits.
	Intent string `json:"intent,omitempty"`
	// Input answers the waiting question: {"choice": VALUE} or a form's fields.
	Input map[string]any `json:"input,omitempty"`
}

// maxAgentName bounds the agent's name, which goes into every decision log.
const maxAgentName = 120

// DecodeEntry reads an entry strictly: unknown fields and trailing data are errors that say
// what is wrong.
func DecodeEntry(body []byte) (Entry, error) {
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Entry{}, fmt.Errorf("want a JSON object {agent, text, input, intent, case_id, contact}: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Entry{}, errors.New("the body holds more than one JSON value")
	}
	if len(e.Agent) > maxAgentName {
		return Entry{}, fmt.Errorf("agent is longer than %d bytes", maxAgentName)
	}
	if e.Text == "" && len(e.Input) == 0 && e.Intent == "" {
		return Entry{}, errors.New("enter text, input or an intent")
	}
	return e, nil
}

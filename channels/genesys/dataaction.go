package genesys

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/frontdeskhq/frontdesk/channels/voice"
)

// ActionInput is the flat input contract of the "Call Data Action" step: one turn of a
// conversation, with the Architect flow doing the speaking and listening.
type ActionInput struct {
	// ConversationID is the flow's conversation id (Call.ConversationId).
	ConversationID string `json:"conversationId"`
	// Text is what the caller said or the keys pressed; Choice a value already chosen.
	Text   string `json:"text"`
	Choice string `json:"choice"`
	// Intent starts a policy without recognition, such as from an IVR menu branch.
	Intent     string `json:"intent"`
	CustomerID string `json:"customerId"`
	Phone      string `json:"phone"`
	Email      string `json:"email"`
	// NoInput is true when the caller said nothing (a Collect Input timeout).
	NoInput bool `json:"noInput"`
}

// ActionOutput is the flat output contract: strings and booleans only, so that Architect
// maps every field to a flow variable without JSON paths into arrays.
type ActionOutput struct {
	ConversationID string `json:"conversationId"`
	// Say is the text to play; Waiting says the flow should collect an answer and call again.
	Say     string `json:"say"`
	Waiting bool   `json:"waiting"`
	Node    string `json:"node"`
	// Choices and Keys list the choice values and their phone keys, comma-separated and in
	// the same order.
	Choices    string `json:"choices"`
	Keys       string `json:"keys"`
	Done       bool   `json:"done"`
	Resolution string `json:"resolution"`
	Handoff    bool   `json:"handoff"`
	Team       string `json:"team"`
	Reason     string `json:"reason"`
}

// DecodeActionInput reads and checks a Data Action request.
func DecodeActionInput(body []byte) (ActionInput, error) {
	var in ActionInput
	if err := json.Unmarshal(body, &in); err != nil {
		return in, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if in.ConversationID == "" {
		return in, fmt.Errorf("%w: conversationId is required", ErrBadRequest)
	}
	if !in.NoInput && strings.TrimSpace(in.Text) == "" && in.Choice == "" && in.Intent == "" {
		return in, fmt.Errorf("%w: one of text, choice, intent or noInput is required", ErrBadRequest)
	}
	return in, nil
}

// actionOutput flattens a prompt.
func actionOutput(conversationID string, p voice.Prompt) ActionOutput {
	out := ActionOutput{ConversationID: conversationID, Say: p.Say, Waiting: p.Listen, Node: p.Node, Done: !p.Listen}
	keyOf := map[string]string{}
	for k, v := range p.DTMF {
		keyOf[v] = k
	}
	values, keys := make([]string, len(p.Choices)), make([]string, len(p.Choices))
	for i, c := range p.Choices {
		values[i], keys[i] = c.Value, keyOf[c.Value]
	}
	out.Choices, out.Keys = strings.Join(values, ","), strings.Join(keys, ",")
	if p.End != nil {
		out.Resolution = p.End.Resolution
	}
	if h := p.Handoff; h != nil {
		out.Handoff, out.Team, out.Reason = true, h.Team, h.Reason
	}
	return out
}

package agent

import (
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// View is a conversation as the agent sees it: where its policy run stands, what the policy
// knows and what can be answered.
type View struct {
	ConversationID string          `json:"conversation_id"`
	CaseID         string          `json:"case_id,omitempty"`
	Channel        string          `json:"channel"`
	Contact        message.Contact `json:"contact"`
	Intent         string          `json:"intent,omitempty"`
	Confidence     float64         `json:"confidence,omitempty"`
	// Waiting is true while a run waits for an answer; Policy, Version and Node say where.
	Waiting bool   `json:"waiting"`
	Policy  string `json:"policy,omitempty"`
	Version int    `json:"version,omitempty"`
	Node    string `json:"node,omitempty"`
	// Question is what the run asks, with its choices or form: the options of the agent.
	Question *message.Reply `json:"question,omitempty"`
	// Data holds the hydrations the run fetched, by name ("policy/name" for called policies).
	Data map[string]any `json:"data"`
	// Inputs holds the answers given so far, by ask node.
	Inputs map[string]any `json:"inputs"`
	// Path is every node the run visited.
	Path []string `json:"path"`
	// LastReplies are the replies of the last turn, whoever gave it.
	LastReplies []message.Reply `json:"last_replies"`
	Turns       int             `json:"turns"`
	UpdatedAt   time.Time       `json:"updated_at,omitzero"`
}

// NewView builds the view of a conversation; it fails only when the suspended run cannot be
// read.
func NewView(conv *message.Conversation) (*View, error) {
	v := &View{
		ConversationID: conv.ID, CaseID: conv.CaseID, Channel: conv.Channel, Contact: conv.Contact,
		Intent: conv.Intent, Confidence: conv.Confidence, Turns: conv.Turns, UpdatedAt: conv.UpdatedAt,
		Data: map[string]any{}, Inputs: map[string]any{}, Path: []string{}, LastReplies: conv.LastReplies,
	}
	if v.LastReplies == nil {
		v.LastReplies = []message.Reply{}
	}
	if len(conv.Run) == 0 {
		return v, nil
	}
	st, err := policy.UnmarshalState(conv.Run)
	if err != nil {
		return nil, err
	}
	v.Waiting, v.Policy, v.Version, v.Node, v.Path = true, st.Policy, st.Version, st.Waiting, st.Path
	for i, f := range st.Frames {
		prefix := ""
		if i > 0 {
			prefix = f.Policy + "/"
		}
		for name, value := range f.Data {
			v.Data[prefix+name] = value
		}
		for node, value := range f.Input {
			v.Inputs[prefix+node] = value
		}
	}
	for i := range conv.LastReplies {
		if r := &conv.LastReplies[i]; r.Node == st.Waiting {
			v.Question = r
		}
	}
	return v, nil
}

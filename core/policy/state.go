package policy

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// State is a suspended run. It is plain data, serialized as JSON into the conversation, so any
// instance can resume it with the same policy version.
type State struct {
	RunID   string `json:"run_id"`
	Policy  string `json:"policy"`
	Version int    `json:"version,omitempty"`
	// Clock is the run's time, fixed at its start, so that a replay decides the same way.
	Clock time.Time `json:"clock"`
	// Frames is the call stack: the first is the started policy, the last the running one.
	Frames []*Frame `json:"frames"`
	// Vars are the run's variables, shared by every frame.
	Vars map[string]any `json:"vars,omitempty"`
	// Waiting is the node of the last frame that waits for the customer.
	Waiting string `json:"waiting,omitempty"`
	// Path is every node visited so far, as "node" in the started policy and
	// "policy/node" in called ones.
	Path []string `json:"path"`
	// Attempts counts action calls per node of the started policy, for interactive actions.
	Attempts map[string]int `json:"attempts,omitempty"`

	Contact        message.Contact `json:"contact"`
	Channel        string          `json:"channel,omitempty"`
	ConversationID string          `json:"conversation_id,omitempty"`
	CaseID         string          `json:"case_id,omitempty"`
	Intent         IntentResult    `json:"intent"`
}

// Frame is one policy on the call stack.
type Frame struct {
	Policy  string `json:"policy"`
	Version int    `json:"version,omitempty"`
	// Return is the call node of the caller that continues when this frame ends.
	Return string `json:"return,omitempty"`
	// Input holds the customer's answers by ask node.
	Input map[string]any `json:"input,omitempty"`
	// Outputs holds action and sub-policy results by node.
	Outputs map[string]any `json:"outputs,omitempty"`
	// Data holds the hydrations fetched so far.
	Data map[string]any `json:"data,omitempty"`
}

// IntentResult is the recognition that chose the policy, readable as intent.name and
// intent.confidence in expressions.
type IntentResult struct {
	Name       string  `json:"name,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
}

// Marshal serializes the state.
func (s *State) Marshal() ([]byte, error) { return json.Marshal(s) }

// UnmarshalState restores a state serialized by Marshal.
func UnmarshalState(data []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("policy: suspended run is not readable: %w", err)
	}
	if len(s.Frames) == 0 || s.Waiting == "" {
		return nil, fmt.Errorf("policy: suspended run of %q has no waiting node", s.Policy)
	}
	// Empty maps are left out when serialized; the engine writes into them.
	for i, f := range s.Frames {
		if f == nil {
			return nil, fmt.Errorf("policy: suspended run of %q has an empty frame %d", s.Policy, i)
		}
		if f.Input == nil {
			f.Input = map[string]any{}
		}
		if f.Outputs == nil {
			f.Outputs = map[string]any{}
		}
		if f.Data == nil {
			f.Data = map[string]any{}
		}
	}
	return &s, nil
}

func (s *State) frame() *Frame { return s.Frames[len(s.Frames)-1] }

// pathEntry names a node for the path: bare in the started policy, prefixed in called ones.
func (s *State) pathEntry(id string) string {
	if len(s.Frames) == 1 {
		return id
	}
	return s.frame().Policy + "/" + id
}

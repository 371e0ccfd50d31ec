package policy

import (
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
)

// Status is how a step left the run.
type Status string

// The statuses of a step.
const (
	// Asking: the run is suspended at an ask node (or an interactive action) until the
	// customer answers.
	Asking Status = "asking"
	// Done: the run reached an end node.
	Done Status = "done"
	// Failed: the run stopped on an error no on_error path caught.
	Failed Status = "failed"
)

// Step is what one Run or Resume call produced.
type Step struct {
	// RunID, Policy and Version identify the run and the policy it started with.
	RunID   string
	Policy  string
	Version int
	Status  Status
	// Node is where the run stopped: the asking node, the end node, or the failing node.
	Node string
	// Ask is the question when Asking; Error is set on it when the last answer was invalid.
	Ask *Ask
	// Says are the texts of nodes passed on the way, in order.
	Says []string
	// End is the outcome when Done.
	End *End
	// Err is the cause when Failed, a *RunError naming policy and node.
	Err error
	// Actions are the actions called during this step, in order.
	Actions []ActionRecord
	// Trace is what happened during this step.
	Trace []Event
	// Path is every node the run visited from its start, as State.Path.
	Path []string
}

// End is the outcome of a finished run.
type End struct {
	Resolution string `json:"resolution"`
	CSAT       bool   `json:"csat,omitempty"`
}

// ActionRecord is one action called during a step.
type ActionRecord struct {
	Node   string         `json:"node"`
	Name   string         `json:"name"`
	Args   map[string]any `json:"args,omitempty"`
	Output any            `json:"output,omitempty"`
	Error  string         `json:"error,omitempty"`
}

// Event is one node visited, for the trace.
type Event struct {
	Policy string `json:"policy"`
	Node   string `json:"node"`
	Kind   Kind   `json:"kind"`
	// Next is the node the run went on to, and Via why: a condition, a choice, a branch,
	// "else", "error".
	Next    string          `json:"next,omitempty"`
	Via     string          `json:"via,omitempty"`
	Fetches []hydrate.Fetch `json:"fetches,omitempty"`
	Error   string          `json:"error,omitempty"`
	// Took is the time of nodes that call out (actions, executors); zero for the others,
	// which take nanoseconds. Fetches carry their own durations.
	Took time.Duration `json:"took,omitempty"`
}

// RunError is a failure of a run at a node.
type RunError struct {
	Policy string
	Node   string
	Err    error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("policy %s, node %s: %v", e.Policy, e.Node, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

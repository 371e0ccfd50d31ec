package policy

import (
	"context"
	"fmt"
	"sort"
)

// ActionCall is what a `do` node asks of an action: a built-in of the router, a plugin method
// ("crm.AssignCase") or anything else registered under a name.
type ActionCall struct {
	// Name is the action as written in the policy, such as "crm.AssignCase".
	Name string
	// Args are the node's argument expressions, evaluated.
	Args map[string]any
	// Policy, Version and Node say where in which policy the call comes from.
	Policy  string
	Version int
	Node    string
	// RunID identifies the run; ConversationID and CaseID the conversation and CRM case.
	RunID          string
	ConversationID string
	CaseID         string
	Channel        string
	// IdempotencyKey is stable for this run and node, so a retried call is recognized.
	IdempotencyKey string
	// Input is the customer's answer when an interactive action resumes (see ActionResult.Ask);
	// nil on the first call.
	Input map[string]any
	// Attempt counts the calls of this action at this node in this run, from 1.
	Attempt int
}

// ActionResult is what an action answers.
type ActionResult struct {
	// Output is made available to later nodes as outputs.<node>.
	Output any
	// Vars are merged into the run's variables (the built-in "set" action works so).
	Vars map[string]any
	// Ask, when set, suspends the run at this node with this question; the customer's answer
	// comes back to the same action as ActionCall.Input. One-time-code verification works so.
	Ask *Ask
}

// ActionFunc performs one action. It must honour the context's deadline and may be called
// again for the same IdempotencyKey after a failure.
type ActionFunc func(ctx context.Context, call ActionCall) (ActionResult, error)

// Actions maps action names to their functions.
type Actions map[string]ActionFunc

// Names returns the registered action names, sorted.
func (a Actions) Names() []string {
	names := make([]string, 0, len(a))
	for n := range a {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Dispatch runs the named action.
func (a Actions) Dispatch(ctx context.Context, call ActionCall) (ActionResult, error) {
	f, ok := a[call.Name]
	if !ok {
		return ActionResult{}, fmt.Errorf("%w: %q", ErrUnknownAction, call.Name)
	}
	return f(ctx, call)
}

// Merge returns a new registry with the actions of a and b; b wins on equal names.
func (a Actions) Merge(b Actions) Actions {
	out := make(Actions, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

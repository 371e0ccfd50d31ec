package shadow

import (
	"context"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// shadowActions answers every action by name with success and no output, except the pure
// ones, which compute run variables and so must run for the path to be the one a live run
// would take.
func shadowActions(all, pure policy.Actions) policy.Actions {
	out := make(policy.Actions, len(all)+len(pure))
	for name := range all {
		out[name] = skipped
	}
	for name, f := range pure {
		out[name] = f
	}
	return out
}

// skipped stands in for an action in shadow: it is recorded in the step, never performed.
func skipped(context.Context, policy.ActionCall) (policy.ActionResult, error) {
	return policy.ActionResult{}, nil
}

// noLibrary fails `call` nodes when the runner has no shadow library.
type noLibrary struct{}

func (noLibrary) Policy(string, int) (*policy.Compiled, bool) { return nil, false }

package router

import (
	"context"
	"errors"
	"log/slog"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Names of the built-in actions.
const (
	// ActionHandoff hands the conversation to a human team: args team (required) and reason.
	ActionHandoff = "handoff"
	// ActionReply sends a text computed by an expression: args text.
	ActionReply = "reply"
	// ActionSet sets run variables: every argument becomes a variable.
	ActionSet = "set"
	// ActionLog adds a line to the decision log on the case: args note.
	ActionLog = "log"
)

// BuiltinActions returns the actions every router offers, so that policies can be validated
// against them before a router exists.
func BuiltinActions(log *slog.Logger) policy.Actions {
	return policy.Actions{
		ActionHandoff: func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			team := str(call.Args["team"])
			if team == "" {
				return policy.ActionResult{}, errors.New("handoff needs a team")
			}
			return policy.ActionResult{Output: map[string]any{"team": team, "reason": str(call.Args["reason"])}}, nil
		},
		ActionReply: func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			if str(call.Args["text"]) == "" {
				return policy.ActionResult{}, errors.New("reply needs a text")
			}
			return policy.ActionResult{}, nil
		},
		ActionSet: func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			return policy.ActionResult{Vars: call.Args}, nil
		},
		ActionLog: func(ctx context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			log.InfoContext(ctx, "policy log", "run", call.RunID, "node", call.Node, "note", str(call.Args["note"]))
			return policy.ActionResult{Output: map[string]any{"note": str(call.Args["note"])}}, nil
		},
	}
}

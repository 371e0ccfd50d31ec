package router

import (
	"context"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// VersionChooser picks the version of a policy that serves a new run. Given the Live version,
// it returns the version to run and the experiment that chose it, or live and "".
type VersionChooser interface {
	Choose(ctx context.Context, live *policy.Compiled, msg *message.Message) (*policy.Compiled, string)
}

// Shadower runs other versions of a policy beside live runs without delaying them. Watch is
// called as a live run starts; it returns the context the live run runs under (to capture
// what it fetches) and, when a shadow run follows, a function the router calls with the live
// run's first step. It must not block.
type Shadower interface {
	Watch(ctx context.Context, c *policy.Compiled, start *policy.Start) (context.Context, func(*policy.Step))
}

// choose applies the VersionChooser and remembers the experiment on the conversation, so the
// run is recorded with it when it ends, turns later.
func (t *turn) choose(ctx context.Context, live *policy.Compiled) *policy.Compiled {
	t.conv.Experiment = ""
	if t.r.cfg.Versions == nil {
		return live
	}
	c, experiment := t.r.cfg.Versions.Choose(ctx, live, &t.msg)
	if c == nil {
		return live
	}
	t.conv.Experiment = experiment
	return c
}

func (t *turn) watch(ctx context.Context, c *policy.Compiled, start *policy.Start) (context.Context, func(*policy.Step)) {
	if t.r.cfg.Shadow == nil {
		return ctx, nil
	}
	return t.r.cfg.Shadow.Watch(ctx, c, start)
}

func experimentNote(experiment string) string {
	if experiment == "" {
		return ""
	}
	return " (experiment " + experiment + ")"
}

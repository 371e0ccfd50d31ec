package policytest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// maxTurns bounds the answers of one case, so a policy that keeps asking cannot hang a test.
const maxTurns = 100

// Result is the outcome of one case.
type Result struct {
	Policy   string
	Case     string
	Failures []string
	Path     []string
	Took     time.Duration
	// Step is the run's last step; Trace, Says and Actions gather every step's, for
	// simulations that show the whole run.
	Step    *policy.Step
	Trace   []policy.Event
	Says    []string
	Actions []policy.ActionRecord
}

// Passed reports whether the case met every expectation.
func (r Result) Passed() bool { return len(r.Failures) == 0 }

// Runner runs test cases against a set of compiled policies.
type Runner struct {
	Library *policy.Set
	// Executors serve executor nodes that have no fixture in a case; nil means every executor
	// needs a fixture.
	Executors policy.Executors
	// Clock is the runs' clock; a fixed date when nil, so cases do not depend on the day.
	Clock func() time.Time
}

// DefaultClock is the clock of test runs unless the Runner sets one.
var DefaultClock = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// Run runs every case of a file.
func (r *Runner) Run(ctx context.Context, f *File) []Result {
	c, ok := r.Library.Policy(f.Policy, 0)
	if !ok {
		return []Result{{Policy: f.Policy, Case: "(file)", Failures: []string{fmt.Sprintf("%s: policy %q is not loaded", f.Path, f.Policy)}}}
	}
	out := make([]Result, 0, len(f.Cases))
	for _, tc := range f.Cases {
		out = append(out, r.runCase(ctx, c, tc))
	}
	return out
}

// RunCase runs one case against c, which need not be in the Library (a version under review).
func (r *Runner) RunCase(ctx context.Context, c *policy.Compiled, tc Case) Result {
	return r.runCase(ctx, c, tc)
}

func (r *Runner) runCase(ctx context.Context, c *policy.Compiled, tc Case) Result {
	start := time.Now()
	res := Result{Policy: c.Policy.Name, Case: tc.Name}
	var called []string
	actions := policy.Actions{}
	for _, name := range r.Library.ActionNames() {
		name := name
		actions[name] = func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			called = append(called, name)
			fx := tc.Actions[name]
			if fx.Error != "" {
				return policy.ActionResult{}, errors.New(fx.Error)
			}
			return policy.ActionResult{Output: fx.Output, Vars: fx.Vars}, nil
		}
	}
	clock := r.Clock
	if clock == nil {
		clock = func() time.Time { return DefaultClock }
	}
	e := &policy.Engine{Actions: actions, Executors: fixtureExecutors{tc.Executors, r.Executors}, Library: r.Library, Clock: clock}
	fixtures := map[string]hydrate.Fixture{}
	for name, v := range tc.Hydrations {
		fixtures[name] = hydrate.Fixture{Value: v}
	}
	for name, msg := range tc.HydrationErrors {
		fixtures[name] = hydrate.Fixture{Err: msg}
	}
	msg := tc.Message
	if msg.Channel == "" {
		msg.Channel = message.ChannelAPI
	}
	step, st := e.Run(ctx, c, policy.Start{Message: msg, RunID: "test", Fixtures: fixtures,
		Intent: policy.IntentResult{Name: firstIntent(c), Confidence: tc.Intent}})
	says := append([]string{}, step.Says...)
	res.Trace, res.Actions = append(res.Trace, step.Trace...), append(res.Actions, step.Actions...)
	asked := map[string]int{}
	for turns := 0; step.Status == policy.Asking && st != nil; turns++ {
		if turns == maxTurns {
			res.Failures = append(res.Failures, fmt.Sprintf("still asking after %d answers", maxTurns))
			break
		}
		if step.Ask != nil && step.Ask.Error != "" {
			res.Failures = append(res.Failures, fmt.Sprintf("node %s rejected the answer: %s", step.Node, step.Ask.Error))
			break
		}
		answer, ok := nextInput(tc.Inputs[step.Node], asked[step.Node])
		if !ok {
			if tc.Expect.Outcome == "asking" {
				break
			}
			res.Failures = append(res.Failures, fmt.Sprintf("node %s asks (%q) but the case has no input for it (answer %d)", step.Node, step.Ask.Text, asked[step.Node]+1))
			break
		}
		asked[step.Node]++
		step, st = e.Resume(ctx, st, policy.Turn{Message: answer, Fixtures: fixtures})
		says = append(says, step.Says...)
		res.Trace, res.Actions = append(res.Trace, step.Trace...), append(res.Actions, step.Actions...)
	}
	res.Path, res.Step, res.Says = step.Path, step, says
	res.Failures = append(res.Failures, check(tc.Expect, step, res.Path, called, says, st)...)
	res.Took = time.Since(start)
	return res
}

func check(want Expect, step *policy.Step, path, called, says []string, st *policy.State) []string {
	var fails []string
	if got := outcomeOf(step); got != want.Outcome {
		msg := fmt.Sprintf("outcome: got %s, want %s", got, want.Outcome)
		if step.Err != nil {
			msg += " (" + step.Err.Error() + ")"
		}
		fails = append(fails, msg)
	}
	if want.Path != nil && !slices.Equal(path, want.Path) {
		fails = append(fails, fmt.Sprintf("path: got [%s], want [%s]", strings.Join(path, ", "), strings.Join(want.Path, ", ")))
	}
	if want.Actions != nil && !slices.Equal(called, want.Actions) {
		fails = append(fails, fmt.Sprintf("actions: got [%s], want [%s]", strings.Join(called, ", "), strings.Join(want.Actions, ", ")))
	}
	if want.Says != nil && !slices.Equal(says, want.Says) {
		fails = append(fails, fmt.Sprintf("says: got %q, want %q", says, want.Says))
	}
	if len(want.Vars) > 0 {
		var vars map[string]any
		if st != nil {
			vars = st.Vars
		}
		for k, v := range want.Vars {
			if got, ok := vars[k]; !ok || !reflect.DeepEqual(got, v) {
				fails = append(fails, fmt.Sprintf("vars.%s: got %v, want %v", k, got, v))
			}
		}
	}
	return fails
}

// nextInput returns the i-th answer for a node: the value itself, or the i-th of a list.
func nextInput(v any, i int) (message.Message, bool) {
	if v == nil {
		return message.Message{}, false
	}
	if list, ok := v.([]any); ok {
		if i >= len(list) {
			return message.Message{}, false
		}
		v = list[i]
	} else if i > 0 {
		return message.Message{}, false
	}
	switch a := v.(type) {
	case map[string]any:
		return message.Message{Input: a}, true
	default:
		return message.Message{Text: fmt.Sprint(a)}, true
	}
}

func firstIntent(c *policy.Compiled) string {
	if len(c.Policy.Intents) > 0 {
		return c.Policy.Intents[0]
	}
	return ""
}

// fixtureExecutors answers from a case's fixtures first, then from the configured executors.
type fixtureExecutors struct {
	fixtures map[string]ExecutorFixture
	real     policy.Executors
}

func (f fixtureExecutors) Executor(name string) (policy.Executor, bool) {
	if fx, ok := f.fixtures[name]; ok {
		return fixedExecutor(fx), true
	}
	if f.real != nil {
		return f.real.Executor(name)
	}
	return nil, false
}

type fixedExecutor ExecutorFixture

func (f fixedExecutor) Execute(context.Context, policy.ExecRequest) (policy.ExecResult, error) {
	if f.Error != "" {
		return policy.ExecResult{}, errors.New(f.Error)
	}
	return policy.ExecResult{Branch: f.Branch, Vars: policy.VarsOf(f.Vars)}, nil
}

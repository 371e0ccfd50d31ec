package hydrate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/core/expr"
)

// Error names the hydration that failed.
type Error struct {
	Name string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("hydration %s: %v", e.Name, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoSource is returned when a hydration names a source nobody registered.
var ErrNoSource = errors.New("no such source")

// Fixture replaces a hydration in tests and replays: a value, or an error.
type Fixture struct {
	Value any
	Err   string
}

// Fetch records one hydration of a run, for the trace.
type Fetch struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration"`
	Error    string        `json:"error,omitempty"`
}

// Run is the memo of one policy run. Results are written into the run's expression
// environment under the hydration's name, so expressions read them directly. A Run is used by
// one goroutine at a time; only the source calls of one Ensure run concurrently.
type Run struct {
	plan *Plan
	env  expr.Env
	// Local sources take precedence over the plan's, for per-run sources such as the message.
	local    Sources
	fixtures map[string]Fixture
	failed   map[string]error
	fetches  []Fetch
}

// NewRun starts a memo over env. Values already in env under a hydration's name (restored
// from a suspended run) count as fetched.
func NewRun(plan *Plan, env expr.Env, local Sources, fixtures map[string]Fixture) *Run {
	return &Run{plan: plan, env: env, local: local, fixtures: fixtures}
}

// Fetches returns the fetches made so far, in order, and forgets them.
func (r *Run) Fetches() []Fetch {
	f := r.fetches
	r.fetches = nil
	return f
}

func (r *Run) fetched(name string) bool {
	_, ok := r.env[name]
	return ok
}

// Get returns a hydration's value, fetching it (and what it depends on) on first use.
func (r *Run) Get(ctx context.Context, name string) (any, error) {
	if !r.plan.Has(name) {
		return nil, &Error{Name: name, Err: errors.New("not declared")}
	}
	if err := r.Ensure(ctx, []string{name}); err != nil {
		return nil, err
	}
	return r.env[name], nil
}

// Ensure fetches the declared hydrations among names that are not fetched yet, dependencies
// first. Hydrations that do not depend on each other are fetched concurrently. Names that are
// not hydrations are ignored, so callers can pass every name an expression reads.
func (r *Run) Ensure(ctx context.Context, names []string) error {
	need := r.missing(names)
	for len(need) > 0 {
		// A level is every needed hydration whose dependencies are all fetched.
		var level, rest []*Spec
		for _, s := range need {
			ready := true
			for _, d := range s.Deps {
				if !r.fetched(d) {
					ready = false
					break
				}
			}
			if ready {
				level = append(level, s)
			} else {
				rest = append(rest, s)
			}
		}
		if err := r.fetchLevel(ctx, level); err != nil {
			return err
		}
		need = rest
	}
	return nil
}

// missing returns the specs of names and their transitive dependencies not yet fetched,
// dependencies before dependents. A hydration that failed earlier in this run is included and
// fails again without a new call.
func (r *Run) missing(names []string) []*Spec {
	var out []*Spec
	for _, n := range names {
		out = r.addMissing(out, n)
	}
	return out
}

func (r *Run) addMissing(out []*Spec, name string) []*Spec {
	if r.fetched(name) {
		return out
	}
	for _, o := range out {
		if o.Name == name {
			return out
		}
	}
	s, ok := r.plan.specs[name]
	if !ok {
		return out
	}
	for _, d := range s.Deps {
		out = r.addMissing(out, d)
	}
	return append(out, s)
}

type result struct {
	value any
	err   error
	took  time.Duration
}

func (r *Run) fetchLevel(ctx context.Context, level []*Spec) error {
	if len(level) == 1 {
		return r.fetchOne(ctx, level[0])
	}
	results := make([]result, len(level))
	calls := make([]func(), 0, len(level))
	for i, s := range level {
		if err := r.failed[s.Name]; err != nil {
			return err
		}
		args, err := r.args(s)
		if err != nil {
			return r.fail(s.Name, err)
		}
		i, s := i, s
		calls = append(calls, func() { results[i] = r.call(ctx, s, args) })
	}
	if len(calls) == 1 {
		calls[0]()
	} else {
		var wg sync.WaitGroup
		for _, c := range calls {
			wg.Add(1)
			go func() { defer wg.Done(); c() }()
		}
		wg.Wait()
	}
	var first error
	for i, s := range level {
		res := results[i]
		f := Fetch{Name: s.Name, Duration: res.took}
		if res.err != nil {
			f.Error = res.err.Error()
			if first == nil {
				first = r.fail(s.Name, res.err)
			}
		} else {
			r.env[s.Name] = res.value
		}
		r.fetches = append(r.fetches, f)
	}
	return first
}

// fetchOne is fetchLevel for the common level of one hydration, without goroutines.
func (r *Run) fetchOne(ctx context.Context, s *Spec) error {
	if err := r.failed[s.Name]; err != nil {
		return err
	}
	args, err := r.args(s)
	if err != nil {
		return r.fail(s.Name, err)
	}
	res := r.call(ctx, s, args)
	f := Fetch{Name: s.Name, Duration: res.took}
	if res.err != nil {
		f.Error = res.err.Error()
		r.fetches = append(r.fetches, f)
		return r.fail(s.Name, res.err)
	}
	r.env[s.Name] = res.value
	r.fetches = append(r.fetches, f)
	return nil
}

func (r *Run) fail(name string, err error) error {
	herr := &Error{Name: name, Err: err}
	if r.failed == nil {
		r.failed = map[string]error{}
	}
	r.failed[name] = herr
	return herr
}

func (r *Run) args(s *Spec) (map[string]any, error) {
	if len(s.Args) == 0 {
		return nil, nil
	}
	args := make(map[string]any, len(s.Args))
	for _, a := range s.Args {
		v, err := a.Program.Run(r.env)
		if err != nil {
			return nil, fmt.Errorf("argument %s: %w", a.Name, err)
		}
		args[a.Name] = v
	}
	return args, nil
}

func (r *Run) call(ctx context.Context, s *Spec, args map[string]any) result {
	if f, ok := r.fixtures[s.Name]; ok {
		if f.Err != "" {
			return result{err: errors.New(f.Err)}
		}
		return result{value: f.Value}
	}
	if s.IsStatic {
		return result{value: s.Static}
	}
	src := r.local[s.SourceName]
	if src == nil {
		src = s.Source
	}
	if src == nil {
		return result{err: fmt.Errorf("%w %q", ErrNoSource, s.SourceName)}
	}
	// A fetch without its own timeout runs under the request's deadline, and a plugin call
	// under the plugin host's per-call timeout; making a timer for every fetch would cost more
	// than many fetches do.
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	start := time.Now()
	v, err := src.Fetch(ctx, s.Call, args)
	took := time.Since(start)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return result{value: v, err: err, took: took}
}

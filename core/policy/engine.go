package policy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/core/expr"
	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// Library finds compiled policies by name and version (0 asks for the live version), for
// `call` nodes and for resuming suspended runs.
type Library interface {
	Policy(name string, version int) (*Compiled, bool)
}

// Engine runs policies. It holds no per-run state: one Engine serves every run concurrently.
type Engine struct {
	// Actions serve `do` nodes.
	Actions Actions
	// Executors serve executor decides and `do: executor.NAME` nodes.
	Executors Executors
	// Library serves `call` nodes and Resume.
	Library Library
	// Clock returns the time a run starts at; time.Now when nil.
	Clock func() time.Time
	// MaxCallDepth bounds nested `call` nodes; 8 when zero.
	MaxCallDepth int
}

// Start is what a new run begins with.
type Start struct {
	Message message.Message
	// RunID identifies the run (and keys idempotent actions); a random one when empty.
	RunID          string
	ConversationID string
	CaseID         string
	Intent         IntentResult
	// Vars are the run's initial variables.
	Vars map[string]any
	// Fixtures replace hydrations, for tests and replays.
	Fixtures map[string]hydrate.Fixture
}

// Turn is a customer's answer to a suspended run.
type Turn struct {
	Message  message.Message
	Fixtures map[string]hydrate.Fixture
}

// ErrNoSuchPolicy is returned when a call node or a suspended run names a policy (version)
// the library does not have.
var ErrNoSuchPolicy = errors.New("policy: no such policy")

// Run starts a run of c. The returned state is non-nil when the run is suspended (Asking).
func (e *Engine) Run(ctx context.Context, c *Compiled, start Start) (*Step, *State) {
	s := &State{
		RunID:          start.RunID,
		Policy:         c.Policy.Name,
		Version:        c.Policy.Version,
		Clock:          e.now(),
		Vars:           start.Vars,
		Path:           make([]string, 0, 16),
		Contact:        start.Message.Contact,
		Channel:        start.Message.Channel,
		ConversationID: start.ConversationID,
		CaseID:         start.CaseID,
		Intent:         start.Intent,
	}
	if s.RunID == "" {
		s.RunID = newRunID()
	}
	s.Frames = []*Frame{newFrame(c, "")}
	w := e.walker(ctx, s, start.Message, start.Fixtures)
	w.enter(c)
	w.walk(c.start)
	return w.finish()
}

// Resume continues a suspended run with the customer's answer. An invalid answer asks the
// same question again with an error.
func (e *Engine) Resume(ctx context.Context, s *State, turn Turn) (*Step, *State) {
	w := e.walker(ctx, s, turn.Message, turn.Fixtures)
	f := s.frame()
	c, ok := e.lookup(f.Policy, f.Version)
	if !ok {
		w.failAt(s.Waiting, fmt.Errorf("%w: %s version %d", ErrNoSuchPolicy, f.Policy, f.Version))
		return w.finish()
	}
	n, ok := c.nodes[s.Waiting]
	if !ok {
		w.failAt(s.Waiting, fmt.Errorf("policy %s version %d has no node %q to resume at", f.Policy, f.Version, s.Waiting))
		return w.finish()
	}
	w.enter(c)
	waiting := s.Waiting
	s.Waiting = ""
	switch n.kind {
	case KindAsk:
		start := time.Now()
		next, via, value, ask := accept(n, turn.Message)
		if ask != nil {
			w.suspend(waiting, ask)
			return w.finish()
		}
		if f.Input == nil {
			f.Input = map[string]any{}
			w.env["input"] = f.Input
		}
		f.Input[n.id] = value
		w.event(n, next, via, nil, start)
		w.walk(next)
	case KindDo:
		w.walkFrom(n, inputOf(turn.Message))
	default:
		w.failAt(waiting, fmt.Errorf("cannot resume at a %s node", n.kind))
	}
	return w.finish()
}

func (e *Engine) now() time.Time {
	if e.Clock != nil {
		return e.Clock()
	}
	return time.Now().UTC()
}

func (e *Engine) lookup(name string, version int) (*Compiled, bool) {
	if e.Library == nil {
		return nil, false
	}
	return e.Library.Policy(name, version)
}

// newFrame starts a frame. Input and Data are made when first written; Outputs now, since
// expressions read the same map that later nodes write.
func newFrame(c *Compiled, ret string) *Frame {
	return &Frame{Policy: c.Policy.Name, Version: c.Policy.Version, Return: ret, Outputs: map[string]any{}}
}

func newRunID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// walker carries one Run or Resume call.
type walker struct {
	e        *Engine
	ctx      context.Context
	s        *State
	step     *Step
	msg      message.Message
	fixtures map[string]hydrate.Fixture
	c        *Compiled
	env      expr.Env
	hyd      *hydrate.Run
	local    hydrate.Sources
}

func (e *Engine) walker(ctx context.Context, s *State, msg message.Message, fixtures map[string]hydrate.Fixture) *walker {
	return &walker{e: e, ctx: ctx, s: s, step: &Step{}, msg: msg, fixtures: fixtures}
}

// envPool recycles expression environments: one lives exactly as long as a frame's part of a
// Run or Resume call, and nothing keeps it afterwards (fetched data is copied into the frame).
var envPool = sync.Pool{New: func() any { return make(expr.Env, 16) }}

// release returns the walker's environment to the pool.
func (w *walker) release() {
	if w.env != nil {
		clear(w.env)
		envPool.Put(w.env)
		w.env = nil
	}
}

// enter makes c the running policy of the last frame: its environment and hydration memo.
func (w *walker) enter(c *Compiled) {
	w.release()
	w.c = c
	f := w.s.frame()
	env := envPool.Get().(expr.Env)
	env[expr.ClockVar] = w.s.Clock
	env["channel"] = w.s.Channel
	env["input"] = f.Input
	env["vars"] = w.s.Vars
	env["outputs"] = f.Outputs
	// These cost an allocation each; build them only for policies that read them.
	if c.reads["contact"] {
		env["contact"] = newContactEnv(w.s.Contact)
	}
	if c.reads["message"] {
		env["message"] = newMessageEnv(w.msg)
	}
	if c.reads["intent"] {
		env["intent"] = &intentEnv{Name: w.s.Intent.Name, Confidence: w.s.Intent.Confidence}
	}
	for k, v := range f.Data {
		env[k] = v
	}
	w.env = env
	if c.plan != nil {
		if c.usesMessage && w.local == nil {
			w.local = hydrate.Sources{"message": messageSource(w.msg)}
		}
		w.hyd = hydrate.NewRun(c.plan, env, w.local, w.fixtures)
	} else {
		w.hyd = nil
	}
}

// keep saves the fetched hydrations of the running frame into it.
func (w *walker) keep() {
	if w.c == nil || w.c.plan == nil {
		return
	}
	f := w.s.frame()
	for _, name := range w.c.plan.Names() {
		if v, ok := w.env[name]; ok {
			if f.Data == nil {
				f.Data = map[string]any{}
			}
			f.Data[name] = v
		}
	}
}

func (w *walker) finish() (*Step, *State) {
	w.step.RunID, w.step.Policy, w.step.Version = w.s.RunID, w.s.Policy, w.s.Version
	w.step.Path = w.s.Path
	if w.step.Status == Asking {
		w.keep()
		w.release()
		return w.step, w.s
	}
	w.release()
	return w.step, nil
}

func (w *walker) suspend(node string, ask *Ask) {
	w.s.Waiting = node
	w.step.Status = Asking
	w.step.Node = node
	w.step.Ask = ask
}

func (w *walker) failAt(node string, err error) {
	policy := w.s.Policy
	if len(w.s.Frames) > 0 {
		policy = w.s.frame().Policy
	}
	w.step.Status = Failed
	w.step.Node = node
	w.step.Err = &RunError{Policy: policy, Node: node, Err: err}
}

// timed reports whether a node's time is worth a clock read: nodes that call out (actions,
// executors, sub-policies) take real time; the others take nanoseconds, and this machine's
// clock reads are not free. Fetches carry their own timings.
func timed(n *node) bool { return n.kind == KindDo || n.exec != "" }

func (w *walker) event(n *node, next *node, via string, err error, start time.Time) {
	ev := Event{Policy: w.c.Policy.Name, Node: n.id, Kind: n.kind, Via: via}
	if !start.IsZero() {
		ev.Took = time.Since(start)
	}
	if next != nil {
		ev.Next = next.id
	}
	if err != nil {
		ev.Error = err.Error()
	}
	if w.hyd != nil {
		ev.Fetches = w.hyd.Fetches()
	}
	if w.step.Trace == nil {
		w.step.Trace = make([]Event, 0, min(len(w.c.nodes), 16))
	}
	w.step.Trace = append(w.step.Trace, ev)
}

// walk runs nodes from n until the run asks, ends or fails.
func (w *walker) walk(n *node) {
	for n != nil {
		w.s.Path = append(w.s.Path, w.s.pathEntry(n.id))
		n = w.visit(n, nil)
	}
}

// walkFrom re-enters a node that suspended (an interactive action) with the customer's input.
func (w *walker) walkFrom(n *node, input map[string]any) {
	n = w.visit(n, input)
	w.walk(n)
}

// visit runs one node and returns the next, or nil when the run stopped.
func (w *walker) visit(n *node, input map[string]any) *node {
	var start time.Time
	if timed(n) {
		start = time.Now()
	}
	if err := w.ctx.Err(); err != nil {
		w.failAt(n.id, err)
		return nil
	}
	var next *node
	var via string
	var err error
	if len(n.needs) > 0 {
		err = w.hyd.Ensure(w.ctx, n.needs)
	}
	if err == nil {
		switch n.kind {
		case KindDecide:
			next, via, err = w.decide(n)
		case KindAsk:
			w.suspend(n.id, w.question(n))
			w.event(n, nil, "", nil, start)
			return nil
		case KindDo:
			var asked bool
			next, asked, err = w.do(n, input)
			if asked {
				w.event(n, nil, "", nil, start)
				return nil
			}
		case KindCall:
			return w.call(n, start)
		case KindEnd:
			return w.end(n, start)
		}
	}
	if err != nil {
		if n.onError == nil {
			w.event(n, nil, "", err, start)
			w.failAt(n.id, err)
			return nil
		}
		next, via = n.onError, "error"
	}
	w.event(n, next, via, err, start)
	return next
}

func (w *walker) decide(n *node) (*node, string, error) {
	if n.exec != "" {
		res, err := w.execute(n)
		if err != nil {
			return nil, "", err
		}
		if t, ok := n.branches[res.Branch]; ok {
			return t, res.Branch, nil
		}
		if n.elseT != nil {
			return n.elseT, "else", nil
		}
		return nil, "", fmt.Errorf("executor %s answered branch %q, which this node does not map", n.exec, res.Branch)
	}
	for _, cd := range n.conds {
		if len(cd.needs) > 0 {
			if err := w.hyd.Ensure(w.ctx, cd.needs); err != nil {
				return nil, "", err
			}
		}
		ok, err := cd.prog.Bool(w.env)
		if err != nil {
			return nil, "", err
		}
		if ok {
			return cd.target, cd.prog.Source(), nil
		}
	}
	return n.elseT, "else", nil
}

func (w *walker) execute(n *node) (ExecResult, error) {
	if w.e.Executors == nil {
		return ExecResult{}, fmt.Errorf("%w %q: no executors configured", ErrUnknownExecutor, n.exec)
	}
	ex, ok := w.e.Executors.Executor(n.exec)
	if !ok {
		return ExecResult{}, fmt.Errorf("%w %q", ErrUnknownExecutor, n.exec)
	}
	args := make([]Arg, len(n.selects))
	for i, a := range n.selects {
		v, err := a.prog.Run(w.env)
		if err != nil {
			return ExecResult{}, fmt.Errorf("select %s: %w", a.name, err)
		}
		args[i] = Arg{Name: a.name, Value: v}
	}
	res, err := ex.Execute(w.ctx, ExecRequest{
		Policy: w.c.Policy.Name, Node: n.id, Channel: w.s.Channel, Args: args,
		Input: w.s.frame().Input, Vars: w.s.Vars,
		Hydrate: func(ctx context.Context, name string) (any, error) { return w.hyd.Get(ctx, name) },
	})
	if err != nil {
		return ExecResult{}, fmt.Errorf("executor %s: %w", n.exec, err)
	}
	for _, v := range res.Vars {
		w.setVar(v.Name, v.Value)
	}
	return res, nil
}

// setVars merges an action's variables into the run's.
func (w *walker) setVars(vars map[string]any) {
	for k, v := range vars {
		w.setVar(k, v)
	}
}

// setVar sets one of the run's variables; the map is made on the first variable, and the
// expressions' environment follows it.
func (w *walker) setVar(name string, v any) {
	if w.s.Vars == nil {
		w.s.Vars = make(map[string]any, 4)
		w.env["vars"] = w.s.Vars
	}
	w.s.Vars[name] = v
}

func (w *walker) do(n *node, input map[string]any) (next *node, asked bool, err error) {
	f := w.s.frame()
	if n.exec != "" {
		res, err := w.execute(n)
		if err != nil {
			return nil, false, err
		}
		f.Outputs[n.id] = res.VarMap()
		w.say(n.def.Say)
		return n.next, false, nil
	}
	var args map[string]any
	if len(n.args) > 0 {
		args = make(map[string]any, len(n.args))
	}
	for _, a := range n.args {
		v, err := a.prog.Run(w.env)
		if err != nil {
			return nil, false, fmt.Errorf("argument %s: %w", a.name, err)
		}
		args[a.name] = v
	}
	key := w.s.pathEntry(n.id)
	// Attempts are kept only for actions that asked, the only ones called again at a node.
	attempt := w.s.Attempts[key] + 1
	call := ActionCall{
		Name: n.action, Args: args, Policy: f.Policy, Version: f.Version, Node: n.id,
		RunID: w.s.RunID, ConversationID: w.s.ConversationID, CaseID: w.s.CaseID, Channel: w.s.Channel,
		IdempotencyKey: w.s.RunID + "/" + key, Input: input, Attempt: attempt,
	}
	rec := ActionRecord{Node: n.id, Name: n.action, Args: args}
	if w.step.Actions == nil {
		w.step.Actions = make([]ActionRecord, 0, 4)
	}
	var res ActionResult
	if w.e.Actions == nil {
		err = fmt.Errorf("%w %q: no actions configured", ErrUnknownAction, n.action)
	} else {
		res, err = w.e.Actions.Dispatch(w.ctx, call)
	}
	if err != nil {
		rec.Error = err.Error()
		w.step.Actions = append(w.step.Actions, rec)
		return nil, false, fmt.Errorf("action %s: %w", n.action, err)
	}
	rec.Output = res.Output
	w.step.Actions = append(w.step.Actions, rec)
	w.setVars(res.Vars)
	if res.Ask != nil {
		if w.s.Attempts == nil {
			w.s.Attempts = map[string]int{}
		}
		w.s.Attempts[key] = attempt
		w.suspend(n.id, res.Ask)
		return nil, true, nil
	}
	f.Outputs[n.id] = res.Output
	w.say(n.def.Say)
	return n.next, false, nil
}

func (w *walker) say(text string) {
	if text != "" {
		w.step.Says = append(w.step.Says, text)
	}
}

func (w *walker) call(n *node, start time.Time) *node {
	depth := w.e.MaxCallDepth
	if depth == 0 {
		depth = 8
	}
	if len(w.s.Frames) >= depth {
		w.event(n, nil, "", nil, start)
		w.failAt(n.id, fmt.Errorf("calls nest deeper than %d policies", depth))
		return nil
	}
	sub, ok := w.e.lookup(n.def.Call, 0)
	if !ok {
		err := fmt.Errorf("%w: %s", ErrNoSuchPolicy, n.def.Call)
		if n.onError != nil {
			w.event(n, n.onError, "error", err, start)
			return n.onError
		}
		w.event(n, nil, "", err, start)
		w.failAt(n.id, err)
		return nil
	}
	w.say(n.def.Say)
	w.event(n, sub.start, "call "+sub.Policy.Name, nil, start)
	w.keep()
	w.s.Frames = append(w.s.Frames, newFrame(sub, n.id))
	w.enter(sub)
	return sub.start
}

func (w *walker) end(n *node, start time.Time) *node {
	w.say(n.def.Say)
	w.event(n, nil, "", nil, start)
	if len(w.s.Frames) > 1 {
		ret := w.s.frame().Return
		w.s.Frames = w.s.Frames[:len(w.s.Frames)-1]
		f := w.s.frame()
		caller, ok := w.e.lookup(f.Policy, f.Version)
		if !ok {
			w.failAt(ret, fmt.Errorf("%w: %s version %d", ErrNoSuchPolicy, f.Policy, f.Version))
			return nil
		}
		w.enter(caller)
		f.Outputs[ret] = map[string]any{"resolution": n.def.End}
		return caller.nodes[ret].next
	}
	w.step.Status = Done
	w.step.Node = n.id
	w.step.End = &End{Resolution: n.def.End, CSAT: n.def.CSAT}
	return nil
}

// question is the ask node's question as presented this time.
func (w *walker) question(n *node) *Ask {
	a := *n.def.Ask
	return &a
}

// messageSource answers `source: message` hydrations from the message of this turn, with the
// same fields expressions read from contact and message.
func messageSource(msg message.Message) hydrate.Source {
	return hydrate.SourceFunc(func(_ context.Context, call string, _ map[string]any) (any, error) {
		switch call {
		case "contact":
			return newContactEnv(msg.Contact), nil
		case "message", "":
			return newMessageEnv(msg), nil
		case "metadata":
			return msg.Metadata, nil
		}
		return nil, fmt.Errorf("source message has no call %q (have contact, message, metadata)", call)
	})
}

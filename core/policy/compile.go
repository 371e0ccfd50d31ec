package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/expr"
	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/internal/dag"
)

// Roots are the variables every expression may read, besides the policy's hydrations.
var Roots = []string{"contact", "message", "channel", "input", "vars", "outputs", "intent"}

// typedRoots are the roots whose fields are known: a misspelt field fails at load.
var typedRoots = map[string]any{"contact": &contactEnv{}, "message": &messageEnv{}, "intent": &intentEnv{}}

// ExecutorPrefix marks a `do` node that runs an executor as a calculator: "executor.NAME".
const ExecutorPrefix = "executor."

// Env is what policies are compiled against. Nil registries are not checked, so that a
// policy can be validated without the plugins and executors of a deployment.
type Env struct {
	Funcs     *expr.Registry
	Sources   hydrate.Sources
	Actions   Actions
	Executors Executors
}

// Compiled is a policy ready to run: expressions compiled, targets resolved, hydrations planned.
// It is immutable and safe for concurrent use.
type Compiled struct {
	Policy *Policy
	Source *Source
	// Hash is the SHA-256 of the source, so a version can be recognized.
	Hash  string
	start *node
	nodes map[string]*node
	plan  *hydrate.Plan
	// reads holds the roots any expression reads, so a run builds only those.
	reads map[string]bool
	// usesMessage is set when a hydration reads the built-in message source.
	usesMessage bool
}

// Node returns a compiled node's definition.
func (c *Compiled) Node(id string) (*Node, bool) {
	n, ok := c.nodes[id]
	if !ok {
		return nil, false
	}
	return n.def, true
}

// NodeIDs returns every node id, sorted.
func (c *Compiled) NodeIDs() []string {
	ids := make([]string, 0, len(c.nodes))
	for id := range c.nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Edge is one arrow of the graph, for drawing it.
type Edge struct {
	From, To string
	// Label says when the arrow is taken: a condition, a choice, a branch, "error".
	Label string
}

// Edges returns the graph's arrows in a stable order.
func (c *Compiled) Edges() []Edge {
	var out []Edge
	for _, id := range c.NodeIDs() {
		out = append(out, c.nodes[id].edges()...)
	}
	return out
}

// edges returns the arrows leaving a node, in a stable order.
func (n *node) edges() []Edge {
	var out []Edge
	for _, cd := range n.conds {
		out = append(out, Edge{n.id, cd.target.id, cd.prog.Source()})
	}
	if n.elseT != nil {
		out = append(out, Edge{n.id, n.elseT.id, "else"})
	}
	for _, b := range sortedKeys(n.branches) {
		out = append(out, Edge{n.id, n.branches[b].id, b})
	}
	for _, ch := range n.choices {
		out = append(out, Edge{n.id, ch.target.id, ch.value})
	}
	if n.next != nil {
		out = append(out, Edge{n.id, n.next.id, ""})
	}
	if n.onError != nil {
		out = append(out, Edge{n.id, n.onError.id, "error"})
	}
	return out
}

type node struct {
	id   string
	kind Kind
	def  *Node

	conds    []cond
	elseT    *node
	exec     string
	selects  []arg
	branches map[string]*node
	choices  []choice
	fields   []field
	action   string
	args     []arg
	next     *node
	onError  *node
	// needs are the hydrations the node's arguments and selector read, fetched together
	// (concurrently where independent) before it runs.
	needs []string
}

type cond struct {
	prog   *expr.Program
	target *node
	// needs are the hydrations this condition reads: conditions fetch lazily, one by one, so
	// `customer == nil` is decided before anything that reads customer.id is fetched.
	needs []string
}

type arg struct {
	name string
	prog *expr.Program
}

type choice struct {
	value, label string
	target       *node
}

type field struct {
	Field
	re *regexp.Regexp
}

// compiler collects every problem of one policy instead of stopping at the first.
type compiler struct {
	p     *Policy
	src   *Source
	env   Env
	expr  *expr.Compiler
	errs  Errors
	reads map[string]bool
}

func (c *compiler) fail(nodeID string, path []any, format string, a ...any) {
	line, col := c.src.Pos(path...)
	c.errs = append(c.errs, &Error{File: c.src.Path, Line: line, Column: col, Policy: c.p.Name, Node: nodeID, Msg: fmt.Sprintf(format, a...)})
}

// compileExpr compiles an expression and reports a failure at the expression's position plus
// the column inside it.
func (c *compiler) compileExpr(nodeID string, path []any, source string, boolean bool) *expr.Program {
	var prog *expr.Program
	var err error
	if boolean {
		prog, err = c.expr.CompileBool(source)
	} else {
		prog, err = c.expr.Compile(source)
	}
	if err == nil {
		for _, n := range prog.Names {
			c.reads[n] = true
		}
		return prog
	}
	line, col := c.src.Pos(path...)
	var ee *expr.Error
	if errors.As(err, &ee) && ee.Column > 0 && col > 0 && ee.Line <= 1 {
		col += ee.Column - 1
		if quoted(c.src, line, col-ee.Column+1) {
			col++
		}
	}
	msg := err.Error()
	if ee != nil {
		msg = ee.Message
	}
	c.errs = append(c.errs, &Error{File: c.src.Path, Line: line, Column: col, Policy: c.p.Name, Node: nodeID,
		Msg: fmt.Sprintf("expression %q: %s", source, msg)})
	return nil
}

// quoted reports whether the scalar at line:col starts with a quote, which shifts columns.
func quoted(src *Source, line, col int) bool {
	lines := strings.Split(string(src.Data), "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1]) {
		return false
	}
	ch := lines[line-1][col-1]
	return ch == '"' || ch == '\''
}

// Compile validates a policy and prepares it to run. The error is an Errors listing every
// problem found, each with file, line, column and node.
func Compile(p *Policy, src *Source, env Env) (*Compiled, error) {
	if src == nil {
		src = &Source{Path: "<policy>"}
	}
	if env.Funcs == nil {
		env.Funcs = expr.NewRegistry()
	}
	var roots []string
	for _, r := range Roots {
		if typedRoots[r] == nil {
			roots = append(roots, r)
		}
	}
	hydrationNames := sortedKeys(p.Hydrations)
	roots = append(roots, hydrationNames...)
	c := &compiler{p: p, src: src, env: env, expr: expr.NewTypedCompiler(roots, typedRoots, env.Funcs), reads: map[string]bool{}}

	if p.Name == "" {
		c.fail("", nil, "missing `policy:` (the policy's name)")
	}
	if len(p.Nodes) == 0 {
		c.fail("", nil, "no nodes")
	}
	for _, r := range Roots {
		if _, clash := p.Hydrations[r]; clash {
			c.fail("", []any{"hydrations", r}, "hydration name %q is reserved", r)
		}
	}
	plan := c.hydrations(hydrationNames)

	nodes := make(map[string]*node, len(p.Nodes))
	for _, id := range sortedKeys(p.Nodes) {
		if p.Nodes[id] == nil {
			c.fail(id, []any{"nodes", id}, "empty node")
			continue
		}
		nodes[id] = &node{id: id, def: p.Nodes[id]}
	}
	for _, id := range sortedKeys(nodes) {
		c.node(nodes[id], nodes, plan)
	}
	start, ok := nodes[p.Start]
	if p.Start == "" {
		c.fail("", nil, "missing `start:` (the first node)")
	} else if !ok {
		c.fail("", []any{"start"}, "start node %q does not exist", p.Start)
	}
	if len(c.errs) == 0 {
		c.graph(start, nodes)
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	sum := sha256.Sum256(src.Data)
	usesMessage := false
	for _, h := range p.Hydrations {
		usesMessage = usesMessage || (h != nil && h.Source == "message")
	}
	return &Compiled{Policy: p, Source: src, Hash: hex.EncodeToString(sum[:]), start: start, nodes: nodes, plan: plan,
		reads: c.reads, usesMessage: usesMessage}, nil
}

func (c *compiler) hydrations(names []string) *hydrate.Plan {
	isHydration := map[string]bool{}
	for _, n := range names {
		isHydration[n] = true
	}
	var specs []*hydrate.Spec
	for _, name := range names {
		h := c.p.Hydrations[name]
		path := []any{"hydrations", name}
		if h == nil {
			c.fail("", path, "hydration %s: empty", name)
			continue
		}
		s := &hydrate.Spec{Name: name, Call: h.Call, Timeout: time.Duration(h.Timeout)}
		kinds := 0
		if h.Plugin != "" {
			kinds++
			s.SourceName = h.Plugin
		}
		if h.Source != "" {
			kinds++
			s.SourceName = h.Source
		}
		if h.Static != nil {
			kinds++
			s.Static, s.IsStatic = h.Static, true
		}
		if kinds != 1 {
			c.fail("", path, "hydration %s: set exactly one of plugin, source and static", name)
			continue
		}
		if s.SourceName != "" {
			if c.env.Sources != nil {
				src, ok := c.env.Sources[s.SourceName]
				if !ok && s.SourceName != "message" {
					c.fail("", path, "hydration %s: no plugin or source named %q (have: %s)", name, s.SourceName, strings.Join(sortedKeys(c.env.Sources), ", "))
				}
				s.Source = src
			}
			if h.Call == "" && h.Plugin != "" {
				c.fail("", path, "hydration %s: missing `call:` (the plugin method, such as GetCustomer)", name)
			}
		}
		for _, an := range sortedKeys(h.Args) {
			prog := c.compileExpr("", []any{"hydrations", name, "args", an}, h.Args[an], false)
			if prog == nil {
				continue
			}
			s.Args = append(s.Args, hydrate.Arg{Name: an, Program: prog})
			for _, ref := range prog.Names {
				if isHydration[ref] {
					s.Deps = append(s.Deps, ref)
				}
			}
		}
		specs = append(specs, s)
	}
	plan, err := hydrate.NewPlan(specs)
	if err != nil {
		c.fail("", []any{"hydrations"}, "%v", err)
		return nil
	}
	return plan
}

func (c *compiler) target(n *node, nodes map[string]*node, path []any, id string) *node {
	if id == "" {
		c.fail(n.id, path, "missing target node")
		return nil
	}
	t, ok := nodes[id]
	if !ok {
		c.fail(n.id, path, "target node %q does not exist", id)
		return nil
	}
	return t
}

// hydrationsOf returns the hydrations among the names an expression reads, added to list.
func hydrationsOf(list []string, prog *expr.Program, plan *hydrate.Plan) []string {
	if prog == nil || plan == nil {
		return list
	}
	for _, name := range prog.Names {
		if plan.Has(name) && !slices.Contains(list, name) {
			list = append(list, name)
		}
	}
	return list
}

func (c *compiler) node(n *node, nodes map[string]*node, plan *hydrate.Plan) {
	d := n.def
	base := []any{"nodes", n.id}
	n.kind = d.Kind()
	if n.kind == "" {
		c.fail(n.id, base, "a node is exactly one of decide, ask, do, call or end")
		return
	}
	c.fieldsAllowed(n, base)
	if d.OnError != "" {
		n.onError = c.target(n, nodes, append(base, "on_error"), d.OnError)
	}
	switch n.kind {
	case KindDecide:
		c.decide(n, nodes, plan, append(base, "decide"))
	case KindAsk:
		c.ask(n, nodes, append(base, "ask"))
	case KindDo:
		n.action = d.Do
		if name, ok := strings.CutPrefix(d.Do, ExecutorPrefix); ok {
			n.exec = name
			c.checkExecutor(n, base, name)
		} else if c.env.Actions != nil {
			if _, ok := c.env.Actions[d.Do]; !ok {
				c.fail(n.id, append(base, "do"), "no action named %q (have: %s)", d.Do, strings.Join(c.env.Actions.Names(), ", "))
			}
		}
		n.args = c.args(n, plan, append(base, "args"), d.Args)
		n.selects = c.args(n, plan, append(base, "select"), d.Select)
		n.next = c.target(n, nodes, append(base, "goto"), d.Goto)
	case KindCall:
		n.next = c.target(n, nodes, append(base, "goto"), d.Goto)
	case KindEnd:
	}
}

// fieldsAllowed rejects fields that mean nothing for the node's kind, so a misplaced line is
// not silently ignored.
func (c *compiler) fieldsAllowed(n *node, base []any) {
	d := n.def
	bad := func(field string, set bool) {
		if set {
			c.fail(n.id, append(base, field), "`%s` does not apply to a %s node", field, n.kind)
		}
	}
	k := n.kind
	bad("goto", d.Goto != "" && k != KindDo && k != KindCall)
	bad("args", len(d.Args) > 0 && k != KindDo)
	bad("select", len(d.Select) > 0 && k != KindDo)
	bad("say", d.Say != "" && k != KindEnd && k != KindDo && k != KindCall)
	bad("csat", d.CSAT && k != KindEnd)
	bad("on_error", d.OnError != "" && k == KindEnd)
}

func (c *compiler) checkExecutor(n *node, base []any, name string) {
	if c.env.Executors == nil {
		return
	}
	if _, ok := c.env.Executors.Executor(name); !ok {
		c.fail(n.id, base, "no executor named %q", name)
	}
}

func (c *compiler) args(n *node, plan *hydrate.Plan, path []any, src map[string]string) []arg {
	var out []arg
	for _, name := range sortedKeys(src) {
		prog := c.compileExpr(n.id, append(path, name), src[name], false)
		if prog == nil {
			continue
		}
		n.needs = hydrationsOf(n.needs, prog, plan)
		out = append(out, arg{name: name, prog: prog})
	}
	return out
}

func (c *compiler) decide(n *node, nodes map[string]*node, plan *hydrate.Plan, path []any) {
	d := n.def.Decide
	if d.Executor != "" {
		n.exec = d.Executor
		c.checkExecutor(n, path, d.Executor)
		n.selects = c.args(n, plan, append(path, "select"), d.Select)
		if len(d.Branches) == 0 {
			c.fail(n.id, path, "an executor decide needs `branches:` mapping its answers to nodes")
		}
		n.branches = map[string]*node{}
		for _, b := range sortedKeys(d.Branches) {
			if t := c.target(n, nodes, append(path, "branches", b), d.Branches[b]); t != nil {
				n.branches[b] = t
			}
		}
		if d.Else != "" {
			n.elseT = c.target(n, nodes, append(path, "else"), d.Else)
		}
		return
	}
	if len(d.Conditions) == 0 {
		c.fail(n.id, path, "decide needs conditions or an executor")
		return
	}
	for i, cd := range d.Conditions {
		p := append(append([]any{}, path...), i)
		last := i == len(d.Conditions)-1
		switch {
		case cd.Else != "" && (cd.When != "" || cd.Goto != ""):
			c.fail(n.id, p, "an else line has only `else:`")
		case cd.Else != "" && !last:
			c.fail(n.id, p, "`else` must be the last line of a decide")
		case cd.Else != "":
			n.elseT = c.target(n, nodes, append(p, "else"), cd.Else)
		case cd.When == "":
			c.fail(n.id, p, "a condition line needs `when:` and `goto:`")
		default:
			prog := c.compileExpr(n.id, append(p, "when"), cd.When, true)
			t := c.target(n, nodes, append(p, "goto"), cd.Goto)
			if prog != nil && t != nil {
				n.conds = append(n.conds, cond{prog: prog, target: t, needs: hydrationsOf(nil, prog, plan)})
			}
		}
	}
	if d.Conditions[len(d.Conditions)-1].Else == "" {
		c.fail(n.id, path, "decide has no `else:` line, so a run could find no way on")
	}
}

var fieldTypes = map[string]bool{"": true, "text": true, "number": true, "email": true, "phone": true, "date": true}

func (c *compiler) ask(n *node, nodes map[string]*node, path []any) {
	a := n.def.Ask
	if a.Text == "" && len(a.Form) == 0 {
		c.fail(n.id, path, "an ask needs `text:` or a `form:`")
	}
	if len(a.Choices) > 0 && len(a.Form) > 0 {
		c.fail(n.id, path, "an ask has either choices or a form, not both")
	}
	values := map[string]bool{}
	for i, ch := range a.Choices {
		p := append(append([]any{}, path...), "choices", i)
		if ch.Value == "" {
			c.fail(n.id, p, "a choice needs a `value:`")
			continue
		}
		if values[ch.Value] {
			c.fail(n.id, p, "choice %q appears twice", ch.Value)
		}
		values[ch.Value] = true
		if t := c.target(n, nodes, append(p, "goto"), ch.Goto); t != nil {
			n.choices = append(n.choices, choice{value: ch.Value, label: ch.Label, target: t})
		}
	}
	if len(a.Choices) > 0 {
		if a.Goto != "" {
			c.fail(n.id, append(path, "goto"), "an ask with choices goes where the chosen choice says; remove `goto:`")
		}
	} else {
		n.next = c.target(n, nodes, append(path, "goto"), a.Goto)
	}
	if a.Voice != nil {
		mapped := map[string]bool{}
		for key, v := range a.Voice.DTMF {
			if !values[v] {
				c.fail(n.id, append(path, "voice", "dtmf", key), "key %s maps to %q, which is not a choice", key, v)
			}
			if len(key) != 1 || !strings.Contains("0123456789*#", key) {
				c.fail(n.id, append(path, "voice", "dtmf", key), "%q is not a phone key (0-9, * or #)", key)
			}
			mapped[v] = true
		}
		if len(a.Voice.DTMF) > 0 {
			for _, ch := range a.Choices {
				if !mapped[ch.Value] {
					c.fail(n.id, append(path, "voice", "dtmf"), "choice %q has no key", ch.Value)
				}
			}
		}
	}
	names := map[string]bool{}
	for i, f := range a.Form {
		p := append(append([]any{}, path...), "form", i)
		if f.Name == "" {
			c.fail(n.id, p, "a form field needs a `name:`")
			continue
		}
		if names[f.Name] {
			c.fail(n.id, p, "field %q appears twice", f.Name)
		}
		names[f.Name] = true
		if !fieldTypes[f.Type] {
			c.fail(n.id, append(p, "type"), "field type %q is not one of text, number, email, phone, date", f.Type)
		}
		cf := field{Field: f}
		if f.Pattern != "" {
			re, err := regexp.Compile("^(?:" + f.Pattern + ")$")
			if err != nil {
				c.fail(n.id, append(p, "pattern"), "pattern: %v", err)
			}
			cf.re = re
		}
		n.fields = append(n.fields, cf)
	}
}

// graph checks that the nodes form a DAG in which every node is reachable from the start.
func (c *compiler) graph(start *node, nodes map[string]*node) {
	cycle, reached := dag.Walk([]string{start.id}, func(id string) []string {
		var next []string
		for _, e := range nodes[id].edges() {
			next = append(next, e.To)
		}
		return next
	})
	if cycle != nil {
		c.fail(cycle[0], []any{"nodes", cycle[0]}, "cycle: %s (a policy is a directed acyclic graph)", strings.Join(cycle, " -> "))
		return
	}
	for _, id := range sortedKeys(nodes) {
		if !reached[id] {
			c.fail(id, []any{"nodes", id}, "unreachable from the start node %q", start.id)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Package expr is the condition language of policies, built on expr-lang/expr. Expressions are
// compiled once when a policy loads and run many times; they read the run's data through an
// Env and call named functions from a Registry. The vocabulary reads like the composable
// executors of a rules engine: ==, in, contains, has/includes, and/or, filter, len/size, plus
// functions such as hoursSince(ts) and distanceKm(a, b).
package expr

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// ClockVar is the variable that carries the run's clock. Functions that read time (hoursSince,
// now) receive it as a hidden last argument, so that a run replayed later decides the same way.
const ClockVar = "__clock__"

// Program is a compiled expression, safe for concurrent use.
type Program struct {
	source string
	prog   *vm.Program
	// Names are the root variables the expression reads, so callers can fetch lazily what it
	// needs before it runs.
	Names []string
}

// Source returns the expression as written.
func (p *Program) Source() string { return p.source }

// Error is a compile error with its position inside the expression (1-based; 0 when unknown).
type Error struct {
	Expr    string
	Line    int
	Column  int
	Message string
}

func (e *Error) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("column %d: %s", e.Column, e.Message)
	}
	return e.Message
}

// Compiler compiles expressions against a fixed set of root variables and a function registry.
type Compiler struct {
	vars    map[string]bool
	options []expr.Option
}

// NewCompiler returns a compiler that accepts the given root variable names (anything else is a
// compile error, so typos fail at load) and the functions of reg. Every root is of unknown
// type: hydrations are JSON-shaped values known only at run time, so member access on them is
// checked when it runs.
func NewCompiler(vars []string, reg *Registry) *Compiler {
	return NewTypedCompiler(vars, nil, reg)
}

// NewTypedCompiler is NewCompiler with some roots of a known type, given by a sample value
// (a pointer to a struct whose fields carry `expr:"name"` tags): their fields are checked at
// load, and read without reflection or allocation when the expression runs.
func NewTypedCompiler(vars []string, typed map[string]any, reg *Registry) *Compiler {
	env := types.Map{ClockVar: types.TypeOf(time.Time{})}
	known := make(map[string]bool, len(vars)+len(typed))
	for _, v := range vars {
		env[v] = types.Any
		known[v] = true
	}
	for v, sample := range typed {
		env[v] = types.TypeOf(sample)
		known[v] = true
	}
	opts := []expr.Option{
		expr.Env(env),
		// The built-in now() reads the wall clock; ours reads the run's clock.
		expr.DisableBuiltin("now"),
		expr.Patch(clockPatcher{funcs: reg.clockFuncs()}),
	}
	opts = append(opts, reg.options()...)
	return &Compiler{vars: known, options: opts}
}

// Compile compiles an expression.
func (c *Compiler) Compile(source string) (*Program, error) {
	rec := &nameRecorder{vars: c.vars, seen: map[string]bool{}}
	opts := append(append([]expr.Option{}, c.options...), expr.Patch(rec))
	prog, err := expr.Compile(source, opts...)
	if err != nil {
		return nil, compileError(source, err)
	}
	names := make([]string, 0, len(rec.seen))
	for n := range rec.seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return &Program{source: source, prog: prog, Names: names}, nil
}

// CompileBool compiles an expression that must yield a boolean.
func (c *Compiler) CompileBool(source string) (*Program, error) {
	p, err := c.Compile(source)
	if err != nil {
		return nil, err
	}
	if k := p.prog.Node().Type(); k != nil && k.Kind().String() != "bool" && k.Kind().String() != "interface" {
		return nil, &Error{Expr: source, Message: fmt.Sprintf("condition yields %s, want a boolean", k)}
	}
	return p, nil
}

func compileError(source string, err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		return &Error{Expr: source, Line: fe.Line, Column: fe.Column + 1, Message: fe.Message}
	}
	return &Error{Expr: source, Message: err.Error()}
}

// Env is the data an expression reads: root variable names to values. The engine keeps one per
// run and adds hydrations as they are fetched.
type Env map[string]any

var vmPool = sync.Pool{New: func() any { return new(vm.VM) }}

// Run evaluates the program against env. A runtime error (a nil dereference, a type mismatch)
// is returned, never a panic.
func (p *Program) Run(env Env) (any, error) {
	machine := vmPool.Get().(*vm.VM)
	out, err := machine.Run(p.prog, map[string]any(env))
	vmPool.Put(machine)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.source, err)
	}
	return out, nil
}

// Bool evaluates a condition. nil counts as false, so `customer.vip` reads naturally when the
// field is absent.
func (p *Program) Bool(env Env) (bool, error) {
	out, err := p.Run(env)
	if err != nil {
		return false, err
	}
	switch v := out.(type) {
	case bool:
		return v, nil
	case nil:
		return false, nil
	default:
		return false, fmt.Errorf("%s: yields %T, want a boolean", p.source, out)
	}
}

// nameRecorder records which root variables an expression reads.
type nameRecorder struct {
	vars map[string]bool
	seen map[string]bool
}

func (r *nameRecorder) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok {
		if r.vars[id.Value] {
			r.seen[id.Value] = true
		}
	}
}

// clockPatcher appends the clock variable to calls of functions that read time.
type clockPatcher struct{ funcs map[string]bool }

func (c clockPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || !c.funcs[id.Value] {
		return
	}
	if n := len(call.Arguments); n > 0 {
		if last, ok := call.Arguments[n-1].(*ast.IdentifierNode); ok && last.Value == ClockVar {
			return // already patched: the checker runs visitors more than once
		}
	}
	call.Arguments = append(call.Arguments, &ast.IdentifierNode{Value: ClockVar})
}

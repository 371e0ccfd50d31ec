package policy

import (
	"context"
	"maps"
	"slices"
)

// Executor runs decision logic that outgrows expressions, such as a sandboxed WebAssembly
// module. The engine evaluates the node's selector and hands over the values in Args.
type Executor interface {
	Execute(ctx context.Context, req ExecRequest) (ExecResult, error)
}

// Arg is one selected value, by the name the selector gives it.
type Arg struct {
	Name  string
	Value any
}

// ExecRequest is the input of one executor call.
type ExecRequest struct {
	Policy  string
	Node    string
	Channel string
	// Args are the selector's values, sorted by name. Executors using typed arguments read
	// them by index or name without any parsing.
	Args []Arg
	// Input holds the answers given so far, by ask node; Vars the run's variables.
	Input map[string]any
	Vars  map[string]any
	// Hydrate fetches a declared hydration by name, memoized with the run's other fetches.
	Hydrate func(ctx context.Context, name string) (any, error)
}

// ExecResult is what an executor answers: a branch for `decide` nodes, variables for both.
// Vars is a list rather than a map: a decide node merges them straight into the run's
// variables, and a map built per call cost a WebAssembly executor call's host side a third of
// its time (BenchmarkExecutorDecide in package wasm).
type ExecResult struct {
	Branch string
	Vars   []Var
}

// Var is one variable of an executor's answer.
type Var struct {
	Name  string
	Value any
}

// VarMap returns the variables by name, nil when there are none; of two variables with one
// name the later wins.
func (r ExecResult) VarMap() map[string]any {
	if len(r.Vars) == 0 {
		return nil
	}
	m := make(map[string]any, len(r.Vars))
	for _, v := range r.Vars {
		m[v.Name] = v.Value
	}
	return m
}

// VarsOf lists the variables of a map, sorted by name.
func VarsOf(m map[string]any) []Var {
	if len(m) == 0 {
		return nil
	}
	vars := make([]Var, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		vars = append(vars, Var{Name: k, Value: m[k]})
	}
	return vars
}

// Executors looks up executors by the name policies use.
type Executors interface {
	Executor(name string) (Executor, bool)
}

// ExecutorMap is an Executors backed by a map, for tests and small set-ups.
type ExecutorMap map[string]Executor

// Executor returns the named executor.
func (m ExecutorMap) Executor(name string) (Executor, bool) {
	e, ok := m[name]
	return e, ok
}

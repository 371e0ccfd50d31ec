package policy

import "context"

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
type ExecResult struct {
	Branch string
	Vars   map[string]any
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

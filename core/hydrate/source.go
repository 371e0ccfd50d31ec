// Package hydrate fetches the data a policy run needs from back-end systems: lazily on first
// use, once per run, with dependencies between fetches resolved from their arguments.
package hydrate

import "context"

// Source fetches data by call name. Plugins, the built-in sources and Go functions registered
// for tests all implement it. Fetch must honour the context's deadline.
type Source interface {
	Fetch(ctx context.Context, call string, args map[string]any) (any, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context, call string, args map[string]any) (any, error)

// Fetch calls f.
func (f SourceFunc) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	return f(ctx, call, args)
}

// Sources maps the names policies use (a plugin's name, "static", "message") to sources.
type Sources map[string]Source

package expr

import (
	"fmt"
	"sort"

	"github.com/expr-lang/expr"
)

// Func is a named function expressions may call.
type Func struct {
	Name string
	// Doc is one line shown by `frontdesk policy functions` and in the docs.
	Doc string
	// Fn receives the evaluated arguments. When Clock is set it receives the run's clock as
	// an extra last argument of type time.Time.
	Fn    func(args ...any) (any, error)
	Clock bool
	// Types optionally declares signatures (as expr.Function does: new(func(float64) bool)),
	// so that calls with wrong arguments fail at load instead of at run time.
	Types []any
}

// Registry holds the named functions available to expressions. The zero value is empty;
// NewRegistry returns one with the standard vocabulary.
type Registry struct {
	funcs map[string]Func
}

// NewRegistry returns a registry with the standard functions: size, has, includes, now,
// hoursSince, minutesSince, daysSince and distanceKm.
func NewRegistry() *Registry {
	r := &Registry{funcs: map[string]Func{}}
	for _, f := range standardFuncs() {
		r.Register(f)
	}
	return r
}

// Register adds or replaces a function.
func (r *Registry) Register(f Func) {
	if r.funcs == nil {
		r.funcs = map[string]Func{}
	}
	r.funcs[f.Name] = f
}

// Funcs returns the registered functions sorted by name.
func (r *Registry) Funcs() []Func {
	out := make([]Func, 0, len(r.funcs))
	for _, f := range r.funcs {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Registry) clockFuncs() map[string]bool {
	m := map[string]bool{}
	for name, f := range r.funcs {
		if f.Clock {
			m[name] = true
		}
	}
	return m
}

func (r *Registry) options() []expr.Option {
	var opts []expr.Option
	for _, f := range r.Funcs() {
		f := f
		fn := func(args ...any) (any, error) {
			out, err := f.Fn(args...)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			return out, nil
		}
		opts = append(opts, expr.Function(f.Name, fn, f.Types...))
	}
	return opts
}

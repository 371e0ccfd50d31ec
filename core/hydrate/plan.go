package hydrate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/expr"
	"github.com/frontdeskhq/frontdesk/core/internal/dag"
)

// Spec is one compiled hydration: where the data comes from and how its arguments are made.
type Spec struct {
	Name string
	// SourceName is the name the policy used ("backoffice", "message"); Source is what it
	// resolved to. Both are empty for static data.
	SourceName string
	Source     Source
	Call       string
	Args       []Arg
	// Static, when IsStatic, is the value itself.
	Static   any
	IsStatic bool
	// Timeout bounds one fetch; zero leaves it to the caller's deadline (the request's, and
	// for plugins the host's per-call timeout).
	Timeout time.Duration
	// Deps are the hydrations the arguments read.
	Deps []string
}

// Arg is one compiled argument.
type Arg struct {
	Name    string
	Program *expr.Program
}

// Plan is the set of hydrations of one policy, checked for unknown and cyclic dependencies.
type Plan struct {
	specs map[string]*Spec
}

// NewPlan checks that every dependency is declared and that none is cyclic. The error names
// the cycle.
func NewPlan(specs []*Spec) (*Plan, error) {
	p := &Plan{specs: make(map[string]*Spec, len(specs))}
	for _, s := range specs {
		p.specs[s.Name] = s
	}
	for _, s := range specs {
		for _, d := range s.Deps {
			if _, ok := p.specs[d]; !ok {
				return nil, fmt.Errorf("hydration %s: depends on undeclared hydration %q", s.Name, d)
			}
		}
	}
	cycle, _ := dag.Walk(p.Names(), func(name string) []string { return p.specs[name].Deps })
	if cycle != nil {
		return nil, fmt.Errorf("hydrations depend on each other in a cycle: %s", strings.Join(cycle, " -> "))
	}
	return p, nil
}

// Names returns the declared hydrations, sorted.
func (p *Plan) Names() []string {
	names := make([]string, 0, len(p.specs))
	for n := range p.specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Has reports whether name is a declared hydration.
func (p *Plan) Has(name string) bool {
	_, ok := p.specs[name]
	return ok
}

// Spec returns a declared hydration.
func (p *Plan) Spec(name string) (*Spec, bool) {
	s, ok := p.specs[name]
	return s, ok
}

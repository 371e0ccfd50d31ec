package policy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/internal/dag"
)

// Set is a group of compiled policies loaded together, such as a folder in development. It is
// a Library (every policy is its own live version) and maps intents to policies.
type Set struct {
	byName   map[string]*Compiled
	byIntent map[string]*Compiled
}

// IsPolicyFile reports whether a file name looks like a policy (and not its test cases).
func IsPolicyFile(name string) bool {
	if IsTestFile(name) {
		return false
	}
	switch filepath.Ext(name) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// IsTestFile reports whether a file name is a policy's test cases: NAME.test.yaml (or .yml,
// .json) beside the policy.
func IsTestFile(name string) bool {
	for _, ext := range []string{".test.yaml", ".test.yml", ".test.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// LoadDir compiles every policy file in dir (not recursively). The error lists every problem
// of every file.
func LoadDir(dir string, env Env) (*Set, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() && IsPolicyFile(e.Name()) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no policy files (*.yaml, *.yml, *.json)", dir)
	}
	return LoadFiles(paths, env)
}

// LoadFiles compiles the given policy files into a set.
func LoadFiles(paths []string, env Env) (*Set, error) {
	var compiled []*Compiled
	var errs []error
	for _, path := range paths {
		p, src, err := ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c, err := Compile(p, src, env)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		compiled = append(compiled, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewSet(compiled...)
}

// NewSet groups compiled policies, checking that names and intents are unique and that every
// `call` names a policy of the set without calling back into itself.
func NewSet(policies ...*Compiled) (*Set, error) {
	s := &Set{byName: map[string]*Compiled{}, byIntent: map[string]*Compiled{}}
	var errs []error
	for _, c := range policies {
		name := c.Policy.Name
		if prev, dup := s.byName[name]; dup {
			errs = append(errs, fmt.Errorf("%s: policy %q is also defined in %s", c.Source.Path, name, prev.Source.Path))
			continue
		}
		s.byName[name] = c
		for _, in := range c.Policy.Intents {
			if prev, dup := s.byIntent[in]; dup {
				errs = append(errs, fmt.Errorf("%s: intent %q is already served by policy %q", c.Source.Path, in, prev.Policy.Name))
				continue
			}
			s.byIntent[in] = c
		}
	}
	for _, c := range policies {
		for _, id := range c.NodeIDs() {
			n := c.nodes[id]
			if n.kind != KindCall {
				continue
			}
			if _, ok := s.byName[n.def.Call]; !ok {
				line, col := c.Source.Pos("nodes", id, "call")
				errs = append(errs, &Error{File: c.Source.Path, Line: line, Column: col, Node: id, Msg: fmt.Sprintf("calls policy %q, which is not loaded", n.def.Call)})
			}
		}
	}
	if err := s.checkCallCycles(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

func (s *Set) checkCallCycles() error {
	cycle, _ := dag.Walk(s.Names(), func(name string) []string {
		c := s.byName[name]
		var called []string
		for _, id := range c.NodeIDs() {
			if n := c.nodes[id]; n.kind == KindCall {
				if _, ok := s.byName[n.def.Call]; ok {
					called = append(called, n.def.Call)
				}
			}
		}
		return called
	})
	if cycle != nil {
		return fmt.Errorf("policies call each other in a cycle: %s", strings.Join(cycle, " -> "))
	}
	return nil
}

// Policy returns the named policy; any version matches, since a set holds one of each.
func (s *Set) Policy(name string, _ int) (*Compiled, bool) {
	c, ok := s.byName[name]
	return c, ok
}

// ForIntent returns the policy serving an intent.
func (s *Set) ForIntent(intent string) (*Compiled, bool) {
	c, ok := s.byIntent[intent]
	return c, ok
}

// Names returns the policies' names, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.byName))
	for n := range s.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Intents returns the intents served, sorted.
func (s *Set) Intents() []string {
	out := make([]string, 0, len(s.byIntent))
	for n := range s.byIntent {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ActionNames lists the actions the set's policies call (not executors), sorted.
func (s *Set) ActionNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range s.byName {
		for _, n := range c.nodes {
			if n.kind == KindDo && n.exec == "" && !seen[n.action] {
				seen[n.action] = true
				out = append(out, n.action)
			}
		}
	}
	sort.Strings(out)
	return out
}

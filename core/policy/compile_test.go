package policy

import (
	"context"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
)

func compileErr(src string, env Env) error {
	p, s, err := Parse("bad.yaml", []byte(src))
	if err != nil {
		return err
	}
	_, err = Compile(p, s, env)
	return err
}

func TestBadPolicies(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"malformed yaml", "policy: x\nnodes:\n  a: [\n", []string{"bad.yaml:3:"}},
		{"unknown field", "policy: x\nstart: a\nnodes:\n  a: { end: ok, sya: hi }\n", []string{"bad.yaml:4:", `unknown field "sya"`}},
		{"unknown node kind", "policy: x\nstart: a\nnodes:\n  a: { jump: b }\n", []string{`unknown field "jump"`}},
		{"wrong type", "policy: x\nstart: a\nnodes:\n  a: { end: ok, csat: maybe }\n", []string{"bad.yaml:4:"}},
		{"empty", "  \n", []string{"empty policy"}},
		{"json unknown field", `{"policy": "x", "start": "a", "nodes": {"a": {"end": "ok", "gotu": "b"}}}`, []string{"bad.yaml:1:", `unknown field "gotu"`}},
		{"no kind", "policy: x\nstart: a\nnodes:\n  a: { say: hi }\n", []string{"bad.yaml:4:", "node a: a node is exactly one of"}},
		{"two kinds", "policy: x\nstart: a\nnodes:\n  a: { end: ok, do: handoff, goto: a }\n", []string{"exactly one of"}},
		{"missing start", "policy: x\nnodes:\n  a: { end: ok }\n", []string{"missing `start:`"}},
		{"unknown start", "policy: x\nstart: b\nnodes:\n  a: { end: ok }\n", []string{"bad.yaml:2:", `start node "b" does not exist`}},
		{"unknown target", "policy: x\nstart: a\nnodes:\n  a: { do: log, goto: nowhere }\n", []string{"bad.yaml:4:", `node a: target node "nowhere" does not exist`}},
		{"cycle", "policy: x\nstart: a\nnodes:\n  a: { do: log, goto: b }\n  b: { do: log, goto: a }\n", []string{"cycle: a -> b -> a"}},
		{"unreachable", "policy: x\nstart: a\nnodes:\n  a: { end: ok }\n  b: { end: no }\n", []string{"bad.yaml:5:", "node b: unreachable"}},
		{"decide without else", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - { when: 'true', goto: b }\n  b: { end: ok }\n", []string{"no `else:` line"}},
		{"else not last", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - { else: b }\n      - { when: 'true', goto: b }\n  b: { end: ok }\n", []string{"must be the last line"}},
		{"expression typo", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - { when: \"custmer == nil\", goto: b }\n      - { else: b }\n  b: { end: ok }\n",
			[]string{"bad.yaml:6:18:", "node a: expression \"custmer == nil\": unknown name custmer"}},
		{"misspelt contact field", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - { when: \"contact.customr_id != ''\", goto: b }\n      - { else: b }\n  b: { end: ok }\n",
			[]string{"bad.yaml:6:", "customr_id"}},
		{"expression syntax", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - when: input.x ==\n        goto: b\n      - { else: b }\n  b: { end: ok }\n", []string{"bad.yaml:6:", "unexpected token"}},
		{"non-boolean condition", "policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      - { when: \"1 + 2\", goto: b }\n      - { else: b }\n  b: { end: ok }\n", []string{"want a boolean"}},
		{"choice without target", "policy: x\nstart: a\nnodes:\n  a:\n    ask: { text: q, choices: [ { value: y } ] }\n", []string{"missing target node"}},
		{"duplicate choice", "policy: x\nstart: a\nnodes:\n  a:\n    ask: { text: q, choices: [ { value: y, goto: b }, { value: y, goto: b } ] }\n  b: { end: ok }\n", []string{`choice "y" appears twice`}},
		{"dtmf to unknown choice", "policy: x\nstart: a\nnodes:\n  a:\n    ask: { text: q, choices: [ { value: y, goto: b } ], voice: { dtmf: { '1': n } } }\n  b: { end: ok }\n",
			[]string{`maps to "n", which is not a choice`, `choice "y" has no key`}},
		{"bad pattern", "policy: x\nstart: a\nnodes:\n  a:\n    ask: { text: q, form: [ { name: f, pattern: '[' } ], goto: b }\n  b: { end: ok }\n", []string{"pattern: error parsing regexp"}},
		{"misplaced field", "policy: x\nstart: a\nnodes:\n  a: { end: ok, goto: a }\n", []string{"`goto` does not apply to a end node"}},
		{"hydration with two sources", "policy: x\nhydrations:\n  h: { plugin: a, static: 1, call: C }\nstart: a\nnodes:\n  a: { end: ok }\n", []string{"set exactly one of plugin, source and static"}},
		{"hydration cycle", "policy: x\nhydrations:\n  a1: { source: s, args: { x: a2 } }\n  a2: { source: s, args: { x: a1 } }\nstart: a\nnodes:\n  a: { end: ok }\n", []string{"cycle"}},
		{"reserved hydration", "policy: x\nhydrations:\n  input: { static: 1 }\nstart: a\nnodes:\n  a: { end: ok }\n", []string{`"input" is reserved`}},
		{"bad duration", "policy: x\nhydrations:\n  h: { static: 1, timeout: soon }\nstart: a\nnodes:\n  a: { end: ok }\n", []string{"duration \"soon\""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := compileErr(tt.src, Env{})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestUnknownReferencesWhenRegistriesAreGiven(t *testing.T) {
	src := "policy: x\nhydrations:\n  h: { plugin: crm2, call: Get }\nstart: a\nnodes:\n  a: { do: crm.Nope, goto: b }\n  b: { do: executor.nope, goto: c }\n  c: { end: ok }\n"
	env := Env{Sources: hydrate.Sources{"backoffice": nil}, Actions: Actions{"crm.AssignCase": nil}, Executors: ExecutorMap{}}
	err := compileErr(src, env)
	for _, w := range []string{`no plugin or source named "crm2"`, `no action named "crm.Nope"`, `no executor named "nope"`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
}

func TestEveryProblemIsListed(t *testing.T) {
	err := compileErr("policy: x\nstart: a\nnodes:\n  a: { do: log, goto: nowhere }\n  b: { say: hi }\n", Env{})
	if errs, ok := err.(Errors); !ok || len(errs) < 2 {
		t.Fatalf("want every problem, got %v", err)
	}
}

func TestCallCyclesAndMissingPolicies(t *testing.T) {
	a := compileTest(t, "policy: a\nstart: c\nnodes:\n  c: { call: b, goto: e }\n  e: { end: ok }\n", Env{})
	b := compileTest(t, "policy: b\nstart: c\nnodes:\n  c: { call: a, goto: e }\n  e: { end: ok }\n", Env{})
	if _, err := NewSet(a, b); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("got %v", err)
	}
	if _, err := NewSet(a); err == nil || !strings.Contains(err.Error(), `calls policy "b", which is not loaded`) {
		t.Fatalf("got %v", err)
	}
	dup := compileTest(t, "policy: a\nintents: [x]\nstart: e\nnodes:\n  e: { end: ok }\n", Env{})
	dup2 := compileTest(t, "policy: z\nintents: [x]\nstart: e\nnodes:\n  e: { end: ok }\n", Env{})
	if _, err := NewSet(dup, dup2); err == nil || !strings.Contains(err.Error(), `intent "x" is already served`) {
		t.Fatalf("got %v", err)
	}
}

func TestGraphOutputs(t *testing.T) {
	e, c, _, _ := newTestEngine(t, addressPolicy)
	_ = e
	var m, d strings.Builder
	if err := c.WriteMermaid(&m, map[string]int{"check": 3}); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteDOT(&d, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"flowchart TD", `n_check{"check<br/>3 hits"}`, `n_confirm -->|"yes"| n_collect`, `n_verify -->|"error"| n_handoff`} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("mermaid lacks %q:\n%s", want, m.String())
		}
	}
	for _, want := range []string{`digraph "change-address"`, `"check" [shape=diamond`, `"verify" -> "handoff" [label="error", style=dashed`} {
		if !strings.Contains(d.String(), want) {
			t.Errorf("dot lacks %q:\n%s", want, d.String())
		}
	}
}

// FuzzLoad feeds arbitrary bytes to the loader and compiler: they must return errors, never
// panic, and what compiles must run without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(addressPolicy))
	f.Add([]byte("policy: x\nstart: a\nnodes:\n  a: { end: ok }\n"))
	f.Add([]byte(`{"policy": "x", "start": "a", "nodes": {"a": {"decide": [{"when": "true", "goto": "b"}, {"else": "b"}]}, "b": {"end": "ok"}}}`))
	f.Add([]byte("policy: x\nstart: a\nnodes:\n  a:\n    decide:\n      executor: e\n      branches: { y: b }\n  b: { end: ok }\n"))
	f.Add([]byte("policy: &a x\nnodes: *a\n"))
	f.Add([]byte("- [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, s, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		c, err := Compile(p, s, Env{})
		if err != nil {
			return
		}
		e := &Engine{Actions: Actions{}, Executors: ExecutorMap{}}
		step, st := e.Run(context.Background(), c, Start{})
		if st != nil {
			e.Resume(context.Background(), st, Turn{})
		}
		_ = step
	})
}

package executor

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRequestReads(t *testing.T) {
	data := map[string]any{
		"f": 1.5, "i": int64(7), "n": json.Number("12"), "nf": json.Number("2.5"), "b": true,
		"s": "héllo", "m": map[string]any{"a": []any{1.0}}, "null": nil, "whole": 3.0,
	}
	h := func(req Request) (Response, error) {
		checks := []struct {
			got, want any
		}{
			{req.Float("f"), 1.5}, {req.Float("i"), 7.0}, {req.Int("i"), int64(7)},
			{req.Int("n"), int64(12)}, {req.Float("nf"), 2.5}, {req.Int("whole"), int64(3)},
			{req.Bool("b"), true}, {req.String("s"), "héllo"},
			{string(req.JSON("m")), `{"a":[1]}`}, {string(req.JSON("s")), `"héllo"`},
			{req.Kind("null"), KindNull}, {req.Has("null"), true}, {req.Has("nope"), false},
			{req.Kind("m"), KindJSON},
		}
		for i, c := range checks {
			if c.got != c.want {
				t.Errorf("check %d: got %v, want %v", i, c.got, c.want)
			}
		}
		return Response{Branch: "ok"}, req.Err()
	}
	if res, err := Test(h, data, nil); err != nil || res.Branch != "ok" {
		t.Fatal(res, err)
	}
}

func TestRequestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func(Request)
		want error
		msg  string
	}{
		{"missing", func(r Request) { r.Float("nope") }, ErrMissing, `"nope"`},
		{"string as float", func(r Request) { r.Float("s") }, ErrType, `"s" is string, read as float`},
		{"fraction as int", func(r Request) { r.Int("f") }, ErrType, "not an integer"},
		{"int as bool", func(r Request) { r.Bool("i") }, ErrType, `"i" is int`},
		{"first error wins", func(r Request) { r.Bool("nope"); r.Float("s") }, ErrMissing, `"nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Test(func(r Request) (Response, error) {
				tc.read(r)
				return Response{Branch: "x"}, nil
			}, map[string]any{"s": "x", "f": 1.5, "i": 3}, nil)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}

// A panic is not turned into an error: in a module it traps and the host replaces the
// instance the panic may have left inconsistent.
func TestHandlerPanicPropagates(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want the handler's panic", r)
		}
	}()
	Test(func(Request) (Response, error) { panic("boom") }, nil, nil)
	t.Fatal("the panic did not propagate")
}

func TestHydrateUndeclared(t *testing.T) {
	_, err := Test(func(r Request) (Response, error) {
		_, err := r.Hydrate("nope")
		return Response{}, err
	}, nil, map[string]any{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("got %v", err)
	}
}

func TestVars(t *testing.T) {
	r := Response{Vars: []Var{Float("f", 1.5), Int("i", 2), Bool("b", true), String("s", "x"), Value("v", []int{1})}}
	want := map[string]any{"f": 1.5, "i": int64(2), "b": true, "s": "x"}
	for name, w := range want {
		if got, ok := r.Var(name); !ok || got != w {
			t.Errorf("%s: got %v, want %v", name, got, w)
		}
	}
	if m := r.varMap(); len(m) != 5 {
		t.Fatalf("varMap: %v", m)
	}
	if _, ok := r.Var("nope"); ok {
		t.Fatal("found a variable that is not there")
	}
}

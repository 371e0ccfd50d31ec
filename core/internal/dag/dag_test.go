package dag

import (
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	edges := map[string][]string{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": nil, "e": {"a"}}
	next := func(n string) []string { return edges[n] }
	cycle, reached := Walk([]string{"a"}, next)
	if cycle != nil || len(reached) != 4 || reached["e"] {
		t.Fatalf("acyclic: cycle %v, reached %v", cycle, reached)
	}
	edges["d"] = []string{"b"}
	cycle, _ = Walk([]string{"e"}, next)
	if got := strings.Join(cycle, " -> "); got != "b -> d -> b" {
		t.Fatalf("cycle %q", got)
	}
	if cycle, _ := Walk([]string{"x"}, func(string) []string { return []string{"x"} }); strings.Join(cycle, ",") != "x,x" {
		t.Fatalf("self loop %v", cycle)
	}
}

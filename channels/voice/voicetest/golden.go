package voicetest

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"testing"
)

// Update, set by go test -update, rewrites golden files with what the code produces now.
var Update = flag.Bool("update", false, "rewrite golden files in testdata")

// GoldenJSON compares a JSON body with the golden file field by field, naming each field
// that differs; with -update it writes the file instead.
func GoldenJSON(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		var v any
		if err := json.Unmarshal(got, &v); err != nil {
			t.Fatalf("%s: not JSON: %v", path, err)
		}
		pretty, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(path, append(pretty, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	for _, d := range DiffJSON(got, want) {
		t.Errorf("%s: %s", path, d)
	}
}

// DiffJSON lists the fields where two JSON documents differ, by path.
func DiffJSON(got, want []byte) []string {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return []string{"got is not JSON: " + err.Error()}
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return []string{"want is not JSON: " + err.Error()}
	}
	var diffs []string
	diff("$", g, w, &diffs)
	return diffs
}

func diff(path string, g, w any, out *[]string) {
	gm, gok := g.(map[string]any)
	wm, wok := w.(map[string]any)
	if gok && wok {
		keys := map[string]bool{}
		for k := range gm {
			keys[k] = true
		}
		for k := range wm {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			diff(path+"."+k, gm[k], wm[k], out)
		}
		return
	}
	ga, gok := g.([]any)
	wa, wok := w.([]any)
	if gok && wok && len(ga) == len(wa) {
		for i := range ga {
			diff(fmt.Sprintf("%s[%d]", path, i), ga[i], wa[i], out)
		}
		return
	}
	if !reflect.DeepEqual(g, w) {
		*out = append(*out, fmt.Sprintf("%s: got %v, want %v", path, g, w))
	}
}

package studio

import (
	"strings"
	"testing"
)

// FuzzMatch: any method and path finds at most one route, whose parameters are the path's
// non-empty segments, never a panic.
func FuzzMatch(f *testing.F) {
	for _, seed := range []string{"/v1/studio/policies/change-address/versions/2/gate", "/v1/studio/", "/v1/studio//x", "/v1/studio/policies/%2F/tests/a b", "/"} {
		f.Add("GET", seed)
	}
	a := &api{}
	a.routes = a.table()
	f.Fuzz(func(t *testing.T, method, path string) {
		r, params, found := a.match(method, path)
		if r != nil && (!found || r.Method != method) {
			t.Fatalf("%s %s matched %+v", method, path, r)
		}
		for k, v := range params {
			if v == "" || strings.Contains(v, "/") {
				t.Fatalf("%s %s: parameter %s = %q", method, path, k, v)
			}
		}
	})
}

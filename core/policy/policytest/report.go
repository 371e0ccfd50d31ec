package policytest

import (
	"fmt"
	"io"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Coverage is how many of a policy's nodes the cases visited.
type Coverage struct {
	Policy  string
	Nodes   int
	Missing []string
}

// Covered returns the coverage of every policy of the set by the results.
func Covered(set *policy.Set, results []Result) []Coverage {
	hit := map[string]map[string]bool{}
	for _, r := range results {
		for _, entry := range r.Path {
			p, node := r.Policy, entry
			if i := strings.IndexByte(entry, '/'); i >= 0 {
				p, node = entry[:i], entry[i+1:]
			}
			if hit[p] == nil {
				hit[p] = map[string]bool{}
			}
			hit[p][node] = true
		}
	}
	var out []Coverage
	for _, name := range set.Names() {
		c, _ := set.Policy(name, 0)
		cov := Coverage{Policy: name, Nodes: len(c.NodeIDs())}
		for _, id := range c.NodeIDs() {
			if !hit[name][id] {
				cov.Missing = append(cov.Missing, id)
			}
		}
		out = append(out, cov)
	}
	return out
}

// Print writes results the way `go test -v` does, then the node coverage, and returns the
// number of failed cases.
func Print(w io.Writer, results []Result, coverage []Coverage, verbose bool) int {
	failed := 0
	for _, r := range results {
		name := r.Policy + "/" + strings.ReplaceAll(r.Case, " ", "_")
		if r.Passed() {
			if verbose {
				fmt.Fprintf(w, "--- PASS: %s (%.3fs)\n", name, r.Took.Seconds())
			}
			continue
		}
		failed++
		fmt.Fprintf(w, "--- FAIL: %s (%.3fs)\n", name, r.Took.Seconds())
		for _, f := range r.Failures {
			fmt.Fprintf(w, "    %s\n", f)
		}
		fmt.Fprintf(w, "    path: %s\n", strings.Join(r.Path, " -> "))
	}
	for _, c := range coverage {
		line := fmt.Sprintf("coverage: %s: %d/%d nodes", c.Policy, c.Nodes-len(c.Missing), c.Nodes)
		if len(c.Missing) > 0 {
			line += " (not visited: " + strings.Join(c.Missing, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
	status := "ok"
	if failed > 0 {
		status = "FAIL"
	}
	fmt.Fprintf(w, "%s\t%d cases, %d passed, %d failed\n", status, len(results), len(results)-failed, failed)
	return failed
}

// Package lifecycle moves policy versions through Draft -> Shadow -> Final -> Live: the
// promotion gate that decides Shadow -> Final, deployment and rollback of Live versions, the
// dev-mode import of a folder as Live versions, and the Catalog that serves the store's
// versions to the router.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Defaults of the promotion gate.
const (
	DefaultMinCoverage = 0.6
	DefaultMinShadow   = 24 * time.Hour
)

// ErrRefused is returned when the gate refuses a promotion; the Verdict says why.
var ErrRefused = errors.New("lifecycle: promotion refused by the gate")

// GateStore is what the gate reads and changes.
type GateStore interface {
	store.Policies
	store.TestCases
	store.Runs
}

// Gate decides whether a Shadow version may become Final: enough of its nodes hit by shadow
// runs since its last change, long enough in shadow, and every saved test case passing.
type Gate struct {
	Store GateStore
	// MinCoverage is the share of nodes shadow runs must have hit (0.6 when zero), MinShadow
	// the time in shadow (24 h when zero).
	MinCoverage float64
	MinShadow   time.Duration
	// Env compiles the version for its tests; leave Sources nil, so that a test can only
	// use its fixtures. Library holds the other policies its `call` nodes may run.
	Env     policy.Env
	Library *policy.Set
	// Clock is the time source; time.Now when nil.
	Clock func() time.Time
}

// Verdict is the gate's answer, with everything that explains it.
type Verdict struct {
	Allowed  bool     `json:"allowed"`
	Reasons  []string `json:"reasons"`
	Coverage Coverage `json:"coverage"`
	Shadow   InShadow `json:"shadow"`
	Tests    Tests    `json:"tests"`
}

// Coverage is how much of the version shadow runs have walked since its last change.
type Coverage struct {
	Hit        int      `json:"hit"`
	Nodes      int      `json:"nodes"`
	Ratio      float64  `json:"ratio"`
	Required   float64  `json:"required"`
	Unhit      []string `json:"unhit"`
	ShadowRuns int64    `json:"shadow_runs"`
}

// InShadow is how long the version has been in shadow.
type InShadow struct {
	Since     time.Time `json:"since"`
	ForS      float64   `json:"for_s"`
	RequiredS float64   `json:"required_s"`
}

// Tests summarizes the saved test cases run against the version.
type Tests struct {
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Cases    int           `json:"cases"`
	Failures []CaseFailure `json:"failures"`
}

// CaseFailure is one failing case.
type CaseFailure struct {
	Case     string   `json:"case"`
	Failures []string `json:"failures"`
}

func (g *Gate) now() time.Time {
	if g.Clock != nil {
		return g.Clock()
	}
	return time.Now()
}

// Check gives the verdict on promoting the version now. A version that is not in Shadow is
// refused with that reason.
func (g *Gate) Check(ctx context.Context, name string, version int) (Verdict, error) {
	v, err := g.Store.Version(ctx, name, version)
	if err != nil {
		return Verdict{}, err
	}
	minCov, minShadow := g.MinCoverage, g.MinShadow
	if minCov == 0 {
		minCov = DefaultMinCoverage
	}
	if minShadow == 0 {
		minShadow = DefaultMinShadow
	}
	verdict := Verdict{Reasons: []string{}}
	if v.State != store.StateShadow {
		verdict.Reasons = append(verdict.Reasons, fmt.Sprintf("version %d is %s; only a Shadow version can be promoted", version, v.State))
	}
	c, err := Compile(v, g.Env)
	if err != nil {
		verdict.Reasons = append(verdict.Reasons, "the version does not compile: "+err.Error())
		return verdict, nil
	}
	if err := g.coverage(ctx, c, v, minCov, &verdict); err != nil {
		return Verdict{}, err
	}
	verdict.Shadow = InShadow{Since: v.StateChangedAt, RequiredS: minShadow.Seconds()}
	if v.State == store.StateShadow {
		in := g.now().Sub(v.StateChangedAt)
		verdict.Shadow.ForS = math.Max(0, in.Seconds())
		if in < minShadow {
			verdict.Reasons = append(verdict.Reasons, fmt.Sprintf("in shadow for %s; %s are required", in.Truncate(time.Second), minShadow))
		}
	}
	if err := g.tests(ctx, c, &verdict); err != nil {
		return Verdict{}, err
	}
	verdict.Allowed = len(verdict.Reasons) == 0
	return verdict, nil
}

// coverage counts the version's nodes hit by shadow runs since its last change: an edit
// (UpdatedAt) or its entry into Shadow, whichever is later.
func (g *Gate) coverage(ctx context.Context, c *policy.Compiled, v store.PolicyVersion, minCov float64, verdict *Verdict) error {
	since := v.UpdatedAt
	if v.StateChangedAt.After(since) {
		since = v.StateChangedAt
	}
	shadow := true
	f := store.RunFilter{Version: v.Version, Shadow: &shadow, Since: since}
	hits, err := g.Store.NodeHits(ctx, v.Policy, f)
	if err != nil {
		return err
	}
	outcomes, err := g.Store.OutcomeCounts(ctx, v.Policy, f)
	if err != nil {
		return err
	}
	cov := Coverage{Required: minCov, Unhit: []string{}}
	for _, o := range outcomes {
		cov.ShadowRuns += o.Runs
	}
	for _, id := range c.NodeIDs() {
		cov.Nodes++
		if hits[id] > 0 {
			cov.Hit++
		} else {
			cov.Unhit = append(cov.Unhit, id)
		}
	}
	if cov.Nodes > 0 {
		cov.Ratio = float64(cov.Hit) / float64(cov.Nodes)
	}
	verdict.Coverage = cov
	if cov.Ratio < minCov {
		verdict.Reasons = append(verdict.Reasons, fmt.Sprintf("%d of %d nodes (%.0f%%) were hit in shadow since the last change; %.0f%% are required",
			cov.Hit, cov.Nodes, cov.Ratio*100, minCov*100))
	}
	return nil
}

// tests runs the policy's saved test cases against the version.
func (g *Gate) tests(ctx context.Context, c *policy.Compiled, verdict *Verdict) error {
	cases, err := g.Store.TestCases(ctx, c.Policy.Name)
	if err != nil {
		return err
	}
	results, err := RunCases(ctx, c, cases, g.Library, g.Env.Executors)
	if err != nil {
		return err
	}
	t := Tests{Cases: len(results), Failures: []CaseFailure{}}
	for _, r := range results {
		if r.Passed() {
			t.Passed++
			continue
		}
		t.Failed++
		t.Failures = append(t.Failures, CaseFailure{Case: r.Case, Failures: r.Failures})
	}
	verdict.Tests = t
	switch {
	case t.Cases == 0:
		verdict.Reasons = append(verdict.Reasons, "the policy has no saved test cases")
	case t.Failed > 0:
		names := make([]string, len(t.Failures))
		for i, f := range t.Failures {
			names[i] = f.Case
		}
		verdict.Reasons = append(verdict.Reasons, fmt.Sprintf("%d of %d test cases fail: %s", t.Failed, t.Cases, strings.Join(names, "; ")))
	}
	return nil
}

// RunCases runs stored test cases against a compiled version. The other policies of library
// serve its `call` nodes; a case that does not parse is a failing result, not an error.
func RunCases(ctx context.Context, c *policy.Compiled, cases []store.TestCase, library *policy.Set, executors policy.Executors) ([]policytest.Result, error) {
	parsed := make([]policytest.Case, 0, len(cases))
	var broken []policytest.Result
	for _, tc := range cases {
		p, err := ParseCase(tc)
		if err != nil {
			broken = append(broken, policytest.Result{Policy: tc.Policy, Case: tc.Name, Failures: []string{err.Error()}})
			continue
		}
		parsed = append(parsed, p)
	}
	out, err := RunCasesParsed(ctx, c, parsed, library, executors)
	return append(out, broken...), err
}

// RunCasesParsed runs test cases against a compiled version, the other policies of library
// serving its `call` nodes.
func RunCasesParsed(ctx context.Context, c *policy.Compiled, cases []policytest.Case, library *policy.Set, executors policy.Executors) ([]policytest.Result, error) {
	set, err := withVersion(c, library)
	if err != nil {
		return nil, err
	}
	r := &policytest.Runner{Library: set, Executors: executors}
	out := make([]policytest.Result, 0, len(cases))
	for _, tc := range cases {
		out = append(out, r.RunCase(ctx, c, tc))
	}
	return out, nil
}

// withVersion is the library with c in place of its policy's version.
func withVersion(c *policy.Compiled, library *policy.Set) (*policy.Set, error) {
	compiled := []*policy.Compiled{c}
	if library != nil {
		for _, name := range library.Names() {
			if name != c.Policy.Name {
				other, _ := library.Policy(name, 0)
				compiled = append(compiled, other)
			}
		}
	}
	return policy.NewSet(compiled...)
}

// Promote moves a Shadow version to Final when the gate allows it now; otherwise it returns
// the verdict with ErrRefused.
func (g *Gate) Promote(ctx context.Context, name string, version int) (store.PolicyVersion, Verdict, error) {
	verdict, err := g.Check(ctx, name, version)
	if err != nil {
		return store.PolicyVersion{}, verdict, err
	}
	if !verdict.Allowed {
		return store.PolicyVersion{}, verdict, fmt.Errorf("%w: %s", ErrRefused, strings.Join(verdict.Reasons, "; "))
	}
	v, err := g.Store.SetState(ctx, name, version, store.StateFinal)
	return v, verdict, err
}

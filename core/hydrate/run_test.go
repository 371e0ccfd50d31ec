package hydrate

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/expr"
)

// counting is a source that counts calls and can be slowed down.
type counting struct {
	calls atomic.Int64
	delay time.Duration
}

func (c *counting) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	c.calls.Add(1)
	select {
	case <-time.After(c.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	switch call {
	case "GetCustomer":
		return map[string]any{"id": args["customer_id"], "phone": "+4915112345"}, nil
	case "ListChangeRequests":
		return []any{map[string]any{"customer": args["customer_id"]}}, nil
	case "Fail":
		return nil, errors.New("back office unavailable")
	}
	return call, nil
}

func compileSpec(t testing.TB, c *expr.Compiler, plan map[string]bool, name string, src Source, call string, args map[string]string) *Spec {
	s := &Spec{Name: name, SourceName: "backoffice", Source: src, Call: call}
	for k, v := range args {
		p, err := c.Compile(v)
		if err != nil {
			t.Fatal(err)
		}
		s.Args = append(s.Args, Arg{Name: k, Program: p})
		for _, n := range p.Names {
			if plan[n] {
				s.Deps = append(s.Deps, n)
			}
		}
	}
	return s
}

func newTestPlan(t testing.TB, src Source) *Plan {
	names := map[string]bool{"customer": true, "requests": true, "tier": true, "region": true}
	c := expr.NewCompiler([]string{"contact", "customer", "requests", "tier", "region"}, expr.NewRegistry())
	plan, err := NewPlan([]*Spec{
		compileSpec(t, c, names, "customer", src, "GetCustomer", map[string]string{"customer_id": "contact.customer_id"}),
		compileSpec(t, c, names, "requests", src, "ListChangeRequests", map[string]string{"customer_id": "customer.id"}),
		compileSpec(t, c, names, "tier", src, "Tier", nil),
		compileSpec(t, c, names, "region", src, "Region", nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestLazyMemoizedWithDependencies(t *testing.T) {
	src := &counting{}
	env := expr.Env{"contact": map[string]any{"customer_id": "C-7"}}
	run := NewRun(newTestPlan(t, src), env, nil, nil)
	ctx := context.Background()

	v, err := run.Get(ctx, "requests")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.([]any)[0].(map[string]any)["customer"]; got != "C-7" {
		t.Fatalf("requests built from customer: got %v", got)
	}
	if n := src.calls.Load(); n != 2 {
		t.Fatalf("customer then requests: %d calls, want 2", n)
	}
	if _, err := run.Get(ctx, "customer"); err != nil {
		t.Fatal(err)
	}
	if n := src.calls.Load(); n != 2 {
		t.Fatalf("memoized: %d calls, want 2", n)
	}
	fetches := run.Fetches()
	if len(fetches) != 2 || fetches[0].Name != "customer" || fetches[1].Name != "requests" {
		t.Fatalf("fetch order %+v", fetches)
	}
}

func TestIndependentFetchesRunConcurrently(t *testing.T) {
	src := &counting{delay: 100 * time.Millisecond}
	run := NewRun(newTestPlan(t, src), expr.Env{"contact": map[string]any{}}, nil, nil)
	start := time.Now()
	if err := run.Ensure(context.Background(), []string{"tier", "region", "customer"}); err != nil {
		t.Fatal(err)
	}
	// Three independent fetches of 100 ms each: sequential would take 300 ms.
	if took := time.Since(start); took > 250*time.Millisecond {
		t.Fatalf("three independent fetches took %v", took)
	}
}

func TestFailureNamesHydrationAndIsMemoized(t *testing.T) {
	src := &counting{}
	c := expr.NewCompiler(nil, expr.NewRegistry())
	plan, err := NewPlan([]*Spec{compileSpec(t, c, nil, "broken", src, "Fail", nil)})
	if err != nil {
		t.Fatal(err)
	}
	run := NewRun(plan, expr.Env{}, nil, nil)
	for i := 0; i < 2; i++ {
		_, err := run.Get(context.Background(), "broken")
		var herr *Error
		if !errors.As(err, &herr) || herr.Name != "broken" || !strings.Contains(err.Error(), "back office unavailable") {
			t.Fatalf("got %v", err)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d calls, want 1", n)
	}
}

func TestTimeout(t *testing.T) {
	src := &counting{delay: time.Second}
	c := expr.NewCompiler(nil, expr.NewRegistry())
	s := compileSpec(t, c, nil, "slow", src, "Slow", nil)
	s.Timeout = 20 * time.Millisecond
	plan, _ := NewPlan([]*Spec{s})
	_, err := NewRun(plan, expr.Env{}, nil, nil).Get(context.Background(), "slow")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestFixturesAndLocalSources(t *testing.T) {
	src := &counting{}
	local := Sources{"backoffice": SourceFunc(func(context.Context, string, map[string]any) (any, error) {
		return "local", nil
	})}
	run := NewRun(newTestPlan(t, src), expr.Env{"contact": map[string]any{}}, local,
		map[string]Fixture{"customer": {Value: map[string]any{"id": "F-1"}}, "tier": {Err: "boom"}})
	if v, _ := run.Get(context.Background(), "customer"); v.(map[string]any)["id"] != "F-1" {
		t.Fatalf("fixture not used: %v", v)
	}
	if v, _ := run.Get(context.Background(), "region"); v != "local" {
		t.Fatalf("local source not used: %v", v)
	}
	if _, err := run.Get(context.Background(), "tier"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("error fixture: %v", err)
	}
	if src.calls.Load() != 0 {
		t.Fatal("the plan's source was called")
	}
}

func TestPlanRejectsCyclesAndUnknownDeps(t *testing.T) {
	if _, err := NewPlan([]*Spec{{Name: "a", Deps: []string{"b"}}, {Name: "b", Deps: []string{"a"}}}); err == nil || !strings.Contains(err.Error(), "a -> b -> a") {
		t.Fatalf("cycle: %v", err)
	}
	if _, err := NewPlan([]*Spec{{Name: "a", Deps: []string{"zz"}}}); err == nil || !strings.Contains(err.Error(), `"zz"`) {
		t.Fatalf("unknown: %v", err)
	}
}

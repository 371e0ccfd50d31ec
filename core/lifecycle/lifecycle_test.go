package lifecycle

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// examplesDir is the repository's example policies.
func examplesDir(t testing.TB) string {
	return filepath.Join(repotest.Root(t), "examples", "policies")
}

func openStore(t testing.TB) *store.SQLStore {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "studio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// moveTo walks a new version through the states up to to, as a publisher would.
func moveTo(t testing.TB, st store.Policies, name string, version int, to store.State) {
	t.Helper()
	for _, s := range []store.State{store.StateShadow, store.StateFinal, store.StateLive} {
		if _, err := st.SetState(context.Background(), name, version, s); err != nil {
			t.Fatal(err)
		}
		if s == to {
			return
		}
	}
}

// saveExampleCases stores the change-address test file's cases.
func saveExampleCases(t testing.TB, st store.TestCases) {
	t.Helper()
	name, bodies, err := CaseBodies([]byte(repotest.ReadExample(t, "change-address.test.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	for n, b := range bodies {
		if err := st.PutTestCase(context.Background(), store.TestCase{Policy: name, Name: n, Body: b}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGate(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	body := repotest.ReadExample(t, "change-address.yaml")
	v1 := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", body, "ana"))
	moveTo(t, st, "change-address", v1.Version, store.StateLive)
	edited := strings.Replace(body, "description: Customer asks", "description: The customer asks", 1)
	v2 := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", edited, "ana"))
	moveTo(t, st, "change-address", v2.Version, store.StateShadow)
	saveExampleCases(t, st)

	now := time.Now()
	g := &Gate{Store: st, Clock: func() time.Time { return now }}
	shadowRun := func(id string, path ...string) {
		t.Helper()
		if err := st.RecordRun(ctx, store.Run{ID: id, Policy: "change-address", Version: 2, Path: path, Outcome: "x", Shadow: true}); err != nil {
			t.Fatal(err)
		}
	}

	v := must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if v.Allowed || len(v.Reasons) != 2 || v.Coverage.Nodes != 10 || v.Coverage.Hit != 0 || v.Tests.Failed != 0 || v.Tests.Passed == 0 {
		t.Fatalf("fresh shadow version: %+v", v)
	}
	// Half the nodes: still short of 60 %.
	shadowRun("s1", "check", "confirm", "handoff", "handed_off")
	shadowRun("s2", "check", "already_pending")
	// A live run and a run of another version do not count.
	noErr(t, st.RecordRun(ctx, store.Run{ID: "l1", Policy: "change-address", Version: 2, Path: []string{"collect", "verify", "submit"}, Outcome: "x"}))
	noErr(t, st.RecordRun(ctx, store.Run{ID: "o1", Policy: "change-address", Version: 1, Path: []string{"collect", "verify", "submit"}, Outcome: "x", Shadow: true}))
	v = must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if v.Coverage.Hit != 5 || v.Coverage.ShadowRuns != 2 || v.Allowed || !strings.Contains(v.Reasons[0], "5 of 10 nodes (50%)") {
		t.Fatalf("after half the nodes: %+v", v)
	}
	shadowRun("s3", "check", "confirm", "collect", "verify")
	v = must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if v.Coverage.Hit != 7 || len(v.Reasons) != 1 || !strings.Contains(v.Reasons[0], "in shadow for") {
		t.Fatalf("coverage met, time not: %+v", v)
	}
	if _, _, err := g.Promote(ctx, "change-address", 2); !errors.Is(err, ErrRefused) {
		t.Fatalf("Promote before 24 h = %v, want ErrRefused", err)
	}
	now = now.Add(24*time.Hour + time.Minute)
	v = must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if !v.Allowed || len(v.Reasons) != 0 || v.Shadow.ForS < 86400 {
		t.Fatalf("after 24 h: %+v", v)
	}

	// A failing saved case closes the gate.
	bad := store.TestCase{Policy: "change-address", Name: "wrong", Body: `{"message": {"text": "x", "contact": {"customer_id": "C-1"}}, "hydrations": {"customer": null}, "expect": {"outcome": "submitted_for_approval"}}`}
	noErr(t, st.PutTestCase(ctx, bad))
	v = must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if v.Allowed || v.Tests.Failed != 1 || v.Tests.Failures[0].Case != "wrong" {
		t.Fatalf("with a failing case: %+v", v)
	}
	noErr(t, st.DeleteTestCase(ctx, "change-address", "wrong"))

	// An edit is a change: shadow runs before it no longer count.
	time.Sleep(2 * time.Millisecond)
	must[store.PolicyVersion](t)(st.UpdateVersion(ctx, "change-address", 2, edited+"\n"))
	v = must[Verdict](t)(g.Check(ctx, "change-address", 2))
	if v.Allowed || v.Coverage.Hit != 0 {
		t.Fatalf("after an edit: %+v", v)
	}
	shadowRun("s4", "check", "confirm", "collect", "verify", "submit", "approval", "done")
	pv, v, err := g.Promote(ctx, "change-address", 2)
	if err != nil || pv.State != store.StateFinal || !v.Allowed {
		t.Fatalf("Promote = %+v, %+v, %v", pv, v, err)
	}
	// Configurable thresholds.
	strict := &Gate{Store: st, MinCoverage: 0.95, MinShadow: time.Hour, Clock: g.Clock}
	v3 := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", edited, "ana"))
	moveTo(t, st, "change-address", v3.Version, store.StateShadow)
	v = must[Verdict](t)(strict.Check(ctx, "change-address", v3.Version))
	if v.Coverage.Required != 0.95 || v.Shadow.RequiredS != 3600 {
		t.Fatalf("configured gate: %+v", v)
	}
	// A version not in Shadow is refused with that reason.
	v = must[Verdict](t)(g.Check(ctx, "change-address", 1))
	if v.Allowed || !strings.Contains(v.Reasons[0], "only a Shadow version") {
		t.Fatalf("gate of a Live version: %+v", v)
	}
}

func TestDeployAndRollback(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	body := repotest.ReadExample(t, "change-address.yaml")
	for range 3 {
		v := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", body, "ana"))
		moveTo(t, st, "change-address", v.Version, store.StateFinal)
	}
	if _, _, err := Rollback(ctx, st, "change-address", 0); !errors.Is(err, ErrNoRollback) {
		t.Fatalf("rollback without Live = %v", err)
	}
	if prev, err := Deploy(ctx, st, "change-address", 2); err != nil || prev != 0 {
		t.Fatalf("Deploy 2 = %d, %v", prev, err)
	}
	if prev, err := Deploy(ctx, st, "change-address", 3); err != nil || prev != 2 {
		t.Fatalf("Deploy 3 = %d, %v", prev, err)
	}
	live, prev, err := Rollback(ctx, st, "change-address", 0)
	if err != nil || live != 2 || prev != 3 {
		t.Fatalf("Rollback = %d, %d, %v; want 2, 3", live, prev, err)
	}
	if live, _, err = Rollback(ctx, st, "change-address", 1); err != nil || live != 1 {
		t.Fatalf("Rollback to 1 = %d, %v", live, err)
	}
	if _, _, err := Rollback(ctx, st, "change-address", 0); !errors.Is(err, ErrNoRollback) {
		t.Fatalf("rollback from the oldest = %v, want ErrNoRollback", err)
	}
	d := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", body, "ana"))
	if _, err := Deploy(ctx, st, "change-address", d.Version); !errors.Is(err, store.ErrTransition) {
		t.Fatalf("deploying a draft = %v, want ErrTransition", err)
	}
}

func TestImportDir(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	env := policy.Env{}
	got, err := ImportDir(ctx, st, examplesDir(t), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("imported %v, want the four example policies", got)
	}
	if again, err := ImportDir(ctx, st, examplesDir(t), env); err != nil || len(again) != 0 {
		t.Fatalf("second import = %v, %v; want nothing changed", again, err)
	}
	// A version deployed since (through the Studio) stays Live at the next start.
	v2 := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "card-lost", repotest.ReadExample(t, "card-lost.yaml")+"\n", "ana"))
	moveTo(t, st, "card-lost", v2.Version, store.StateLive)
	if again, err := ImportDir(ctx, st, examplesDir(t), env); err != nil || len(again) != 0 {
		t.Fatalf("import after a deploy = %v, %v; want nothing changed", again, err)
	}
	if l := must[store.PolicyVersion](t)(st.LiveVersion(ctx, "card-lost")); l.Version != 2 {
		t.Fatalf("card-lost Live version after a restart = %d, want 2", l.Version)
	}
	live := must[store.PolicyVersion](t)(st.LiveVersion(ctx, "change-address"))
	if live.Version != 1 || live.Author != DevActor {
		t.Fatalf("live version = %+v", live)
	}
	cases := must[[]store.TestCase](t)(st.TestCases(ctx, "change-address"))
	if len(cases) < 5 {
		t.Fatalf("imported %d test cases", len(cases))
	}
	entries := must[[]store.AuditEntry](t)(st.ListAudit(ctx, store.AuditFilter{Action: ActionDeployDevImport}))
	if len(entries) != 4 || entries[0].Actor != DevActor {
		t.Fatalf("audit = %+v", entries)
	}
	// Imported cases run and pass against the imported version.
	c := must[*policy.Compiled](t)(Compile(live, env))
	results := must[[]policytest.Result](t)(runCases(ctx, c, cases))
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("case %s: %v", r.Case, r.Failures)
		}
	}
}

func TestCatalog(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	body := repotest.ReadExample(t, "change-address.yaml")
	for i := range 3 {
		v := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", body, "ana"))
		moveTo(t, st, "change-address", v.Version, []store.State{store.StateLive, store.StateFinal, store.StateShadow}[i])
	}
	cat := must[*Catalog](t)(NewCatalog(ctx, st, policy.Env{}, policy.Env{}, nil))
	if c, ok := cat.ForIntent("change_address"); !ok || c.Policy.Version != 1 {
		t.Fatalf("ForIntent = %v, %v", c, ok)
	}
	if c, ok := cat.Shadow("change-address"); !ok || c.Policy.Version != 3 {
		t.Fatalf("Shadow = %v, %v", c, ok)
	}
	if _, ok := cat.Policy("change-address", 3); ok {
		t.Fatal("a Shadow version serves customers")
	}
	must[store.Experiment](t)(st.CreateExperiment(ctx, store.Experiment{Name: "all", Policy: "change-address", Enabled: true,
		Arms: []store.ExperimentArm{{Version: 2, From: 0, To: 100, Channels: []string{"webchat"}}}}))
	noErr(t, cat.Reload(ctx))
	live, _ := cat.ForIntent("change_address")
	msg := message.Message{Channel: "webchat", Contact: message.Contact{CustomerID: "C-1"}}
	if c, exp := cat.Choose(ctx, live, &msg); c.Policy.Version != 2 || exp != "all" {
		t.Fatalf("Choose on webchat = %d, %q", c.Policy.Version, exp)
	}
	msg.Channel = "email"
	if c, exp := cat.Choose(ctx, live, &msg); c.Policy.Version != 1 || exp != "all" {
		t.Fatalf("Choose by email = %d, %q", c.Policy.Version, exp)
	}
	if _, err := Deploy(ctx, st, "change-address", 2); err != nil {
		t.Fatal(err)
	}
	noErr(t, cat.Reload(ctx))
	if c, _ := cat.ForIntent("change_address"); c.Policy.Version != 2 {
		t.Fatalf("after deploy ForIntent = %d", c.Policy.Version)
	}
	// A run suspended under version 1 resumes with it.
	if c, ok := cat.Policy("change-address", 1); !ok || c.Policy.Version != 1 {
		t.Fatalf("Policy(1) = %v, %v", c, ok)
	}
	// A broken Live version keeps the previous snapshot serving.
	bad := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", "policy: change-address\nstart: nowhere\nnodes: {}\n", "ana"))
	moveTo(t, st, "change-address", bad.Version, store.StateLive)
	if err := cat.Reload(ctx); err == nil {
		t.Fatal("Reload of a broken Live version succeeded")
	}
	if c, _ := cat.ForIntent("change_address"); c.Policy.Version != 2 {
		t.Fatalf("after a failed reload ForIntent = %d", c.Policy.Version)
	}
}

func runCases(ctx context.Context, c *policy.Compiled, cases []store.TestCase) ([]policytest.Result, error) {
	return RunCases(ctx, c, cases, nil, nil)
}

// TestCatalogFollowsTheStore: a change made through one instance serves on another that only
// follows the shared store.
func TestCatalogFollowsTheStore(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := openStore(t)
	body := repotest.ReadExample(t, "change-address.yaml")
	for i := range 2 {
		v := must[store.PolicyVersion](t)(st.CreateVersion(ctx, "change-address", body, "ana"))
		moveTo(t, st, "change-address", v.Version, []store.State{store.StateLive, store.StateFinal}[i])
	}
	other := must[*Catalog](t)(NewCatalog(ctx, st, policy.Env{}, policy.Env{}, nil))
	go other.Follow(ctx, 10*time.Millisecond)
	if _, err := Deploy(ctx, st, "change-address", 2); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c, _ := other.ForIntent("change_address"); c.Policy.Version == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the following catalog still serves version 1")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

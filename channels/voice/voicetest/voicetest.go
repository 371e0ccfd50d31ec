// Package voicetest starts what the tests of voice and bot channels need: a real router on
// the example card-lost policy, with the local development stack (CRM and back office on one
// SQLite file) as a real plugin process, and a slow policy whose action sleeps as long as a
// test asks.
package voicetest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/internal/repotest"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/connectors/local"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Stack is a running router with its plugin and session store.
type Stack struct {
	Router   *router.Router
	Sessions session.Store
	// Handle is the router with the timeout middleware the gateway uses.
	Handle router.Handler
	// DB is the local stack's database: open it with local.Open to see cases.
	DB string
	// Sleep is how long the slow policy's test.Sleep action takes.
	Sleep time.Duration
	set   *policy.Set
}

// Intents lists the intents the stack's policies serve.
func (s *Stack) Intents() []string { return s.set.Intents() }

// Customer is a customer the local stack knows, with a phone number.
const Customer = "C-1001"

// Start builds the local plugin, starts it, and builds a router on card-lost and the slow
// policy. Everything stops when the test ends.
func Start(t testing.TB) *Stack {
	t.Helper()
	root := repotest.Root(t)
	dir := t.TempDir()
	bin := repotest.Build(t, dir, "./cmd/frontdesk-local")
	s := &Stack{Sessions: session.NewMemory(), DB: filepath.Join(dir, "local.db")}
	env := map[string]string{local.EnvDB: s.DB}
	host, err := plugins.Start(context.Background(), []plugins.Config{
		{Name: "crm", Command: bin, Env: env}, {Name: "backoffice", Command: bin, Env: env},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = host.Close() })
	crm, _ := host.CRM("crm")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	actions := host.Actions().Merge(policy.Actions{"test.Sleep": s.sleep})
	set, err := policy.LoadFiles([]string{
		filepath.Join(root, "examples", "policies", "card-lost.yaml"),
		filepath.Join(root, "channels", "voice", "voicetest", "testdata", "slow.yaml"),
	}, policy.Env{Sources: host.Sources(), Actions: router.BuiltinActions(log).Merge(actions), Executors: policy.ExecutorMap{}})
	if err != nil {
		t.Fatal(err)
	}
	s.set = set
	routing, err := router.NewRouting("general-support", map[string][]string{"cards": {"card_not_arrived"}})
	if err != nil {
		t.Fatal(err)
	}
	s.Router, err = router.New(router.Config{
		Sessions: s.Sessions, Policies: set, Routing: routing, CRM: crm, Actions: actions, Logger: log,
		Classifier: intent.Keywords{"card_lost_stolen": {"lost my card", "stolen"}, "slow_test": {"slow"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Handle = router.Chain(s.Router.Handle, router.Timeout(10*time.Second))
	return s
}

// sleep waits for Stack.Sleep, or fails when the turn's deadline comes first.
func (s *Stack) sleep(ctx context.Context, _ policy.ActionCall) (policy.ActionResult, error) {
	select {
	case <-time.After(s.Sleep):
		return policy.ActionResult{}, nil
	case <-ctx.Done():
		return policy.ActionResult{}, ctx.Err()
	}
}

// Case returns the local CRM's case of a conversation and its decision log, notes joined.
func (s *Stack) Case(t testing.TB, conversationID string) (plugin.Case, string) {
	t.Helper()
	st, err := local.Open(s.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cases, err := st.Cases(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.ExternalID != "frontdesk:"+conversationID {
			continue
		}
		notes, err := st.Notes(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		bodies := make([]string, len(notes))
		for i, n := range notes {
			bodies[i] = n.Body
		}
		return c, strings.Join(bodies, "\n")
	}
	t.Fatalf("no case for conversation %s", conversationID)
	return plugin.Case{}, ""
}

// Timings records the duration of each operation of a benchmark and reports the median and
// the 99th percentile, which b.N-averaged ns/op hides.
type Timings struct {
	d []time.Duration
}

// Time runs op and records how long it took.
func (ts *Timings) Time(op func()) {
	start := time.Now()
	op()
	ts.d = append(ts.d, time.Since(start))
}

// Report adds p50-ns/op and p99-ns/op to the benchmark's results.
func (ts *Timings) Report(b *testing.B) {
	if len(ts.d) == 0 {
		return
	}
	slices.Sort(ts.d)
	at := func(q float64) float64 { return float64(ts.d[int(q*float64(len(ts.d)-1))].Nanoseconds()) }
	b.ReportMetric(at(0.50), "p50-ns/op")
	b.ReportMetric(at(0.99), "p99-ns/op")
}

// BenchTurns runs b.N requests through handle without the network, timing each: prepare
// fills the request of turn i and returns a string the answer must contain. It reports the
// median and 99th percentile with the usual figures.
func BenchTurns(b *testing.B, handle fasthttp.RequestHandler, prepare func(i int, req *fasthttp.Request) (want string)) {
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	var ts Timings
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req.Reset()
		req.Header.SetMethod("POST")
		want := prepare(i, &req)
		ctx.Init(&req, nil, nil)
		ts.Time(func() { handle(&ctx) })
		if out := string(ctx.Response.Body()); !strings.Contains(out, want) {
			b.Fatalf("turn %d: want %q in %s", i, want, out)
		}
	}
	b.StopTimer()
	ts.Report(b)
}

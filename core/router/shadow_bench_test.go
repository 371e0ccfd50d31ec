package router

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/shadow"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// BenchmarkRouterHandleShadow is BenchmarkRouterHandle without and with a Shadow version of
// the policy: the shadow runs (walked to the end, recorded in a SQLite store) go to a worker
// beside the live path, and p50-ns is the live turn's median, which they must not raise by
// more than 5%.
func BenchmarkRouterHandleShadow(b *testing.B) {
	for _, withShadow := range []bool{false, true} {
		name := "live"
		if withShadow {
			name = "shadow"
		}
		b.Run(name, func(b *testing.B) {
			f := newFixture(b)
			r := f.router
			if withShadow {
				r = shadowed(b, f.router)
			}
			ctx := context.Background()
			took := make([]time.Duration, 0, 1<<16)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				m := message.Message{Channel: "api", ConversationID: fmt.Sprint("b", i), Contact: message.Contact{CustomerID: "C-1001"}, Intent: "card_lost_stolen"}
				start := time.Now()
				if _, err := r.Handle(ctx, m); err != nil {
					b.Fatal(err)
				}
				m.Intent, m.Input = "", map[string]any{"choice": "stolen"}
				if _, err := r.Handle(ctx, m); err != nil {
					b.Fatal(err)
				}
				if len(took) < cap(took) {
					took = append(took, time.Since(start))
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
		})
	}
}

// shadowed returns a router like r whose card-lost policy has a Shadow version.
func shadowed(b *testing.B, r *Router) *Router {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	set, err := policy.LoadDir(examplesDir(b), policy.Env{Sources: shadow.Replaying([]string{"backoffice"})})
	if err != nil {
		b.Fatal(err)
	}
	runner := shadow.New(shadow.Config{
		Versions: func(name string) (*policy.Compiled, bool) { return set.Policy(name, 0) },
		Library:  set, Actions: r.Actions(), Pure: BuiltinActions(r.log), Runs: st,
	})
	b.Cleanup(func() { runner.Close() })
	cfg := r.cfg
	cfg.Shadow = runner
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		done, dropped := runner.Stats()
		b.Logf("shadow runs: %d done, %d dropped for a full queue", done, dropped)
	})
	return s
}

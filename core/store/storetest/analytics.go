package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/store"
)

var auditTests = []test{
	{"AppendList", testAuditAppendList},
	{"Filters", testAuditFilters},
}

func testAuditAppendList(t *testing.T, s store.Store) {
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		id := must(s.AppendAudit(ctx, store.AuditEntry{Actor: "ana", Action: "policy.create", Subject: fmt.Sprintf("p@%d", i), Details: `{"n":1}`}))(t)
		ids = append(ids, id)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("audit ids do not grow: %v", ids)
		}
	}
	got := must(s.ListAudit(ctx, store.AuditFilter{}))(t)
	if len(got) != 5 || got[0].ID != ids[4] || got[4].ID != ids[0] {
		t.Fatalf("ListAudit is not newest first: %+v", got)
	}
	if e := got[0]; e.Actor != "ana" || e.Action != "policy.create" || e.Subject != "p@4" || e.Details != `{"n":1}` || e.At.IsZero() {
		t.Fatalf("entry read back = %+v", e)
	}
	page := must(s.ListAudit(ctx, store.AuditFilter{Limit: 2}))(t)
	next := must(s.ListAudit(ctx, store.AuditFilter{Limit: 2, BeforeID: page[1].ID}))(t)
	if len(page) != 2 || len(next) != 2 || next[0].ID != ids[2] {
		t.Fatalf("paging: %+v then %+v", page, next)
	}
	if _, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "ana"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("entry with no action = %v, want ErrInvalid", err)
	}
	if _, err := s.ListAudit(ctx, store.AuditFilter{Limit: -1}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("negative limit = %v, want ErrInvalid", err)
	}
}

func testAuditFilters(t *testing.T, s store.Store) {
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, e := range []store.AuditEntry{
		{Actor: "ana", Action: "policy.create", Subject: "refund@1"},
		{Actor: "ben", Action: "policy.set_state", Subject: "refund@1"},
		{Actor: "ana", Action: "policy.set_state", Subject: "change-address@2"},
		{Actor: "frontdesk", Action: "case.decision", Subject: "case-77"},
	} {
		e.At = base.Add(time.Duration(i) * time.Hour)
		must(s.AppendAudit(ctx, e))(t)
	}
	count := func(f store.AuditFilter) int {
		t.Helper()
		return len(must(s.ListAudit(ctx, f))(t))
	}
	cases := []struct {
		name string
		f    store.AuditFilter
		want int
	}{
		{"actor", store.AuditFilter{Actor: "ana"}, 2},
		{"action", store.AuditFilter{Action: "policy.set_state"}, 2},
		{"subject", store.AuditFilter{Subject: "refund@1"}, 2},
		{"actor and action", store.AuditFilter{Actor: "ana", Action: "policy.set_state"}, 1},
		{"since", store.AuditFilter{Since: base.Add(time.Hour)}, 3},
		{"until", store.AuditFilter{Until: base.Add(time.Hour)}, 1},
		{"window", store.AuditFilter{Since: base.Add(time.Hour), Until: base.Add(3 * time.Hour)}, 2},
		{"nothing", store.AuditFilter{Actor: "nobody"}, 0},
	}
	for _, c := range cases {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d entries, want %d", c.name, got, c.want)
		}
	}
	first := must(s.ListAudit(ctx, store.AuditFilter{Subject: "case-77"}))(t)
	if len(first) != 1 || !first[0].At.Equal(base.Add(3*time.Hour)) {
		t.Fatalf("time read back: %+v", first)
	}
}

var runTests = []test{
	{"NodeHits", testNodeHits},
	{"OutcomeCounts", testOutcomeCounts},
	{"Idempotent", testRunIdempotent},
	{"ConcurrentWriters", testRunsConcurrentWriters},
}

// testRunsConcurrentWriters records the same runs from many writers at once, as instances
// retrying after a crash do: each run counts once.
func testRunsConcurrentWriters(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers, runs = 6, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range runs {
				r := store.Run{ID: fmt.Sprintf("run-%d", (i+w)%runs), Policy: "p", Version: 1, Path: []string{"a", "b"}, Outcome: "done"}
				if err := s.RecordRun(ctx, r); err != nil {
					t.Errorf("RecordRun: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got := must(s.OutcomeCounts(ctx, "p", store.RunFilter{}))(t)
	if len(got) != 1 || got[0].Runs != runs {
		t.Fatalf("OutcomeCounts = %+v, want %d runs", got, runs)
	}
	if hits := must(s.NodeHits(ctx, "p", store.RunFilter{}))(t); hits["a"] != runs || hits["b"] != runs {
		t.Fatalf("NodeHits = %v, want %d each", hits, runs)
	}
}

func score(n int) *int { return &n }

func recordRuns(t *testing.T, s store.Store) time.Time {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	runs := []store.Run{
		{ID: "r1", Version: 1, Path: []string{"check", "confirm", "done"}, Outcome: "submitted", CSAT: score(5), Latency: 20 * time.Millisecond},
		{ID: "r2", Version: 1, Path: []string{"check", "confirm", "confirm", "done"}, Outcome: "submitted", CSAT: score(3), Latency: 40 * time.Millisecond},
		{ID: "r3", Version: 1, Path: []string{"check", "handoff"}, Outcome: "handoff", HandedOff: true, Latency: 10 * time.Millisecond},
		{ID: "r4", Version: 2, Path: []string{"check", "handoff"}, Outcome: "handoff", HandedOff: true, Shadow: true, Latency: 30 * time.Millisecond},
		{ID: "r5", Version: 2, Path: []string{"check", "confirm", "done"}, Outcome: "submitted", Shadow: true, Experiment: "exp-a", Latency: 50 * time.Millisecond},
	}
	for i, r := range runs {
		r.Policy, r.Channel, r.StartedAt = "change-address", "webchat", base.Add(time.Duration(i)*time.Minute)
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordRun(ctx, store.Run{ID: "x1", Policy: "other", Version: 1, Path: []string{"check"}, Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	return base
}

func testNodeHits(t *testing.T, s store.Store) {
	ctx := context.Background()
	base := recordRuns(t, s)
	shadow, real := true, false
	cases := []struct {
		name string
		f    store.RunFilter
		want map[string]int64
	}{
		{"all", store.RunFilter{}, map[string]int64{"check": 5, "confirm": 3, "done": 3, "handoff": 2}},
		{"version 1", store.RunFilter{Version: 1}, map[string]int64{"check": 3, "confirm": 2, "done": 2, "handoff": 1}},
		{"shadow", store.RunFilter{Shadow: &shadow}, map[string]int64{"check": 2, "confirm": 1, "done": 1, "handoff": 1}},
		{"real", store.RunFilter{Shadow: &real}, map[string]int64{"check": 3, "confirm": 2, "done": 2, "handoff": 1}},
		{"experiment", store.RunFilter{Experiment: "exp-a"}, map[string]int64{"check": 1, "confirm": 1, "done": 1}},
		{"since", store.RunFilter{Since: base.Add(3 * time.Minute)}, map[string]int64{"check": 2, "confirm": 1, "done": 1, "handoff": 1}},
		{"until", store.RunFilter{Until: base.Add(time.Minute)}, map[string]int64{"check": 1, "confirm": 1, "done": 1}},
	}
	for _, c := range cases {
		got := must(s.NodeHits(ctx, "change-address", c.f))(t)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: NodeHits = %v, want %v", c.name, got, c.want)
		}
	}
	if got := must(s.NodeHits(ctx, "none", store.RunFilter{}))(t); len(got) != 0 {
		t.Errorf("NodeHits of a policy with no runs = %v", got)
	}
}

func testOutcomeCounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	recordRuns(t, s)
	if err := s.SetCSAT(ctx, "r3", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCSAT(ctx, "missing", 4); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetCSAT of a missing run = %v, want ErrNotFound", err)
	}
	got := must(s.OutcomeCounts(ctx, "change-address", store.RunFilter{}))(t)
	want := []store.OutcomeCount{
		{Version: 1, Outcome: "handoff", HandedOff: true, Runs: 1, CSATRuns: 1, CSATMean: 1, LatencyMean: 10 * time.Millisecond},
		{Version: 1, Outcome: "submitted", Runs: 2, CSATRuns: 2, CSATMean: 4, LatencyMean: 30 * time.Millisecond},
		{Version: 2, Outcome: "handoff", HandedOff: true, Runs: 1, LatencyMean: 30 * time.Millisecond},
		{Version: 2, Outcome: "submitted", Runs: 1, LatencyMean: 50 * time.Millisecond},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("OutcomeCounts =\n%+v\nwant\n%+v", got, want)
	}
	v2 := must(s.OutcomeCounts(ctx, "change-address", store.RunFilter{Version: 2}))(t)
	if len(v2) != 2 {
		t.Fatalf("OutcomeCounts(version 2) = %+v", v2)
	}
}

func testRunIdempotent(t *testing.T, s store.Store) {
	ctx := context.Background()
	r := store.Run{ID: "r1", Policy: "p", Version: 1, Path: []string{"a", "b"}, Outcome: "done"}
	for range 3 {
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	r.Outcome = "changed"
	if err := s.RecordRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	got := must(s.OutcomeCounts(ctx, "p", store.RunFilter{}))(t)
	if len(got) != 1 || got[0].Runs != 1 || got[0].Outcome != "done" {
		t.Fatalf("a run recorded several times counts as %+v", got)
	}
	if hits := must(s.NodeHits(ctx, "p", store.RunFilter{}))(t); hits["a"] != 1 {
		t.Fatalf("NodeHits after retries = %v", hits)
	}
	if err := s.RecordRun(ctx, store.Run{Policy: "p"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("a run with no id = %v, want ErrInvalid", err)
	}
}

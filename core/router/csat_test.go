package router

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// withRuns gives the fixture's router a real SQLite run store.
func (f *fixture) withRuns(t *testing.T) *store.SQLStore {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.router.cfg.Runs = st
	return st
}

// finishChangeOfAddress walks the change-address policy to its end, which asks for CSAT.
func (f *fixture) finishChangeOfAddress(t *testing.T, conv string) {
	t.Helper()
	for _, m := range []message.Message{
		{Intent: "change_address"},
		{Input: map[string]any{"choice": "yes"}},
		{Input: map[string]any{"street": "Torstrasse 1", "city": "Berlin", "postcode": "10119"}},
		{Input: map[string]any{"code": "123456"}},
	} {
		m.Channel, m.ConversationID, m.Contact = "inapp", conv, message.Contact{CustomerID: "C-1001"}
		r, err := f.router.Handle(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		if m.Input["code"] != nil && (r[len(r)-1].End == nil || !r[len(r)-1].End.CSAT) {
			t.Fatalf("the run did not end asking for CSAT: %+v", r)
		}
	}
}

func TestSubmitCSATRecordsTheScoreOnce(t *testing.T) {
	f := newFixture(t)
	st := f.withRuns(t)
	ctx := context.Background()
	f.finishChangeOfAddress(t, "csat-1")

	if err := f.router.SubmitCSAT(ctx, "csat-1", 4); err != nil {
		t.Fatal(err)
	}
	counts, err := st.OutcomeCounts(ctx, "change-address", store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].CSATRuns != 1 || counts[0].CSATMean != 4 {
		t.Fatalf("outcome counts %+v, want one run scored 4", counts)
	}
	if err := f.router.SubmitCSAT(ctx, "csat-1", 5); !errors.Is(err, ErrNoCSAT) {
		t.Fatalf("second score: got %v, want ErrNoCSAT", err)
	}
}

func TestSubmitCSATRejects(t *testing.T) {
	f := newFixture(t)
	f.withRuns(t)
	ctx := context.Background()
	// A run that still waits for the customer has no score to take.
	if _, err := f.router.Handle(ctx, message.Message{Channel: "inapp", ConversationID: "open", Intent: "change_address",
		Contact: message.Contact{CustomerID: "C-1001"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		conv  string
		score int
		want  error
	}{
		{"open", 0, ErrBadMessage},
		{"open", 6, ErrBadMessage},
		{"", 3, ErrBadMessage},
		{"open", 3, ErrNoCSAT},
		{"never-seen", 3, ErrNoCSAT},
	} {
		if err := f.router.SubmitCSAT(ctx, tc.conv, tc.score); !errors.Is(err, tc.want) {
			t.Errorf("SubmitCSAT(%q, %d) = %v, want %v", tc.conv, tc.score, err, tc.want)
		}
	}
}

func TestSubmitCSATWithoutRunStore(t *testing.T) {
	f := newFixture(t)
	f.finishChangeOfAddress(t, "no-store")
	if err := f.router.SubmitCSAT(context.Background(), "no-store", 5); !errors.Is(err, ErrNoCSAT) {
		t.Fatalf("got %v, want ErrNoCSAT: nothing can keep the score", err)
	}
}

func TestConcurrentCSATSubmissionsRecordOne(t *testing.T) {
	f := newFixture(t)
	f.withRuns(t)
	f.finishChangeOfAddress(t, "race")
	var wg sync.WaitGroup
	results := make(chan error, 4)
	for i := 1; i <= 4; i++ {
		wg.Add(1)
		go func(score int) {
			defer wg.Done()
			results <- f.router.SubmitCSAT(context.Background(), "race", score)
		}(i)
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrNoCSAT) && !errors.Is(err, ErrBusy):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d submissions recorded, want exactly 1", ok)
	}
}

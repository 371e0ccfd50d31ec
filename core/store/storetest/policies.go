package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
)

var policyTests = []test{
	{"CreateAndRead", testCreateAndRead},
	{"Lifecycle", testPolicyLifecycle},
	{"FinalAndLiveAreImmutable", testImmutable},
	{"OneLive", testOneLive},
	{"DeleteDraft", testDeleteDraft},
	{"ListPolicies", testListPolicies},
	{"NotFoundAndInvalid", testPolicyNotFound},
	{"ConcurrentCreate", testConcurrentCreate},
	{"ConcurrentGoLive", testConcurrentGoLive},
}

func testCreateAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	v1 := must(s.CreateVersion(ctx, "refund", "policy: refund\n", "ana"))(t)
	v2 := must(s.CreateVersion(ctx, "refund", "policy: refund # v2\n", "ben"))(t)
	if v1.Version != 1 || v2.Version != 2 || v1.State != store.StateDraft {
		t.Fatalf("created versions %d (%s) and %d, want 1 (draft) and 2", v1.Version, v1.State, v2.Version)
	}
	got := must(s.Version(ctx, "refund", 1))(t)
	if got.Body != "policy: refund\n" || got.Author != "ana" || !got.CreatedAt.Equal(v1.CreatedAt) || got.CreatedAt.IsZero() {
		t.Fatalf("Version(refund, 1) = %+v, want %+v", got, v1)
	}
	other := must(s.CreateVersion(ctx, "change-address", "x", "ana"))(t)
	if other.Version != 1 {
		t.Fatalf("versions are numbered per policy: got %d, want 1", other.Version)
	}
	all := must(s.Versions(ctx, "refund"))(t)
	if len(all) != 2 || all[0].Version != 1 || all[1].Version != 2 {
		t.Fatalf("Versions(refund) = %+v", all)
	}
}

func testPolicyLifecycle(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(s.CreateVersion(ctx, "p", "v1", "ana"))(t)
	if _, err := s.SetState(ctx, "p", 1, store.StateFinal); !errors.Is(err, store.ErrTransition) {
		t.Fatalf("draft -> final = %v, want ErrTransition", err)
	}
	if _, err := s.SetState(ctx, "p", 1, store.StateLive); !errors.Is(err, store.ErrTransition) {
		t.Fatalf("draft -> live = %v, want ErrTransition", err)
	}
	sh := must(s.SetState(ctx, "p", 1, store.StateShadow))(t)
	if sh.State != store.StateShadow {
		t.Fatalf("state after -> shadow = %s", sh.State)
	}
	// Shadow versions may still change; a change is what restarts shadow statistics.
	up := must(s.UpdateVersion(ctx, "p", 1, "v1 edited"))(t)
	if up.Body != "v1 edited" || up.State != store.StateShadow || up.UpdatedAt.Before(up.CreatedAt) {
		t.Fatalf("UpdateVersion in shadow = %+v", up)
	}
	must(s.SetState(ctx, "p", 1, store.StateDraft))(t)
	must(s.SetState(ctx, "p", 1, store.StateShadow))(t)
	must(s.SetState(ctx, "p", 1, store.StateFinal))(t)
	if _, err := s.SetState(ctx, "p", 1, store.StateShadow); !errors.Is(err, store.ErrTransition) {
		t.Fatalf("final -> shadow = %v, want ErrTransition", err)
	}
	live := must(s.SetState(ctx, "p", 1, store.StateLive))(t)
	if live.State != store.StateLive {
		t.Fatalf("state after -> live = %s", live.State)
	}
	got := must(s.LiveVersion(ctx, "p"))(t)
	if got.Version != 1 || got.Body != "v1 edited" || got.StateChangedAt.IsZero() {
		t.Fatalf("LiveVersion = %+v", got)
	}
	// Setting the state a version already has changes nothing.
	if v, err := s.SetState(ctx, "p", 1, store.StateLive); err != nil || v.State != store.StateLive {
		t.Fatalf("live -> live = %+v, %v", v, err)
	}
	if _, err := s.SetState(ctx, "p", 1, store.State("published")); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("unknown state = %v, want ErrInvalid", err)
	}
}

func testImmutable(t *testing.T, s store.Store) {
	ctx := context.Background()
	makeFinal(t, s, "p", "body")
	if _, err := s.UpdateVersion(ctx, "p", 1, "changed"); !errors.Is(err, store.ErrImmutable) {
		t.Fatalf("editing a final version = %v, want ErrImmutable", err)
	}
	must(s.SetState(ctx, "p", 1, store.StateLive))(t)
	if _, err := s.UpdateVersion(ctx, "p", 1, "changed"); !errors.Is(err, store.ErrImmutable) {
		t.Fatalf("editing a live version = %v, want ErrImmutable", err)
	}
	if err := s.DeleteVersion(ctx, "p", 1); !errors.Is(err, store.ErrImmutable) {
		t.Fatalf("deleting a live version = %v, want ErrImmutable", err)
	}
	if got := must(s.Version(ctx, "p", 1))(t); got.Body != "body" {
		t.Fatalf("an immutable version changed: %q", got.Body)
	}
}

func testOneLive(t *testing.T, s store.Store) {
	ctx := context.Background()
	makeFinal(t, s, "p", "one")
	makeFinal(t, s, "p", "two")
	must(s.SetState(ctx, "p", 1, store.StateLive))(t)
	must(s.SetState(ctx, "p", 2, store.StateLive))(t)
	if v := must(s.LiveVersion(ctx, "p"))(t); v.Version != 2 {
		t.Fatalf("live version = %d, want 2", v.Version)
	}
	if v := must(s.Version(ctx, "p", 1))(t); v.State != store.StateFinal {
		t.Fatalf("the replaced live version is %s, want final", v.State)
	}
	// Retiring the live version leaves the policy with none.
	must(s.SetState(ctx, "p", 2, store.StateFinal))(t)
	if _, err := s.LiveVersion(ctx, "p"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LiveVersion after retiring = %v, want ErrNotFound", err)
	}
}

func testDeleteDraft(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(s.CreateVersion(ctx, "p", "one", "ana"))(t)
	must(s.CreateVersion(ctx, "p", "two", "ana"))(t)
	must(s.SetState(ctx, "p", 1, store.StateShadow))(t)
	if err := s.DeleteVersion(ctx, "p", 1); !errors.Is(err, store.ErrImmutable) {
		t.Fatalf("deleting a shadow version = %v, want ErrImmutable", err)
	}
	if err := s.DeleteVersion(ctx, "p", 2); err != nil {
		t.Fatalf("deleting a draft: %v", err)
	}
	if _, err := s.Version(ctx, "p", 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Version after delete = %v, want ErrNotFound", err)
	}
	// Numbers are never used twice: audit entries may name the deleted one.
	if v := must(s.CreateVersion(ctx, "p", "three", "ana"))(t); v.Version != 3 {
		t.Fatalf("version after deleting 2 = %d, want 3", v.Version)
	}
	if err := s.DeleteVersion(ctx, "p", 9); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting a missing version = %v, want ErrNotFound", err)
	}
}

func testListPolicies(t *testing.T, s store.Store) {
	ctx := context.Background()
	if ps := must(s.ListPolicies(ctx))(t); len(ps) != 0 {
		t.Fatalf("ListPolicies on an empty store = %+v", ps)
	}
	makeFinal(t, s, "refund", "r1")
	must(s.SetState(ctx, "refund", 1, store.StateLive))(t)
	must(s.CreateVersion(ctx, "refund", "r2", "ana"))(t)
	must(s.CreateVersion(ctx, "change-address", "c1", "ana"))(t)
	got := must(s.ListPolicies(ctx))(t)
	want := []store.PolicySummary{
		{Name: "change-address", Latest: 1, LatestState: store.StateDraft, Live: 0},
		{Name: "refund", Latest: 2, LatestState: store.StateDraft, Live: 1},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ListPolicies = %+v, want %+v", got, want)
	}
}

func testPolicyNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Version(ctx, "nope", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Version of a missing policy = %v", err)
	}
	if _, err := s.LiveVersion(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LiveVersion of a missing policy = %v", err)
	}
	if _, err := s.SetState(ctx, "nope", 1, store.StateShadow); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetState of a missing policy = %v", err)
	}
	if _, err := s.UpdateVersion(ctx, "nope", 1, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateVersion of a missing policy = %v", err)
	}
	must(s.CreateVersion(ctx, "p", "x", "ana"))(t)
	if _, err := s.SetState(ctx, "p", 2, store.StateShadow); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetState of a missing version = %v", err)
	}
	if _, err := s.CreateVersion(ctx, "", "x", "ana"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("CreateVersion with no name = %v, want ErrInvalid", err)
	}
	if vs := must(s.Versions(ctx, "nope"))(t); len(vs) != 0 {
		t.Errorf("Versions of a missing policy = %+v", vs)
	}
}

func testConcurrentCreate(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 12
	got := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.CreateVersion(ctx, "p", fmt.Sprintf("body %d", i), "ana")
			if err != nil {
				t.Errorf("CreateVersion: %v", err)
				return
			}
			got <- v.Version
		}()
	}
	wg.Wait()
	close(got)
	seen := map[int]bool{}
	for v := range got {
		if seen[v] || v < 1 || v > n {
			t.Fatalf("version %d handed out twice or out of range", v)
		}
		seen[v] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct versions, want %d", len(seen), n)
	}
}

func testConcurrentGoLive(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 6
	for i := range n {
		makeFinal(t, s, "p", fmt.Sprint(i))
	}
	var wg sync.WaitGroup
	for v := 1; v <= n; v++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.SetState(ctx, "p", v, store.StateLive); err != nil {
				t.Errorf("SetState(%d, live): %v", v, err)
			}
		}()
	}
	wg.Wait()
	live := 0
	for _, v := range must(s.Versions(ctx, "p"))(t) {
		if v.State == store.StateLive {
			live++
		}
	}
	if live != 1 {
		t.Fatalf("%d live versions after concurrent promotions, want 1", live)
	}
}

// makeFinal creates a version and takes it through shadow to final.
func makeFinal(t *testing.T, s store.Store, policy, body string) store.PolicyVersion {
	t.Helper()
	ctx := context.Background()
	v := must(s.CreateVersion(ctx, policy, body, "ana"))(t)
	must(s.SetState(ctx, policy, v.Version, store.StateShadow))(t)
	return must(s.SetState(ctx, policy, v.Version, store.StateFinal))(t)
}

// must fails the test on err and returns the value otherwise: must(f(...))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

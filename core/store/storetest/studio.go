package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
)

var studioTests = []test{
	{"PolicyInfo", testPolicyInfo},
	{"Experiments", testExperiments},
	{"OneEnabledExperiment", testOneEnabledExperiment},
	{"PathCounts", testPathCounts},
}

func testPolicyInfo(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.PolicyInfo(ctx, "change-address"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("PolicyInfo of an unknown policy = %v, want ErrNotFound", err)
	}
	in := store.PolicyInfo{Name: "change-address", Title: "Change of address", Description: "moves", Category: "account", Country: "DE"}
	if err := s.PutPolicyInfo(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.Channel, in.Title = "webchat", "Address change"
	if err := s.PutPolicyInfo(ctx, in); err != nil {
		t.Fatal(err)
	}
	got := must(s.PolicyInfo(ctx, "change-address"))(t)
	if got.Title != "Address change" || got.Channel != "webchat" || got.Country != "DE" || got.UpdatedAt.IsZero() {
		t.Fatalf("PolicyInfo read back = %+v", got)
	}
	if err := s.PutPolicyInfo(ctx, store.PolicyInfo{Name: "card-lost"}); err != nil {
		t.Fatal(err)
	}
	list := must(s.ListPolicyInfos(ctx))(t)
	if len(list) != 2 || list[0].Name != "card-lost" || list[1].Name != "change-address" {
		t.Fatalf("ListPolicyInfos = %+v", list)
	}
	if err := s.PutPolicyInfo(ctx, store.PolicyInfo{}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("PutPolicyInfo without a name = %v, want ErrInvalid", err)
	}
}

func testExperiments(t *testing.T, s store.Store) {
	ctx := context.Background()
	arms := []store.ExperimentArm{{Version: 3, From: 0, To: 50, Countries: []string{"DE"}, Channels: []string{"webchat"}}, {Version: 4, From: 50, To: 100}}
	e := must(s.CreateExperiment(ctx, store.Experiment{Name: "wording", Policy: "change-address", Arms: arms, CreatedBy: "ana"}))(t)
	if e.CreatedAt.IsZero() || e.Enabled {
		t.Fatalf("created experiment = %+v", e)
	}
	if _, err := s.CreateExperiment(ctx, store.Experiment{Name: "wording", Policy: "other"}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("second experiment of one name = %v, want ErrExists", err)
	}
	got := must(s.Experiment(ctx, "wording"))(t)
	if !reflect.DeepEqual(got.Arms, arms) || got.Policy != "change-address" || got.CreatedBy != "ana" {
		t.Fatalf("experiment read back = %+v", got)
	}
	on := must(s.SetExperimentEnabled(ctx, "wording", true))(t)
	if !on.Enabled {
		t.Fatalf("enabled experiment = %+v", on)
	}
	must(s.CreateExperiment(ctx, store.Experiment{Name: "card", Policy: "card-lost"}))(t)
	if l := must(s.ListExperiments(ctx, "change-address"))(t); len(l) != 1 || l[0].Name != "wording" || !l[0].Enabled {
		t.Fatalf("ListExperiments(change-address) = %+v", l)
	}
	if l := must(s.ListExperiments(ctx, ""))(t); len(l) != 2 || l[0].Name != "card" {
		t.Fatalf("ListExperiments() = %+v", l)
	}
	if _, err := s.Experiment(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown experiment = %v, want ErrNotFound", err)
	}
	if _, err := s.SetExperimentEnabled(ctx, "nope", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("enabling an unknown experiment = %v, want ErrNotFound", err)
	}
}

func testOneEnabledExperiment(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		must(s.CreateExperiment(ctx, store.Experiment{Name: name, Policy: "change-address"}))(t)
	}
	must(s.SetExperimentEnabled(ctx, "a", true))(t)
	if _, err := s.SetExperimentEnabled(ctx, "b", true); !errors.Is(err, store.ErrExists) {
		t.Fatalf("enabling a second experiment of a policy = %v, want ErrExists", err)
	}
	must(s.SetExperimentEnabled(ctx, "a", false))(t)
	if b := must(s.SetExperimentEnabled(ctx, "b", true))(t); !b.Enabled {
		t.Fatalf("b after a was disabled = %+v", b)
	}
}

func testPathCounts(t *testing.T, s store.Store) {
	recordRuns(t, s)
	ctx := context.Background()
	got := must(s.PathCounts(ctx, "change-address", store.RunFilter{}))(t)
	want := []store.PathCount{
		{Version: 1, Path: []string{"check", "confirm", "confirm", "done"}, Runs: 1, CSATRuns: 1, CSATMean: 3},
		{Version: 1, Path: []string{"check", "confirm", "done"}, Runs: 1, CSATRuns: 1, CSATMean: 5},
		{Version: 1, Path: []string{"check", "handoff"}, Runs: 1},
		{Version: 2, Path: []string{"check", "confirm", "done"}, Runs: 1},
		{Version: 2, Path: []string{"check", "handoff"}, Runs: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("PathCounts =\n%+v\nwant\n%+v", got, want)
	}
	shadow := true
	got = must(s.PathCounts(ctx, "change-address", store.RunFilter{Shadow: &shadow, Experiment: "exp-a"}))(t)
	if len(got) != 1 || got[0].Version != 2 || got[0].Runs != 1 {
		t.Fatalf("PathCounts of shadow runs of exp-a = %+v", got)
	}
}

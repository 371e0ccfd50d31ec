package analytics

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/store"
)

func score(n int) *int { return &n }

func TestBuild(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done := []string{"check", "confirm", "collect", "verify", "submit", "approval", "done"}
	handoff := []string{"check", "confirm", "handoff", "handed_off"}
	for _, r := range []store.Run{
		{ID: "1", Version: 2, Path: done, Outcome: "submitted_for_approval", CSAT: score(5), Latency: 10 * time.Millisecond},
		{ID: "2", Version: 2, Path: done, Outcome: "submitted_for_approval", CSAT: score(3), Latency: 30 * time.Millisecond},
		{ID: "3", Version: 2, Path: done, Outcome: "submitted_for_approval", Latency: 20 * time.Millisecond},
		{ID: "4", Version: 2, Path: handoff, Outcome: "handed_off", HandedOff: true, Latency: 40 * time.Millisecond},
		{ID: "5", Version: 3, Path: handoff, Outcome: "handed_off", HandedOff: true, Shadow: true, Latency: time.Millisecond},
	} {
		r.Policy, r.Channel = "change-address", "webchat"
		if err := st.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Build(ctx, st, "change-address", store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Versions) != 2 {
		t.Fatalf("versions = %+v", rep.Versions)
	}
	v := rep.Versions[0]
	if v.Version != 2 || v.Shadow || v.Runs != 4 || v.Automated != 3 || v.HandedOff != 1 || v.AutomationRate != 0.75 {
		t.Fatalf("version 2 = %+v", v)
	}
	if v.LatencyMeanS < 0.0249 || v.LatencyMeanS > 0.0251 {
		t.Fatalf("latency mean = %v, want 0.025", v.LatencyMeanS)
	}
	if v.NodeHits["check"] != 4 || v.NodeHits["submit"] != 3 || v.NodeHits["handoff"] != 1 {
		t.Fatalf("node hits = %v", v.NodeHits)
	}
	if len(v.Paths) != 2 || v.Paths[0].Runs != 3 || v.Paths[0].Path[6] != "done" {
		t.Fatalf("paths = %+v", v.Paths)
	}
	if len(v.CSATByTerminal) != 2 || v.CSATByTerminal[0] != (Terminal{Node: "done", Runs: 3, CSATRuns: 2, CSATMean: 4}) {
		t.Fatalf("CSAT by terminal = %+v", v.CSATByTerminal)
	}
	if s := rep.Versions[1]; s.Version != 3 || !s.Shadow || s.Runs != 1 || s.AutomationRate != 0 {
		t.Fatalf("shadow version 3 = %+v", s)
	}
	shadowOnly := true
	if rep, err := Build(ctx, st, "change-address", store.RunFilter{Shadow: &shadowOnly}); err != nil || len(rep.Versions) != 1 {
		t.Fatalf("shadow-only report = %+v, %v", rep, err)
	}

	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "policy,version,shadow,metric,key,value" {
		t.Fatalf("header = %v", rows[0])
	}
	want := map[string]bool{
		"change-address,2,false,automation_rate,,0.75":                                    false,
		"change-address,2,false,path,check>confirm>collect>verify>submit>approval>done,3": false,
		"change-address,2,false,csat_terminal_mean,done,4":                                false,
		"change-address,3,true,runs,,1":                                                   false,
	}
	for _, r := range rows {
		if _, ok := want[strings.Join(r, ",")]; ok {
			want[strings.Join(r, ",")] = true
		}
	}
	for row, seen := range want {
		if !seen {
			t.Errorf("CSV lacks %s", row)
		}
	}
}

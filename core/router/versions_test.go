package router

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// chooseVersion serves a copy of the Live policy numbered 7 to contacts of one customer, as an
// experiment named "trial".
type chooseVersion struct{ trial *policy.Compiled }

func (c chooseVersion) Choose(_ context.Context, live *policy.Compiled, msg *message.Message) (*policy.Compiled, string) {
	if msg.Contact.CustomerID == "C-7" {
		return c.trial, "trial"
	}
	return live, ""
}

// TestExperimentVersionIsRecorded checks that the version a VersionChooser picks serves the
// whole run, turns later too, and that the run is recorded with it and the experiment's name.
func TestExperimentVersionIsRecorded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	live, _ := f.router.cfg.Policies.ForIntent("card_lost_stolen")
	p := *live.Policy
	p.Version = 7
	trial, err := policy.Compile(&p, live.Source, policy.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := f.router.cfg
	cfg.Runs, cfg.Versions = st, chooseVersion{trial}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, customer := range []string{"C-7", "C-1001"} {
		m := message.Message{Channel: "api", ConversationID: "conv-" + customer, Contact: message.Contact{CustomerID: customer}, Intent: "card_lost_stolen"}
		if _, err := r.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
		m.Intent, m.Input = "", map[string]any{"choice": "stolen"}
		if _, err := r.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		experiment string
		version    int
	}{{"trial", 7}, {"", 0}} {
		counts, err := st.OutcomeCounts(ctx, "card-lost", store.RunFilter{Experiment: tc.experiment})
		if err != nil {
			t.Fatal(err)
		}
		if tc.experiment == "" {
			if len(counts) != 2 {
				t.Fatalf("all runs = %+v, want the trial's and the Live version's", counts)
			}
			continue
		}
		if len(counts) != 1 || counts[0].Version != tc.version || counts[0].Runs != 1 {
			t.Fatalf("runs of experiment %q = %+v, want one of version %d", tc.experiment, counts, tc.version)
		}
	}
}

package policytest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/internal/repotest"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Every example policy's cases, with the real executor modules, run in cmd/frontdesk's
// TestPolicyCommands; the tests here cover the runner itself.

func TestFailuresAreReported(t *testing.T) {
	set, _, err := Load(filepath.Join(repotest.Root(t), "examples", "policies"), policy.Env{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("wrong.test.yaml", []byte(`
policy: card-lost
cases:
  - name: wrong expectations
    message: { text: "lost", contact: { customer_id: C-1 } }
    hydrations: { customer: { id: C-1 } }
    inputs: { what_happened: lost, replace: "yes" }
    expect:
      path: [known, what_happened, fraud]
      outcome: handed_off
      actions: [handoff]
  - name: missing input
    message: { text: "lost", contact: { customer_id: C-1 } }
    hydrations: { customer: { id: C-1 } }
    expect: { outcome: card_reported }
  - name: rejected input
    message: { text: "lost", contact: { customer_id: C-1 } }
    hydrations: { customer: { id: C-1 } }
    inputs: { what_happened: "misplaced" }
    expect: { outcome: card_reported }
`))
	if err != nil {
		t.Fatal(err)
	}
	results := (&Runner{Library: set}).Run(context.Background(), f)
	want := []string{"outcome: got replacement_requested, want handed_off", "no input", "rejected the answer"}
	for i, r := range results {
		if r.Passed() || !strings.Contains(strings.Join(r.Failures, "\n"), want[i]) {
			t.Errorf("case %s: failures %q, want one containing %q", r.Case, r.Failures, want[i])
		}
	}
	var out strings.Builder
	if n := Print(&out, results, nil, false); n != 3 || !strings.Contains(out.String(), "--- FAIL: card-lost/wrong_expectations") {
		t.Fatalf("report:\n%s", out.String())
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"policy: x\ncases:\n  - name: a\n    expect: { outcome: y }\n    inputz: {}\n", "unknown field \"inputz\""},
		{"cases: []\n", "missing `policy:`"},
		{"policy: x\ncases:\n  - expect: { outcome: y }\n", "case 1 has no name"},
		{"policy: x\ncases:\n  - name: a\n", "missing expect.outcome"},
	} {
		_, err := Parse("t.test.yaml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
}

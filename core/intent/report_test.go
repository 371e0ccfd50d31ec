package intent

import (
	"bytes"
	"strings"
	"testing"
)

func TestEvaluateAndReport(t *testing.T) {
	p := func(intent string) Prediction { return Prediction{Intent: intent, Confidence: 0.9} }
	results := []Result{
		{Label: "a", Prediction: p("a")},
		{Label: "a", Prediction: p("b")},
		{Label: "b", Prediction: p("b")},
		{Label: "b", Prediction: p(Unknown)},
		{Label: Unknown, Prediction: p(Unknown)},
		{Label: Unknown, Prediction: p("a")},
	}
	m := Evaluate(results)
	if m.Accuracy != 0.5 || m.InScopeAccuracy != 0.5 || m.OOSRecall != 0.5 || m.OOSPrecision != 0.5 || m.OOSExamples != 2 {
		t.Errorf("metrics %+v", m.Summary())
	}
	if got := strings.Join(m.Labels, ","); got != "a,b,unknown" {
		t.Errorf("labels %s, want a,b,unknown", got)
	}
	if m.Confusion[0][1] != 1 || m.Confusion[1][2] != 1 || m.Confusion[2][0] != 1 {
		t.Errorf("confusion %v", m.Confusion)
	}
	if len(m.Confused) != 3 || m.Confused[0].Count != 1 {
		t.Errorf("most confused %v", m.Confused)
	}
	var buf bytes.Buffer
	if err := WriteHTMLReport(&buf, "test <model>", m); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"<svg", "test &lt;model&gt;", "a → b: 1 of 2 (50%)", "<td>unknown</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if empty := Evaluate(nil); empty.Accuracy != 0 || len(empty.Labels) != 0 {
		t.Errorf("empty results: %+v", empty)
	}
}

func TestDecide(t *testing.T) {
	d := Decider{Labels: []string{"a", "b", "oos", "c"}, OOSLabel: "oos", Threshold: 0.5, TopK: 2}
	for _, tc := range []struct {
		probs []float32
		want  string
		cands string
	}{
		{[]float32{0.7, 0.1, 0.1, 0.1}, "a", "a,b"},
		{[]float32{0.4, 0.1, 0.1, 0.4}, Unknown, "a,c"},   // below threshold
		{[]float32{0.1, 0.1, 0.75, 0.05}, Unknown, "a,b"}, // out-of-scope class wins
		{[]float32{0.05, 0.05, 0.3, 0.6}, "c", "c,a"},
	} {
		p := d.Decide(tc.probs)
		var names []string
		for _, c := range p.Candidates {
			names = append(names, c.Intent)
		}
		if p.Intent != tc.want || strings.Join(names, ",") != tc.cands {
			t.Errorf("Decide(%v) = %s %v, want %s [%s]", tc.probs, p.Intent, names, tc.want, tc.cands)
		}
		if p.Confidence != p.Candidates[0].Confidence {
			t.Errorf("confidence %g is not the top candidate's", p.Confidence)
		}
	}
}

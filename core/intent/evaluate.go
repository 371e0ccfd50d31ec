package intent

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Result is one evaluated example: the gold label (Unknown for out-of-scope examples) and the
// model's prediction.
type Result struct {
	Text       string        `json:"text"`
	Label      string        `json:"label"`
	Prediction Prediction    `json:"prediction"`
	Latency    time.Duration `json:"latency_ns,omitempty"`
}

// Metrics are the evaluation figures of a set of results.
type Metrics struct {
	Examples int `json:"examples"`
	// Accuracy counts Unknown as a class: an out-of-scope example is right when rejected.
	Accuracy float64 `json:"accuracy"`
	// InScopeAccuracy is the accuracy on in-scope examples only (a rejection is wrong).
	InScopeAccuracy float64 `json:"in_scope_accuracy"`
	// MacroF1 is the mean F1 over the gold labels.
	MacroF1      float64 `json:"macro_f1"`
	OOSPrecision float64 `json:"oos_precision"`
	OOSRecall    float64 `json:"oos_recall"`
	OOSExamples  int     `json:"oos_examples"`
	// Labels orders the rows and columns of Confusion: gold and predicted labels sorted,
	// Unknown last.
	Labels    []string      `json:"labels"`
	PerLabel  []LabelScore  `json:"per_label"`
	Confusion [][]int       `json:"confusion"`
	Confused  []Confusion   `json:"most_confused"`
	Latency   LatencyFigure `json:"latency"`
}

// LabelScore is the precision, recall and F1 of one label.
type LabelScore struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Confusion is a pair of labels the model mixes up: examples of Gold predicted as Predicted.
type Confusion struct {
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// LatencyFigure summarizes per-example classification time.
type LatencyFigure struct {
	MedianMicros float64 `json:"median_us"`
	P99Micros    float64 `json:"p99_us"`
}

// mostConfused is the number of confused pairs reported.
const mostConfused = 10

// Evaluate computes the metrics of results.
func Evaluate(results []Result) Metrics {
	m := Metrics{Examples: len(results)}
	seen := map[string]bool{}
	for _, r := range results {
		seen[r.Label] = true
		seen[r.Prediction.Intent] = true
	}
	for l := range seen {
		if l != Unknown {
			m.Labels = append(m.Labels, l)
		}
	}
	sort.Strings(m.Labels)
	if seen[Unknown] {
		m.Labels = append(m.Labels, Unknown)
	}
	index := make(map[string]int, len(m.Labels))
	for i, l := range m.Labels {
		index[l] = i
	}
	m.Confusion = make([][]int, len(m.Labels))
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, len(m.Labels))
	}
	var right, inScope, inRight int
	var latencies []time.Duration
	for _, r := range results {
		m.Confusion[index[r.Label]][index[r.Prediction.Intent]]++
		if r.Label == r.Prediction.Intent {
			right++
		}
		if r.Label != Unknown {
			inScope++
			if r.Label == r.Prediction.Intent {
				inRight++
			}
		}
		if r.Latency > 0 {
			latencies = append(latencies, r.Latency)
		}
	}
	m.Accuracy = ratio(right, len(results))
	m.InScopeAccuracy = ratio(inRight, inScope)

	var f1Sum float64
	var golds int
	for i, l := range m.Labels {
		var predicted, support int
		for j := range m.Labels {
			predicted += m.Confusion[j][i]
			support += m.Confusion[i][j]
		}
		tp := m.Confusion[i][i]
		s := LabelScore{Label: l, Precision: ratio(tp, predicted), Recall: ratio(tp, support), Support: support}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		if support > 0 {
			f1Sum += s.F1
			golds++
		}
		m.PerLabel = append(m.PerLabel, s)
		if l == Unknown {
			m.OOSPrecision, m.OOSRecall, m.OOSExamples = s.Precision, s.Recall, support
		}
		for j, n := range m.Confusion[i] {
			if j != i && n > 0 {
				m.Confused = append(m.Confused, Confusion{Gold: l, Predicted: m.Labels[j], Count: n})
			}
		}
	}
	m.MacroF1 = ratio2(f1Sum, golds)
	sort.SliceStable(m.Confused, func(a, b int) bool { return m.Confused[a].Count > m.Confused[b].Count })
	m.Confused = m.Confused[:min(len(m.Confused), mostConfused)]
	if len(latencies) > 0 {
		sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
		m.Latency.MedianMicros = float64(latencies[len(latencies)/2]) / 1e3
		m.Latency.P99Micros = float64(latencies[len(latencies)*99/100]) / 1e3
	}
	return m
}

// Summary returns the headline figures stored in a manifest.
func (m Metrics) Summary() ValidationMetrics {
	return ValidationMetrics{Examples: m.Examples, Accuracy: m.Accuracy, InScopeAccuracy: m.InScopeAccuracy,
		MacroF1: m.MacroF1, OOSPrecision: m.OOSPrecision, OOSRecall: m.OOSRecall}
}

func ratio(a, b int) float64 { return ratio2(float64(a), b) }

func ratio2(a float64, b int) float64 {
	if b == 0 {
		return 0
	}
	return a / float64(b)
}

// Predict classifies each example with c, one call each so that the latency of a single call
// is measured, and returns the results. Examples labelled oosLabel are expected to be Unknown.
// progress, when set, is called after each example.
func Predict(ctx context.Context, c Classifier, examples []Example, oosLabel string, progress func(done, total int)) ([]Result, error) {
	out := make([]Result, len(examples))
	for i, e := range examples {
		start := time.Now()
		p, err := c.Classify(ctx, e.Text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", e.Line, err)
		}
		out[i] = Result{Text: e.Text, Label: outcomeLabel(e.Label, oosLabel), Prediction: p, Latency: time.Since(start)}
		if progress != nil {
			progress(i+1, len(examples))
		}
	}
	return out, nil
}

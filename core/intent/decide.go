package intent

import (
	"sort"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Decider turns a model's class probabilities into a Prediction: the top intents, and Unknown
// when the out-of-scope class wins or the best in-scope intent is below the threshold.
type Decider struct {
	// Labels name the model's outputs, in order.
	Labels []string
	// OOSLabel is the out-of-scope class, or "" when the model has none.
	OOSLabel string
	// Threshold is the least probability of the best in-scope intent that is acted on.
	Threshold float64
	// TopK is the number of candidates attached.
	TopK int
}

// Decide returns the prediction for one row of probabilities (len(Labels) values).
func (d *Decider) Decide(probs []float32) Prediction {
	k := max(d.TopK, 1)
	// Candidates are in-scope intents; a short insertion into a top-k list avoids sorting all
	// classes.
	type cand struct {
		i int
		p float32
	}
	var buf [8]cand
	top := buf[:0]
	if k+1 > len(buf) {
		top = make([]cand, 0, k+1)
	}
	oos := float32(-1)
	for i, p := range probs {
		if d.Labels[i] == d.OOSLabel && d.OOSLabel != "" {
			oos = p
			continue
		}
		if len(top) == k && p <= top[k-1].p {
			continue
		}
		j := sort.Search(len(top), func(j int) bool { return top[j].p < p })
		top = append(top, cand{})
		copy(top[j+1:], top[j:])
		top[j] = cand{i, p}
		if len(top) > k {
			top = top[:k]
		}
	}
	pred := Prediction{Intent: Unknown}
	if len(top) == 0 {
		return pred
	}
	pred.Candidates = make([]message.Candidate, len(top))
	for j, c := range top {
		pred.Candidates[j] = message.Candidate{Intent: d.Labels[c.i], Confidence: float64(c.p)}
	}
	pred.Confidence = float64(top[0].p)
	if top[0].p > oos && float64(top[0].p) >= d.Threshold {
		pred.Intent = d.Labels[top[0].i]
	}
	return pred
}

package intent

import (
	"context"
	"sort"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Keywords is a deterministic classifier: an intent wins when the text contains one of its
// phrases (case-insensitive); the more phrases match, the higher the confidence. It serves
// tests, and deployments that want fixed rules before a model is trained.
type Keywords map[string][]string

// Classify returns the intent with the most matching phrases, or Unknown when none match.
func (k Keywords) Classify(_ context.Context, text string) (Prediction, error) {
	lower := strings.ToLower(text)
	var cands []message.Candidate
	total := 0
	for name, phrases := range k {
		n := 0
		for _, p := range phrases {
			if strings.Contains(lower, strings.ToLower(p)) {
				n++
			}
		}
		if n > 0 {
			cands = append(cands, message.Candidate{Intent: name, Confidence: float64(n)})
			total += n
		}
	}
	if len(cands) == 0 {
		return Prediction{Intent: Unknown}, nil
	}
	for i := range cands {
		cands[i].Confidence /= float64(total)
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Confidence != cands[j].Confidence {
			return cands[i].Confidence > cands[j].Confidence
		}
		return cands[i].Intent < cands[j].Intent
	})
	return Prediction{Intent: cands[0].Intent, Confidence: cands[0].Confidence, Candidates: cands}, nil
}

// Package intent recognizes what a customer wants: the Classifier interface the router uses, the
// featurizer shared by training and serving, and the model bundle that ties them together.
package intent

import (
	"context"
	"errors"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Unknown is the intent reported when a text is out of scope or too uncertain to act on.
const Unknown = "unknown"

// Prediction is the result of classifying one text.
type Prediction struct {
	// Intent is the recognized intent, or Unknown.
	Intent string `json:"intent"`
	// Confidence is the calibrated probability of Intent (of the top candidate when Unknown).
	Confidence float64 `json:"confidence"`
	// Candidates are the top intents considered, best first.
	Candidates []message.Candidate `json:"candidates,omitempty"`
}

// Classifier recognizes the intent of a text. Implementations are safe for concurrent use.
type Classifier interface {
	Classify(ctx context.Context, text string) (Prediction, error)
}

// BatchClassifier classifies many texts in one call, cheaper per text than one call each.
type BatchClassifier interface {
	Classifier
	ClassifyBatch(ctx context.Context, texts []string) ([]Prediction, error)
}

// Model is a loaded model that holds resources until closed.
type Model interface {
	BatchClassifier
	Close() error
}

// ErrClosed is returned by a model used after Close.
var ErrClosed = errors.New("intent: model closed")

package intent

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// A model bundle is a directory holding these two files.
const (
	ModelFile    = "model.onnx"
	ManifestFile = "manifest.json"
)

// ManifestFormat and ManifestVersion identify the manifest's schema; a loader refuses
// versions it does not know.
const (
	ManifestFormat  = "frontdesk-intent-model"
	ManifestVersion = 1
)

// ONNX graph interface: indices [batch, features] (int32) and weights [batch, 1, features]
// (float), padded with weight 0; output the calibrated probabilities [batch, 1, classes].
const (
	InputIndices = "indices"
	InputWeights = "weights"
	OutputProbs  = "probs"
)

// Manifest describes a model bundle: everything besides the graph that serving needs, and
// where the model came from.
type Manifest struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	// Labels name the graph's outputs, in order.
	Labels []string `json:"labels"`
	// OOSLabel is the out-of-scope class among Labels, reported as Unknown; "" when none.
	OOSLabel string `json:"oos_label,omitempty"`
	// Threshold is the least calibrated probability of an in-scope intent that is acted on.
	Threshold float64 `json:"threshold"`
	// Temperature is folded into the graph's output layer; it is recorded for reference.
	Temperature float64          `json:"temperature"`
	TopK        int              `json:"top_k"`
	Featurizer  FeaturizerConfig `json:"featurizer"`
	Model       ModelInfo        `json:"model"`
	// ModelSHA256 is the digest of model.onnx, so a torn copy or a graph from another
	// training run is refused at load.
	ModelSHA256 string            `json:"model_sha256"`
	Training    TrainingInfo      `json:"training"`
	Validation  ValidationMetrics `json:"validation"`
}

// ModelInfo describes the graph.
type ModelInfo struct {
	Architecture string `json:"architecture"`
	Opset        int    `json:"opset"`
	Buckets      int    `json:"buckets"`
	Dim          int    `json:"dim"`
	Members      int    `json:"members"`
}

// TrainingInfo records how the model was trained.
type TrainingInfo struct {
	// Data is the training file as named on the command line.
	Data       string `json:"data"`
	DataSHA256 string `json:"data_sha256"`
	Examples   int    `json:"examples"`
	Train      int    `json:"train"`
	Validation int    `json:"validation"`
	Seed       uint64 `json:"seed"`
	Epochs     int    `json:"epochs"`
	// Refit says the weights were learned again from training and validation examples
	// together after the validation figures were taken.
	Refit   bool    `json:"refit"`
	Seconds float64 `json:"seconds"`
}

// ValidationMetrics are the headline figures on the validation split.
type ValidationMetrics struct {
	Examples        int     `json:"examples"`
	Accuracy        float64 `json:"accuracy"`
	InScopeAccuracy float64 `json:"in_scope_accuracy"`
	MacroF1         float64 `json:"macro_f1"`
	OOSPrecision    float64 `json:"oos_precision"`
	OOSRecall       float64 `json:"oos_recall"`
}

// ErrBundle reports a model bundle that cannot be used.
var ErrBundle = errors.New("intent: bad model bundle")

// ReadManifest reads and checks dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBundle, path, err)
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBundle, path, err)
	}
	return &m, nil
}

func (m *Manifest) validate() error {
	switch {
	case m.Format != ManifestFormat:
		return fmt.Errorf("format %q, want %q", m.Format, ManifestFormat)
	case m.Version != ManifestVersion:
		return fmt.Errorf("version %d, this build reads %d", m.Version, ManifestVersion)
	case len(m.Labels) < 2:
		return fmt.Errorf("%d labels, want at least 2", len(m.Labels))
	case m.Threshold < 0 || m.Threshold > 1:
		return fmt.Errorf("threshold %g not in [0, 1]", m.Threshold)
	case m.TopK < 1:
		return fmt.Errorf("top_k %d below 1", m.TopK)
	}
	seen := map[string]bool{}
	for _, l := range m.Labels {
		if l == "" || seen[l] {
			return fmt.Errorf("label %q empty or repeated", l)
		}
		seen[l] = true
	}
	if m.OOSLabel != "" && !seen[m.OOSLabel] {
		return fmt.Errorf("oos_label %q is not among the labels", m.OOSLabel)
	}
	return m.Featurizer.Validate()
}

// Decider returns the decision rule the manifest describes.
func (m *Manifest) Decider() Decider {
	return Decider{Labels: m.Labels, OOSLabel: m.OOSLabel, Threshold: m.Threshold, TopK: m.TopK}
}

// WriteManifest writes dir/manifest.json, atomically.
func WriteManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

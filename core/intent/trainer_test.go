package intent

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// smallDataset is a tiny separable problem: each label has its own words.
func smallDataset() *Dataset {
	ds := &Dataset{Name: "small.csv"}
	words := map[string][]string{
		"card":     {"card", "lost", "stolen", "missing", "wallet"},
		"transfer": {"transfer", "sent", "wire", "pending", "arrived"},
		"oos":      {"weather", "joke", "movie", "recipe", "football"},
	}
	line := 2
	for label, ws := range words {
		for i := range 30 {
			ds.Examples = append(ds.Examples, Example{Text: fmt.Sprintf("%s my %s %d", ws[i%5], ws[(i+1)%5], i), Label: label, Line: line})
			line++
		}
	}
	return ds
}

func TestTrainSmall(t *testing.T) {
	cfg := DefaultTrainConfig()
	cfg.Featurizer.Buckets = 4096
	cfg.Members = 2
	tr, err := Train(context.Background(), smallDataset(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Manifest
	if m.Validation.Accuracy < 0.9 || m.OOSLabel != "oos" || len(m.Labels) != 3 || m.Temperature <= 0 {
		t.Errorf("manifest %+v", m)
	}
	if m.Training.Train+m.Training.Validation != 90 || m.Training.Epochs < 1 || !m.Training.Refit {
		t.Errorf("training info %+v", m.Training)
	}
	// Same seed, same model.
	again, err := Train(context.Background(), smallDataset(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tr.Weights.Embedding {
		if tr.Weights.Embedding[i] != again.Weights.Embedding[i] {
			t.Fatal("training is not reproducible with the same seed")
		}
	}
	probs := make([]float32, 3)
	fz, _ := NewFeaturizer(cfg.Featurizer)
	tr.Weights.Probabilities(fz.Featurize("my card was stolen", nil), probs)
	if p := m.Decider(); p.Decide(probs).Intent != "card" {
		t.Errorf("prediction %v", p.Decide(probs))
	}
}

func TestTrainBadConfig(t *testing.T) {
	for _, edit := range []func(*TrainConfig){
		func(c *TrainConfig) { c.Dim = 0 },
		func(c *TrainConfig) { c.Members = 0 },
		func(c *TrainConfig) { c.LearnRate = 0 },
		func(c *TrainConfig) { c.Dropout = 1 },
		func(c *TrainConfig) { c.ValidationFraction = 1 },
		func(c *TrainConfig) { c.Featurizer.Buckets = 1 << 24; c.Dim = 1024; c.Members = 16 },
	} {
		cfg := DefaultTrainConfig()
		edit(&cfg)
		if _, err := Train(context.Background(), smallDataset(), cfg); !errors.Is(err, ErrTrainConfig) {
			t.Errorf("Train(%+v): %v, want ErrTrainConfig", cfg, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := DefaultTrainConfig()
	cfg.Featurizer.Buckets = 4096
	if _, err := Train(ctx, smallDataset(), cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("Train with a cancelled context: %v", err)
	}
}

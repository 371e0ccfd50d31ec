package intent

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestZZExperiment(t *testing.T) {
	path := os.Getenv("XP_DATA")
	if path == "" {
		t.Skip()
	}
	ds, err := LoadDataset(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultTrainConfig()
	if v := os.Getenv("XP_DIM"); v != "" {
		cfg.Dim, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_MEMBERS"); v != "" {
		cfg.Members, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_LR"); v != "" {
		cfg.LearnRate, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("XP_DROP"); v != "" {
		cfg.Dropout, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("XP_BUCKETS"); v != "" {
		cfg.Featurizer.Buckets, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_EPOCHS"); v != "" {
		cfg.Epochs, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_SMOOTH"); v != "" {
		cfg.LabelSmoothing, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("XP_CHARMAX"); v != "" {
		cfg.Featurizer.CharMax, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_CHARMIN"); v != "" {
		cfg.Featurizer.CharMin, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("XP_WORDN"); v != "" {
		cfg.Featurizer.WordNgrams, _ = strconv.Atoi(v)
	}
	train, test, _ := Split(ds.Examples, 0.15, 7)
	ds.Examples = train
	start := time.Now()
	tr, err := Train(context.Background(), ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fz, _ := NewFeaturizer(cfg.Featurizer)
	dec := tr.Manifest.Decider()
	var res []Result
	probs := make([]float32, len(tr.Manifest.Labels))
	for _, e := range test {
		tr.Weights.Probabilities(fz.Featurize(e.Text, nil), probs)
		res = append(res, Result{Label: outcomeLabel(e.Label, "oos"), Prediction: dec.Decide(probs)})
	}
	mt := Evaluate(res)
	t.Logf("TEST in-scope %.4f oos recall %.4f", mt.InScopeAccuracy, mt.OOSRecall)
	t.Logf("%s: %+v T=%.3f thr=%.2f epochs=%d %.1fs", path, tr.Manifest.Validation, tr.Manifest.Temperature, tr.Manifest.Threshold, tr.Manifest.Training.Epochs, time.Since(start).Seconds())
}

package onnx

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// BenchmarkAccuracy trains on the public data sets in ../shared/data with the default
// configuration and measures the served model (through ONNX Runtime) on a stratified test
// split the trainer never sees: 15% of each label, seed 7. The trainer carves its own
// validation split out of the rest. Reported: accuracy and in-scope accuracy, out-of-scope
// recall and precision (CLINC150), training seconds, bundle megabytes.
func BenchmarkAccuracy(b *testing.B) {
	for _, set := range []struct{ name, file string }{
		{"clinc150", "clinc150/train.jsonl"},
		{"banking77", "banking77/train.csv"},
	} {
		b.Run(set.name, func(b *testing.B) {
			path := filepath.Join(repotest.Root(b), "..", "shared", "data", set.file)
			if _, err := os.Stat(path); err != nil {
				b.Skipf("%s: the public data sets live in ../shared/data beside the repository: %v", set.name, err)
			}
			for b.Loop() {
				benchAccuracy(b, path)
			}
		})
	}
}

func benchAccuracy(b *testing.B, path string) {
	ds, err := intent.LoadDataset(path)
	if err != nil {
		b.Fatal(err)
	}
	train, test, err := intent.Split(ds.Examples, 0.15, 7)
	if err != nil {
		b.Fatal(err)
	}
	ds.Examples = train
	cfg := intent.DefaultTrainConfig()
	start := time.Now()
	tr, err := intent.Train(context.Background(), ds, cfg)
	if err != nil {
		b.Fatal(err)
	}
	trainSeconds := time.Since(start).Seconds()
	dir := b.TempDir()
	if err := intent.WriteBundle(dir, tr); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, name := range []string{intent.ModelFile, intent.ManifestFile} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	m, err := Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	results, err := intent.Predict(context.Background(), m, test, cfg.OOSLabel, nil)
	if err != nil {
		b.Fatal(err)
	}
	metrics := intent.Evaluate(results)
	b.ReportMetric(100*metrics.Accuracy, "acc_%")
	b.ReportMetric(100*metrics.InScopeAccuracy, "in_scope_acc_%")
	if metrics.OOSExamples > 0 {
		b.ReportMetric(100*metrics.OOSRecall, "oos_recall_%")
		b.ReportMetric(100*metrics.OOSPrecision, "oos_precision_%")
	}
	b.ReportMetric(100*metrics.MacroF1, "macro_f1_%")
	b.ReportMetric(trainSeconds, "train_s")
	b.ReportMetric(float64(size)/1e6, "bundle_MB")
}

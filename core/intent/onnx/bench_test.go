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

// benchTexts returns realistic support messages: BANKING77's from ../shared/data when
// present, else the example training set's.
func benchTexts(b *testing.B) []string {
	path := filepath.Join(repotest.Root(b), "..", "shared", "data", "banking77", "train.csv")
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(repotest.Root(b), "examples", "intents", "train.csv")
	}
	ds, err := intent.LoadDataset(path)
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 0, 1024)
	for i := 0; i < len(ds.Examples) && len(texts) < cap(texts); i += max(1, len(ds.Examples)/cap(texts)) {
		texts = append(texts, ds.Examples[i].Text)
	}
	return texts
}

// BenchmarkClassify measures featurization plus inference through ONNX Runtime: one message
// per call (single), single calls from all cores (parallel), and ClassifyBatch of 256
// messages (batch), whose msgs/s is the throughput.
func BenchmarkClassify(b *testing.B) {
	m, err := Load(exampleBundle(b))
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	texts := benchTexts(b)
	ctx := context.Background()
	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := m.Classify(ctx, texts[i%len(texts)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := m.Classify(ctx, texts[i%len(texts)]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	})
	b.Run("batch", func(b *testing.B) {
		b.ReportAllocs()
		const size = 256
		n := 0
		start := time.Now()
		for b.Loop() {
			lo := (n * size) % (len(texts) - size)
			if _, err := m.ClassifyBatch(ctx, texts[lo:lo+size]); err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n*size)/time.Since(start).Seconds(), "msgs/s")
	})
}

// BenchmarkFeaturize measures the Go featurizer alone.
func BenchmarkFeaturize(b *testing.B) {
	fz, err := intent.NewFeaturizer(intent.DefaultFeaturizerConfig())
	if err != nil {
		b.Fatal(err)
	}
	texts := benchTexts(b)
	var f intent.Features
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		fz.Featurize(texts[i%len(texts)], &f)
		i++
	}
}

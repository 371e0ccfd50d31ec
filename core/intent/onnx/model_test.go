package onnx

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/internal/repotest"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

var (
	bundleOnce sync.Once
	bundleDir  string
	bundleErr  error
	trained    *intent.Trained
)

// exampleBundle trains the default example model once per test binary and writes its bundle.
// Tests need ONNX Runtime: a missing library fails them with the fix (`make onnxruntime`),
// never skips them.
func exampleBundle(t testing.TB) string {
	t.Helper()
	if err := initRuntime(); err != nil {
		t.Fatal(err)
	}
	bundleOnce.Do(func() {
		ds, err := intent.LoadDataset(filepath.Join(repotest.Root(t), "examples", "intents", "train.csv"))
		if err != nil {
			bundleErr = err
			return
		}
		cfg := intent.DefaultTrainConfig()
		cfg.Featurizer.Buckets = 1 << 15
		trained, bundleErr = intent.Train(context.Background(), ds, cfg)
		if bundleErr != nil {
			return
		}
		bundleDir, bundleErr = os.MkdirTemp("", "frontdesk-intent-test")
		if bundleErr == nil {
			bundleErr = intent.WriteBundle(bundleDir, trained)
		}
	})
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
	return bundleDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bundleDir != "" {
		os.RemoveAll(bundleDir)
	}
	os.Exit(code)
}

func TestLoadAndClassify(t *testing.T) {
	m, err := Load(exampleBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	for _, tc := range []struct{ text, want string }{
		{"somebody stole my card yesterday", "card_lost_stolen"},
		{"I moved to a new house, please update my address", "change_address"},
		{"the driver cancelled and I still paid a cancellation fee", "cancellation_fee_dispute"},
		{"how is my background check going, I applied to drive", "driver_background_check"},
		{"what's the weather in paris tomorrow", intent.Unknown},
	} {
		p, err := m.Classify(ctx, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if p.Intent != tc.want {
			t.Errorf("Classify(%q) = %s (%.2f, %v), want %s", tc.text, p.Intent, p.Confidence, p.Candidates, tc.want)
		}
		if p.Intent != intent.Unknown && (p.Confidence <= 0 || p.Confidence > 1 || len(p.Candidates) == 0 || p.Candidates[0].Intent != p.Intent) {
			t.Errorf("Classify(%q) = %+v: confidence or candidates inconsistent", tc.text, p)
		}
	}
}

// TestGraphMatchesGo checks that ONNX Runtime computes the same probabilities as the trainer's
// Go math, so the validation figures in the manifest describe the served model.
func TestGraphMatchesGo(t *testing.T) {
	m, err := Load(exampleBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, text := range []string{"I lost my card", "Wo ist meine Überweisung? 🙂", strings.Repeat("refund please ", 300)} {
		f := m.fz.Featurize(text, nil)
		want := make([]float32, m.classes)
		trained.Weights.Probabilities(f, want)
		s := m.free.get()
		got, err := m.run(s, f)
		if err != nil {
			t.Fatal(err)
		}
		for c := range want {
			if math.Abs(float64(got[c]-want[c])) > 1e-5 {
				t.Fatalf("%q: class %d: onnx %g, go %g", text, c, got[c], want[c])
			}
		}
		m.free.put(s)
	}
}

func TestBatchMatchesSingle(t *testing.T) {
	m, err := Load(exampleBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	texts := []string{"", "   ", "my card hasn't arrived", "???", "close my account please", strings.Repeat("x", 1<<20)}
	for i := range 150 {
		texts = append(texts, []string{"refund", "where is my transfer", "I forgot my PIN"}[i%3])
	}
	batch, err := m.ClassifyBatch(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		p, err := m.Classify(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		if p.Intent != batch[i].Intent || math.Abs(p.Confidence-batch[i].Confidence) > 1e-6 {
			t.Errorf("text %d: single %s %.4f, batch %s %.4f", i, p.Intent, p.Confidence, batch[i].Intent, batch[i].Confidence)
		}
	}
	if batch[0].Intent != intent.Unknown || batch[0].Candidates != nil {
		t.Errorf("empty text: %+v, want unknown without candidates", batch[0])
	}
}

func TestConcurrentClassify(t *testing.T) {
	m, err := Load(exampleBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want, _ := m.Classify(context.Background(), "my payment failed at the shop")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				p, err := m.Classify(context.Background(), "my payment failed at the shop")
				if err != nil || p.Intent != want.Intent {
					t.Errorf("concurrent Classify: %v, %v", p, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestClosed(t *testing.T) {
	m, err := Load(exampleBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Classify(context.Background(), "refund"); err != intent.ErrClosed {
		t.Fatalf("Classify after Close: %v, want ErrClosed", err)
	}
}

// TestONNXChecker runs the official ONNX checker (Debian python3-onnx) on the exported graph.
func TestONNXChecker(t *testing.T) {
	dir := exampleBundle(t)
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import onnx").Run(); err != nil {
		t.Fatalf("the ONNX checker needs Debian's python3-onnx: apt-get install -y python3-onnx (%v)", err)
	}
	out, err := exec.Command(python, "-c", `
import sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
print(m.opset_import[0].version)
`, filepath.Join(dir, intent.ModelFile)).CombinedOutput()
	if err != nil {
		t.Fatalf("onnx.checker: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "13" {
		t.Errorf("opset %s, want 13", got)
	}
}

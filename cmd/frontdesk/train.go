package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

func newTrainCmd() *cobra.Command {
	cfg := intent.DefaultTrainConfig()
	var data, out string
	cmd := &cobra.Command{
		Use:   "train --data FILE --out DIR",
		Short: "Train an intent model and write its bundle (model.onnx, manifest.json)",
		Long: `Train an intent model from labelled examples: CSV with a header (a text column and a
label, intent or category column) or JSON lines ({"text", "intent"}). A stratified validation
split is held out for early stopping, calibration, the out-of-scope threshold and the metrics
in the summary. Out-of-scope examples carry the --oos-label.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" || out == "" {
				return fmt.Errorf("train: --data and --out are required")
			}
			ds, err := intent.LoadDataset(data)
			if err != nil {
				return err
			}
			bar := newProgressBar(cmd.ErrOrStderr(), "training")
			cfg.Progress = func(p intent.Progress) {
				note := fmt.Sprintf("%s: member %d epoch %d", p.Phase, p.Member+1, p.Epoch)
				if p.Phase == intent.PhaseTrain {
					note += fmt.Sprintf(", validation %.1f%%", 100*p.Accuracy)
				}
				bar.set(p.Done, p.Total, note)
			}
			start := time.Now()
			tr, err := intent.Train(cmd.Context(), ds, cfg)
			bar.done()
			if err != nil {
				return err
			}
			if err := intent.WriteBundle(out, tr); err != nil {
				return err
			}
			printTrainSummary(cmd.OutOrStdout(), out, tr, time.Since(start))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "training file (.csv or .jsonl)")
	f.StringVar(&out, "out", "", "bundle directory to write")
	f.StringVar(&cfg.OOSLabel, "oos-label", cfg.OOSLabel, "label of out-of-scope examples")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the split, initialization and shuffling")
	f.IntVar(&cfg.Featurizer.Buckets, "buckets", cfg.Featurizer.Buckets, "hash buckets (embedding rows)")
	f.IntVar(&cfg.Dim, "dim", cfg.Dim, "embedding width of one ensemble member")
	f.IntVar(&cfg.Members, "members", cfg.Members, "ensemble members")
	f.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "most epochs")
	f.IntVar(&cfg.Patience, "patience", cfg.Patience, "epochs without validation improvement before stopping")
	f.Float64Var(&cfg.LearnRate, "lr", cfg.LearnRate, "AdaGrad learning rate")
	f.Float64Var(&cfg.Dropout, "dropout", cfg.Dropout, "input feature dropout")
	f.Float64Var(&cfg.ValidationFraction, "validation", cfg.ValidationFraction, "fraction of each label held out for validation")
	f.Float64Var(&cfg.MaxInScopeLoss, "max-in-scope-loss", cfg.MaxInScopeLoss, "in-scope validation accuracy the out-of-scope threshold may give up")
	f.BoolVar(&cfg.Refit, "refit", cfg.Refit, "after validation, train again on all examples for the best epoch counts")
	f.IntVar(&cfg.Threads, "threads", 0, "members trained at once (0: one per CPU)")
	return cmd
}

func printTrainSummary(w io.Writer, dir string, tr *intent.Trained, took time.Duration) {
	m := tr.Manifest
	var size int64
	for _, name := range []string{intent.ModelFile, intent.ManifestFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			size += st.Size()
		}
	}
	oos := m.OOSLabel
	if oos == "" {
		oos = "(none in the data; threshold 0)"
	}
	fmt.Fprintf(w, "trained %s in %s\n", dir, took.Round(100*time.Millisecond))
	fmt.Fprintf(w, "  data         %s (%d examples, %d labels, sha256 %.12s)\n", m.Training.Data, m.Training.Examples, len(m.Labels), m.Training.DataSHA256)
	fmt.Fprintf(w, "  split        %d train / %d validation (seed %d)\n", m.Training.Train, m.Training.Validation, m.Training.Seed)
	refit := ""
	if m.Training.Refit {
		refit = ", refit on all examples"
	}
	fmt.Fprintf(w, "  model        %d buckets x %d dims (%d members), best epoch %d%s, bundle %.1f MB\n", m.Model.Buckets, m.Model.Dim, m.Model.Members, m.Training.Epochs, refit, float64(size)/1e6)
	fmt.Fprintf(w, "  calibration  temperature %.3f, out-of-scope label %s, threshold %.2f\n", m.Temperature, oos, m.Threshold)
	v := m.Validation
	fmt.Fprintf(w, "  validation   (first fit) accuracy %.2f%%, in-scope %.2f%%, macro-F1 %.2f%%", 100*v.Accuracy, 100*v.InScopeAccuracy, 100*v.MacroF1)
	if m.OOSLabel != "" {
		fmt.Fprintf(w, ", out-of-scope precision %.2f%% recall %.2f%%", 100*v.OOSPrecision, 100*v.OOSRecall)
	}
	fmt.Fprintln(w)
}

// progressBar draws a one-line progress bar on a terminal or log (stderr), at most ten times a
// second.
type progressBar struct {
	w     io.Writer
	label string
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label}
}

func (b *progressBar) set(done, total int, note string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.last) < 100*time.Millisecond && done < total {
		return
	}
	b.last = time.Now()
	frac := 0.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %s\033[K", b.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac, note)
	b.shown = true
}

func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprintln(b.w)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/intent/onnx"
)

func newEvalCmd() *cobra.Command {
	var model, data, html, oosLabel string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "eval --model DIR --data FILE",
		Short: "Evaluate an intent model bundle on labelled examples",
		Long: `Classify every example of FILE (the train command's formats) with the bundle in DIR through
ONNX Runtime, one call each, and report accuracy, macro-F1, per-intent precision/recall/F1,
out-of-scope precision/recall, the most confused pairs and the latency of a call.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || data == "" {
				return fmt.Errorf("eval: --model and --data are required")
			}
			ds, err := intent.LoadDataset(data)
			if err != nil {
				return err
			}
			m, err := onnx.Load(model)
			if err != nil {
				return err
			}
			defer m.Close()
			if oosLabel == "" {
				oosLabel = m.Manifest().OOSLabel
			}
			if oosLabel == "" {
				oosLabel = intent.DefaultTrainConfig().OOSLabel
			}
			bar := newProgressBar(cmd.ErrOrStderr(), "evaluating")
			results, err := intent.Predict(cmd.Context(), m, ds.Examples, oosLabel, func(done, total int) { bar.set(done, total, "") })
			bar.done()
			if err != nil {
				return fmt.Errorf("%s: %w", data, err)
			}
			metrics := intent.Evaluate(results)
			if html != "" {
				if err := writeReport(html, fmt.Sprintf("%s on %s", filepath.Base(model), filepath.Base(data)), metrics); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(metrics)
			}
			printMetrics(cmd.OutOrStdout(), metrics)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "model bundle directory")
	f.StringVar(&data, "data", "", "labelled examples (.csv or .jsonl)")
	f.StringVar(&html, "html", "", "also write an HTML report with a confusion-matrix heat map")
	f.BoolVar(&asJSON, "json", false, "print the metrics as JSON")
	f.StringVar(&oosLabel, "oos-label", "", "label of out-of-scope examples (default: the model's, else oos)")
	return cmd
}

func writeReport(path, title string, m intent.Metrics) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := intent.WriteHTMLReport(f, title, m); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printMetrics(w io.Writer, m intent.Metrics) {
	fmt.Fprintf(w, "examples           %d\n", m.Examples)
	fmt.Fprintf(w, "accuracy           %.2f%%\n", 100*m.Accuracy)
	fmt.Fprintf(w, "in-scope accuracy  %.2f%%\n", 100*m.InScopeAccuracy)
	fmt.Fprintf(w, "macro-F1           %.2f%%\n", 100*m.MacroF1)
	if m.OOSExamples > 0 {
		fmt.Fprintf(w, "out-of-scope       precision %.2f%%, recall %.2f%% (%d examples)\n", 100*m.OOSPrecision, 100*m.OOSRecall, m.OOSExamples)
	}
	fmt.Fprintf(w, "latency            median %.1f µs, p99 %.1f µs per call\n\n", m.Latency.MedianMicros, m.Latency.P99Micros)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "intent\tprecision\trecall\tF1\tsupport\t")
	for _, s := range m.PerLabel {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%d\t\n", s.Label, 100*s.Precision, 100*s.Recall, 100*s.F1, s.Support)
	}
	tw.Flush()
	if len(m.Confused) > 0 {
		fmt.Fprintln(w, "\nmost confused (gold -> predicted)")
		for _, c := range m.Confused {
			fmt.Fprintf(w, "  %3d  %s -> %s\n", c.Count, c.Gold, c.Predicted)
		}
	}
}

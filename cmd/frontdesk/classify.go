package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/intent/onnx"
	"github.com/frontdeskhq/frontdesk/core/message"
)

func newClassifyCmd() *cobra.Command {
	var model, data string
	cmd := &cobra.Command{
		Use:   "classify --model DIR",
		Short: "Classify texts, one per line, from stdin or --data; print JSON lines",
		Long: `Read texts one per line (stdin, or --data FILE) and print one JSON object per line:
{"text", "intent", "confidence", "candidates": [{"intent", "confidence"}, ...]}. intent is
"unknown" when the model rejects the text as out of scope; an empty line is unknown with no
candidates.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" {
				return fmt.Errorf("classify: --model is required")
			}
			in := cmd.InOrStdin()
			if data != "" {
				f, err := os.Open(data)
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			m, err := onnx.Load(model)
			if err != nil {
				return err
			}
			defer m.Close()
			return classifyLines(cmd, m, in, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "model bundle directory")
	cmd.Flags().StringVar(&data, "data", "", "file of texts, one per line (default: stdin)")
	return cmd
}

// classifyLine is one line of the classify command's output.
type classifyLine struct {
	Text       string              `json:"text"`
	Intent     string              `json:"intent"`
	Confidence float64             `json:"confidence"`
	Candidates []message.Candidate `json:"candidates"`
}

// classifyBatch is the most lines classified together.
const classifyBatch = 256

// classifyLines batches the lines that are already available: a file or a fast pipe is
// classified in batches, while a person typing gets each answer at once.
func classifyLines(cmd *cobra.Command, m intent.BatchClassifier, in io.Reader, out io.Writer) error {
	lines := make(chan string, classifyBatch)
	var readErr error
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 4<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		if err := sc.Err(); err != nil {
			readErr = fmt.Errorf("classify: reading input: %w (lines are limited to 4 MB)", err)
		}
	}()
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	texts := make([]string, 0, classifyBatch)
	for line := range lines {
		texts = append(texts[:0], line)
	more:
		for len(texts) < classifyBatch {
			select {
			case l, ok := <-lines:
				if !ok {
					break more
				}
				texts = append(texts, l)
			default:
				break more
			}
		}
		preds, err := m.ClassifyBatch(cmd.Context(), texts)
		if err != nil {
			return err
		}
		for i, p := range preds {
			c := p.Candidates
			if c == nil {
				c = []message.Candidate{}
			}
			if err := enc.Encode(classifyLine{Text: texts[i], Intent: p.Intent, Confidence: p.Confidence, Candidates: c}); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	// The channel is closed after readErr is set.
	return readErr
}

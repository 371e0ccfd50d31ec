package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the frontdesk command line in-process and returns stdout, stderr and the error.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

// TestTrainEvalClassify trains the example model through the CLI, evaluates it with an HTML
// report, and classifies lines from stdin, all through ONNX Runtime.
func TestTrainEvalClassify(t *testing.T) {
	examples := filepath.Join("..", "..", "examples", "intents", "train.csv")
	model := t.TempDir()
	out, stderr, err := runCLI(t, "", "train", "--data", examples, "--out", model, "--buckets", "16384", "--members", "2")
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "validation") || !strings.Contains(stderr, "100%") {
		t.Errorf("train printed no summary or progress:\n%s\n%s", out, stderr)
	}

	html := filepath.Join(t.TempDir(), "report.html")
	out, stderr, err = runCLI(t, "", "eval", "--model", model, "--data", examples, "--html", html, "--json")
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	var metrics struct {
		Accuracy  float64 `json:"accuracy"`
		OOSRecall float64 `json:"oos_recall"`
		Labels    []string
	}
	if err := json.Unmarshal([]byte(out), &metrics); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	// Evaluated on its own training data, the model must be nearly perfect.
	if metrics.Accuracy < 0.9 || metrics.OOSRecall < 0.8 || len(metrics.Labels) < 21 {
		t.Errorf("eval on training data: %+v", metrics)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<svg")) || bytes.Contains(page, []byte("http://cdn")) || bytes.Contains(page, []byte("<script src")) {
		t.Error("HTML report lacks its inline heat map or fetches something")
	}

	out, stderr, err = runCLI(t, "my card was stolen\n\nwhat's the capital of peru\n", "classify", "--model", model)
	if err != nil {
		t.Fatalf("classify: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("classify: %d lines, want 3:\n%s", len(lines), out)
	}
	want := []string{"card_lost_stolen", "unknown", "unknown"}
	for i, line := range lines {
		var got struct {
			Text       string
			Intent     string
			Confidence float64
			Candidates []struct{ Intent string }
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, line)
		}
		if got.Intent != want[i] {
			t.Errorf("line %d: intent %s, want %s", i, got.Intent, want[i])
		}
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		file, data, want string
	}{
		{"nolabel.csv", "text,comment\nhello,x\n", "nolabel.csv:1: CSV header"},
		{"single.csv", "text,intent\na,x\nb,x\nc,y\n", `label "y" has one example (line 4)`},
		{"onelabel.csv", "text,intent\na,x\nb,x\n", "1 label"},
		{"bad.jsonl", "{\"text\":\"a\",\"intent\":\"x\"}\n[1,2]\n", "bad.jsonl:2:"},
	} {
		_, _, err := runCLI(t, "", "train", "--data", write(tc.file, tc.data), "--out", filepath.Join(dir, "out"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.file, err, tc.want)
		}
	}
	if _, _, err := runCLI(t, "", "eval", "--model", filepath.Join(dir, "missing"), "--data", write("ok.csv", "text,intent\na,x\n")); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("eval of a missing model: %v", err)
	}
}

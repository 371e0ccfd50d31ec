package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGraphLayout runs the Studio's layout code (static/graph.js) in node on the graphs of
// the example policies, as the editor draws them.
func TestGraphLayout(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed (make browser installs it)")
		}
		t.Skip("node is not installed; run make browser")
	}
	h := newServer(t)
	type named struct {
		Name   string `json:"name"`
		Policy any    `json:"policy"`
	}
	var graphs []named
	for _, path := range examplePolicies(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(DecodeRequest{Body: string(data)})
		code, out := post(t, h, DecodePath, testToken, string(body))
		if code != 200 {
			t.Fatalf("%s: %d %v", path, code, out)
		}
		graphs = append(graphs, named{Name: filepath.Base(path), Policy: out["policy"]})
	}
	in, _ := json.Marshal(graphs)
	cmd := exec.Command(node, filepath.Join("testdata", "layout.mjs"))
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Logf("%s", out)
}

package intent

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// WriteBundle writes the trained model to dir: model.onnx and manifest.json. The manifest is
// written last, and each file is written to a temporary name and renamed, so a reader never
// sees a manifest that does not match its graph.
func WriteBundle(dir string, t *Trained) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	graph, err := ExportONNX(t.Weights)
	if err != nil {
		return fmt.Errorf("intent: exporting ONNX: %w", err)
	}
	sum := sha256.Sum256(graph)
	t.Manifest.ModelSHA256 = hex.EncodeToString(sum[:])
	t.Manifest.Model.Opset = Opset
	if err := writeAtomic(filepath.Join(dir, ModelFile), graph); err != nil {
		return err
	}
	return WriteManifest(dir, &t.Manifest)
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// CheckModelFile verifies that dir/model.onnx is the graph the manifest was written for.
func CheckModelFile(dir string, m *Manifest) ([]byte, error) {
	path := filepath.Join(dir, ModelFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != m.ModelSHA256 {
		return nil, fmt.Errorf("%w: %s: sha256 %s does not match the manifest's %s (corrupt file, or a graph from another training run)", ErrBundle, path, got, m.ModelSHA256)
	}
	return b, nil
}

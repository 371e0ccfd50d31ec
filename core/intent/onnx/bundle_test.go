package onnx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

// copyBundle copies the example bundle into a fresh directory the test may damage.
func copyBundle(t *testing.T) string {
	t.Helper()
	src := exampleBundle(t)
	dst := t.TempDir()
	for _, name := range []string{intent.ModelFile, intent.ManifestFile} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func editManifest(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, intent.ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadBadBundle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, dir string)
		wantErr string
	}{
		{"missing manifest", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, intent.ManifestFile)) }, "manifest.json"},
		{"manifest not JSON", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, intent.ManifestFile), []byte("{"), 0o644)
		}, "manifest.json"},
		{"future version", func(t *testing.T, dir string) { editManifest(t, dir, func(m map[string]any) { m["version"] = 99 }) }, "version 99"},
		{"bad featurizer", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["featurizer"].(map[string]any)["buckets"] = 0 })
		}, "buckets"},
		{"corrupt model", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, intent.ModelFile), []byte("not a model"), 0o644)
		}, "does not match the manifest"},
		{"corrupt model, manifest updated", func(t *testing.T, dir string) {
			junk := []byte("\x08\x08\x12\x03bad graph")
			os.WriteFile(filepath.Join(dir, intent.ModelFile), junk, 0o644)
			sum := sha256.Sum256(junk)
			editManifest(t, dir, func(m map[string]any) { m["model_sha256"] = hex.EncodeToString(sum[:]) })
		}, "ONNX Runtime refused the graph"},
		{"labels do not match graph", func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["labels"] = []string{"a", "b", "c"}; delete(m, "oos_label") })
		}, "graph does not match manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyBundle(t)
			tc.damage(t, dir)
			m, err := Load(dir)
			if err == nil {
				m.Close()
				t.Fatal("Load accepted a damaged bundle")
			}
			if !errors.Is(err, intent.ErrBundle) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q, want ErrBundle mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestReloadable(t *testing.T) {
	dir := copyBundle(t)
	r, err := intent.NewReloadable(func() (intent.Model, error) { return Load(dir) })
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	const text = "someone stole my card"
	if p, _ := r.Classify(ctx, text); p.Intent != "card_lost_stolen" {
		t.Fatalf("before reload: %+v", p)
	}
	// A retrained bundle: here the same graph with a threshold nothing passes.
	editManifest(t, dir, func(m map[string]any) { m["threshold"] = 1.0 })
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if p, _ := r.Classify(ctx, text); p.Intent != intent.Unknown || len(p.Candidates) == 0 || p.Candidates[0].Intent != "card_lost_stolen" {
		t.Fatalf("after reload: %+v, want unknown with card_lost_stolen first among candidates", p)
	}
	// A broken bundle is refused and the current model keeps serving.
	os.WriteFile(filepath.Join(dir, intent.ModelFile), []byte("garbage"), 0o644)
	if err := r.Reload(); err == nil {
		t.Fatal("Reload accepted a corrupt bundle")
	}
	if p, err := r.Classify(ctx, text); err != nil || p.Intent != intent.Unknown {
		t.Fatalf("after failed reload: %+v, %v", p, err)
	}
}

func TestLibraryPathEnv(t *testing.T) {
	t.Setenv(EnvLibrary, "/nonexistent/libonnxruntime.so.1")
	p, err := LibraryPath()
	if err != nil || p != "/nonexistent/libonnxruntime.so.1" {
		t.Fatalf("LibraryPath() = %q, %v", p, err)
	}
}

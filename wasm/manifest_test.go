package wasm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseManifest(t *testing.T) {
	mods, err := ParseManifest("policies/executors.yaml", []byte(`
executors:
  - name: fee
    path: fee.wasm
    sha256: 00ff
    pool_size: 4
    max_calls: 1000
    timeout: 50ms
    memory_pages: 256
  - name: abs
    path: /opt/x.wasm
    sha256: 11
    mode: json
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 2 || mods[0].Path != filepath.Join("policies", "fee.wasm") || mods[1].Path != "/opt/x.wasm" {
		t.Fatalf("paths: %+v", mods)
	}
	if mods[0].PoolSize != 4 || mods[0].MaxCalls != 1000 || mods[0].Timeout != 50*time.Millisecond || mods[0].MemoryPages != 256 || mods[1].Mode != ModeJSON {
		t.Fatalf("fields: %+v", mods[0])
	}
}

func TestParseManifestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown field", "executors:\n  - name: a\n    path: a.wasm\n    sha256: 00\n    pool: 3\n", "m.yaml:5:"},
		{"wrong type", "executors:\n  - name: a\n    path: a.wasm\n    sha256: 00\n    pool_size: many\n", "m.yaml:5:"},
		{"no pin", "executors:\n  - name: a\n    path: a.wasm\n", "sha256 pin missing"},
		{"no name", "executors:\n  - path: a.wasm\n    sha256: 00\n", "name missing"},
		{"duplicate", "executors:\n  - {name: a, path: a.wasm, sha256: 00}\n  - {name: a, path: b.wasm, sha256: 00}\n", "already declared"},
		{"bad mode", "executors:\n  - {name: a, path: a.wasm, sha256: 00, mode: xml}\n", "not typed or json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest("m.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "m.yaml") {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestLoadManifestRunsModules(t *testing.T) {
	dir := t.TempDir()
	code := watModule(t, "decide")
	if err := os.WriteFile(filepath.Join(dir, "decide.wasm"), code, 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, "executors.yaml")
	if err := os.WriteFile(manifest, []byte("executors:\n  - name: decide\n    path: decide.wasm\n    sha256: "+sha(code)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mods, err := LoadManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	h := newHost(t, Config{Modules: mods})
	if _, ok := h.Executor("decide"); !ok {
		t.Fatal("decide not loaded")
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("executors:\n  - {name: a, path: a.wasm, sha256: 00, timeout: 1s}\n"))
	f.Add([]byte("executors: [{name: a}]"))
	f.Add([]byte("executors: 3"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mods, err := ParseManifest("f.yaml", data)
		if err != nil {
			return
		}
		for _, m := range mods {
			if m.Name == "" || m.SHA256 == "" || m.Path == "" {
				t.Fatalf("accepted an incomplete declaration: %+v", m)
			}
		}
	})
}

func FuzzDecodeInput(f *testing.F) {
	f.Add([]byte(`{"data":{"fee":7.5,"minutes_since_booking":3,"driver_late":false}}`))
	f.Add([]byte(`{"node":"n","data":{"x":[1,2,{"a":null}]},"hydrations":{"t":[]}}`))
	f.Add([]byte(`{"data":{}} trailing`))
	f.Add([]byte(`{"dat":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeInput(data)
		if err != nil {
			return
		}
		req := in.Request()
		for i := 1; i < len(req.Args); i++ {
			if req.Args[i-1].Name >= req.Args[i].Name {
				t.Fatalf("args not sorted: %v", req.Args)
			}
		}
		if _, err := encodeInput(req); err != nil {
			t.Fatalf("decoded input does not encode: %v", err)
		}
	})
}

func TestDecodeInputErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\n  \"data\": {\"fee\": 1,}\n}", "line 2"},
		{`{"dat": {}}`, "unknown field"},
		{`{"data": {}} {}`, "after the JSON object"},
		{`{"data": []}`, "line 1"},
	} {
		if _, err := DecodeInput([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

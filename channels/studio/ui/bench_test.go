package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkConvert measures the editor's round trip of change-address through the server:
// YAML to JSON when a draft opens, JSON to YAML on every edit (validation and save).
func BenchmarkConvert(b *testing.B) {
	h := newServer(b)
	var body []byte
	for _, p := range examplePolicies(b) {
		if filepath.Base(p) == "change-address.yaml" {
			var err error
			if body, err = os.ReadFile(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	decodeReq, _ := json.Marshal(DecodeRequest{Body: string(body)})
	_, out := post(b, h, DecodePath, testToken, string(decodeReq))
	encodeReq, _ := json.Marshal(map[string]any{"policy": out["policy"]})
	for _, c := range []struct{ name, path, body string }{
		{"decode", DecodePath, string(decodeReq)},
		{"encode", EncodePath, string(encodeReq)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if code, out := post(b, h, c.path, testToken, c.body); code != 200 {
					b.Fatal(code, out)
				}
			}
		})
	}
}

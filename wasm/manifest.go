package wasm

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/token"
)

// Manifest is a file of executor declarations, kept next to the policies that use them or
// written by `make wasm` beside the modules it builds:
//
//	executors:
//	  - name: cancellation_fee_eligible
//	    path: cancellation_fee_eligible.wasm   # relative to this file
//	    sha256: 4f1c...                        # required
//	    pool_size: 4
//	    timeout: 50ms
type Manifest struct {
	Executors []ModuleConfig `yaml:"executors"`
}

// MaxManifestSize is the largest manifest LoadManifest reads.
const MaxManifestSize = 1 << 20

// LoadManifest reads a manifest; relative module paths are resolved against its folder.
func LoadManifest(path string) ([]ModuleConfig, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxManifestSize {
		return nil, fmt.Errorf("%s: manifest is %d bytes, more than the limit of %d", path, info.Size(), MaxManifestSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseManifest(path, data)
}

// ParseManifest decodes a manifest strictly: unknown fields, duplicate keys, wrong types and
// declarations missing a name, path or sha256 are errors with the file and line.
func ParseManifest(path string, data []byte) ([]ModuleConfig, error) {
	if len(data) > MaxManifestSize {
		return nil, fmt.Errorf("%s: manifest is %d bytes, more than the limit of %d", path, len(data), MaxManifestSize)
	}
	m, err := decodeManifest(data)
	if err != nil {
		return nil, manifestError(path, err)
	}
	dir := filepath.Dir(path)
	seen := map[string]int{}
	for i := range m.Executors {
		mc := &m.Executors[i]
		if err := mc.validate(); err != nil {
			return nil, fmt.Errorf("%s: executors[%d]: %v", path, i, strings.TrimPrefix(err.Error(), "wasm: "))
		}
		if j, dup := seen[mc.Name]; dup {
			return nil, fmt.Errorf("%s: executors[%d]: name %q already declared by executors[%d]", path, i, mc.Name, j)
		}
		seen[mc.Name] = i
		if !filepath.IsAbs(mc.Path) {
			mc.Path = filepath.Join(dir, mc.Path)
		}
	}
	return m.Executors, nil
}

// decodeManifest decodes the YAML. The decoder panics on some malformed input (a tag on a
// value where a list belongs, found by FuzzParseManifest); that becomes an error.
func decodeManifest(data []byte) (m Manifest, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML: %v", r)
		}
	}()
	err = yaml.UnmarshalWithOptions(data, &m, yaml.Strict(), yaml.DisallowUnknownField())
	return m, err
}

// manifestError adds the line and column of a decoding error.
func manifestError(path string, err error) error {
	var te interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &te) {
		if tk := te.GetToken(); tk != nil && tk.Position != nil {
			return fmt.Errorf("%s:%d:%d: %s", path, tk.Position.Line, tk.Position.Column, te.GetMessage())
		}
		return fmt.Errorf("%s: %s", path, te.GetMessage())
	}
	return fmt.Errorf("%s: %v", path, err)
}

package policytest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Load reads the policies and test files at path: a folder (every policy and every
// NAME.test.yaml in it), or one policy file (with its NAME.test.yaml beside it, and the other
// policies of its folder so that `call` nodes resolve).
func Load(path string, env policy.Env) (*policy.Set, []*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	dir, only := path, ""
	if !info.IsDir() {
		dir, only = filepath.Dir(path), path
	}
	set, err := policy.LoadDir(dir, env)
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var files []*File
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !policy.IsTestFile(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if only != "" && testFileFor(only) != p {
			continue
		}
		f, err := ReadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no test files (NAME.test.yaml beside NAME.yaml)", path)
	}
	return set, files, nil
}

// testFileFor returns the test file path of a policy file.
func testFileFor(policyPath string) string {
	ext := filepath.Ext(policyPath)
	return strings.TrimSuffix(policyPath, ext) + ".test" + ext
}

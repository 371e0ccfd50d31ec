package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
)

// startProfile profiles the CPU into dir/run-R-CASE.pprof until the returned stop is called;
// nothing when dir is empty. The profile shows where a case's time goes (go tool pprof).
func startProfile(dir string, run int, name string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("run-%d-%s.pprof", run, strings.ReplaceAll(name, " ", "-"))))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// Package onnx runs intent model bundles with ONNX Runtime (onnxruntime_go): the one inference
// path of frontdesk. Load a bundle written by intent.WriteBundle and use the *Model as the
// router's intent.Classifier.
package onnx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// EnvLibrary names the environment variable that overrides where the ONNX Runtime shared
// library is found.
const EnvLibrary = "FRONTDESK_ONNXRUNTIME_LIB"

// RuntimeVersion is the ONNX Runtime release onnxruntime_go v1.27.0 is built against.
const RuntimeVersion = "1.24.1"

// libraryRel is where `make onnxruntime` puts the library, relative to the repository root.
var libraryRel = filepath.Join("build", "onnxruntime", "libonnxruntime.so.1")

// ErrRuntime reports that ONNX Runtime could not be loaded.
var ErrRuntime = errors.New("onnx: ONNX Runtime unavailable")

var (
	initOnce sync.Once
	initErr  error
)

// LibraryPath returns the ONNX Runtime library to load: $FRONTDESK_ONNXRUNTIME_LIB when set,
// else build/onnxruntime/libonnxruntime.so.1 under the first directory holding go.mod above the
// working directory, else the same path beside the executable (build/bin/../onnxruntime).
func LibraryPath() (string, error) {
	if p := os.Getenv(EnvLibrary); p != "" {
		return p, nil
	}
	var tried []string
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				p := filepath.Join(dir, libraryRel)
				tried = append(tried, p)
				if _, err := os.Stat(p); err == nil {
					return p, nil
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "..", "onnxruntime", "libonnxruntime.so.1")
		tried = append(tried, p)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: library not found (looked at %v); run `make onnxruntime` in the frontdesk repository or set %s to libonnxruntime.so.1 of ONNX Runtime %s", ErrRuntime, tried, EnvLibrary, RuntimeVersion)
}

// initRuntime loads the library and creates the process's ONNX Runtime environment, once.
func initRuntime() error {
	initOnce.Do(func() {
		path, err := LibraryPath()
		if err != nil {
			initErr = err
			return
		}
		if _, err := os.Stat(path); err != nil {
			initErr = fmt.Errorf("%w: %v; run `make onnxruntime` or set %s", ErrRuntime, err, EnvLibrary)
			return
		}
		ort.SetSharedLibraryPath(path)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			initErr = fmt.Errorf("%w: loading %s: %v; it must be ONNX Runtime %s: run `make onnxruntime` or set %s", ErrRuntime, path, err, RuntimeVersion, EnvLibrary)
			return
		}
		if v := ort.GetVersion(); v != RuntimeVersion {
			initErr = fmt.Errorf("%w: %s is ONNX Runtime %s, want %s: run `make onnxruntime` or set %s", ErrRuntime, path, v, RuntimeVersion, EnvLibrary)
		}
	})
	return initErr
}

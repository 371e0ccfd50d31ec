package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const page = `<!doctype html><html lang="en"><title>t</title>
<label for="n">Name</label><input id="n"><button id="b">Greet</button><p role="status" id="s"></p>
<script>document.getElementById('b').onclick = () => {
  document.getElementById('s').textContent = 'Hello, ' + document.getElementById('n').value; };</script>`

func server(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunDrivesChromium(t *testing.T) {
	Run(t, "testdata/form.mjs", map[string]string{"BASE_URL": server(t)})
	tools := Require(t)
	shot := filepath.Join(tools.Root, "build", "artifacts", t.Name(), "form.png")
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("screenshot %s missing: %v", shot, err)
	}
}

// fatalRecorder stands in for the test given to Run, recording the failure Run reports.
type fatalRecorder struct {
	testing.TB
	failure string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.failure = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestRunFailsWithScriptOutput(t *testing.T) {
	root := Require(t).Root // skip here, not inside the goroutine below
	base := server(t)
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(rec, "testdata/fails.mjs", map[string]string{"BASE_URL": base})
	}()
	<-done
	if !strings.Contains(rec.failure, "expected failure from fails.mjs") {
		t.Fatalf("Run reported %q, want the script's error", rec.failure)
	}
	shot := filepath.Join(root, "build", "artifacts", t.Name(), "failure.png")
	if _, err := os.Stat(shot); err != nil {
		t.Fatalf("failure screenshot missing: %v", err)
	}
}

package voicetest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// Quiet is a logger that discards, for channels under test.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Voice returns the voice presentation of a channel on the stack's router.
func (s *Stack) Voice(t testing.TB, channel string) *voice.Voice {
	t.Helper()
	v, err := voice.New(voice.Config{Channel: channel, Sessions: s.Sessions, Handle: s.Handle, HandOff: s.Router.HandOff})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Serve serves the routes mount adds on a loopback port until the test ends, and returns
// the base URL.
func Serve(t testing.TB, mount func(*httpserver.Server)) string {
	t.Helper()
	srv := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), Quiet)
	mount(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

// Do sends a JSON request with the headers and returns the status and body.
func Do(t testing.TB, method, url, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// Golden reads a file under testdata.
func Golden(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

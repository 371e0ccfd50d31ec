package httpserver

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
)

func serve(t *testing.T, s *Server, method, path string) (int, string) {
	t.Helper()
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(path)
	s.Handler()(&ctx)
	return ctx.Response.StatusCode(), string(ctx.Response.Body())
}

func TestRoutesExactThenLongestPrefix(t *testing.T) {
	s := New(Config{}, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	answer := func(name string) fasthttp.RequestHandler {
		return func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString(name) }
	}
	s.Handle("GET", "/v1/flows", answer("exact"))
	s.HandlePrefix("GET", "/v1/flows/", answer("flows"))
	s.HandlePrefix("GET", "/v1/flows/archive/", answer("archive"))
	s.HandlePrefix("POST", "/v1/", answer("v1"))
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/v1/flows", 200, "exact"},
		{"GET", "/v1/flows/abc/screen", 200, "flows"},
		{"GET", "/v1/flows/archive/7", 200, "archive"},
		{"POST", "/v1/anything", 200, "v1"},
		{"GET", "/v1/anything", 405, ""},
		{"GET", "/v2/flows", 404, ""},
	} {
		status, body := serve(t, s, tc.method, tc.path)
		if status != tc.status {
			t.Errorf("%s %s: status %d, want %d (%s)", tc.method, tc.path, status, tc.status, body)
			continue
		}
		if tc.body != "" && body != tc.body {
			t.Errorf("%s %s: routed to %q, want %q", tc.method, tc.path, body, tc.body)
		}
		if status >= 400 {
			var e ErrorBody
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" {
				t.Errorf("%s %s: error body %q is not the JSON error shape", tc.method, tc.path, body)
			}
		}
	}
}

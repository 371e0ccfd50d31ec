package httpserver

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
)

func TestHandleFS(t *testing.T) {
	s := New(Config{}, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.HandleFS("/page", fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><title>t</title>")},
		"app.js":     {Data: []byte("export {}")},
		"img/x.svg":  {Data: []byte("<svg/>")},
	})
	h := s.Handler()
	get := func(path, etag string) *fasthttp.RequestCtx {
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetMethod("GET")
		ctx.Request.SetRequestURI(path)
		if etag != "" {
			ctx.Request.Header.Set("If-None-Match", etag)
		}
		h(&ctx)
		return &ctx
	}
	for path, want := range map[string]string{
		"/page": "text/html", "/page/": "text/html", "/page/app.js": "javascript", "/page/img/x.svg": "image/svg+xml",
	} {
		ctx := get(path, "")
		if ctx.Response.StatusCode() != 200 || !strings.Contains(string(ctx.Response.Header.ContentType()), want) {
			t.Errorf("%s: %d %s", path, ctx.Response.StatusCode(), ctx.Response.Header.ContentType())
		}
		if len(ctx.Response.Header.Peek("Content-Security-Policy")) == 0 {
			t.Errorf("%s: no content security policy", path)
		}
	}
	etag := string(get("/page/app.js", "").Response.Header.Peek("ETag"))
	if got := get("/page/app.js", etag).Response.StatusCode(); got != fasthttp.StatusNotModified {
		t.Errorf("revalidation: %d", got)
	}
	if got := &get("/page/missing.js", "").Response; got.StatusCode() != 404 || !strings.Contains(string(got.Body()), "not_found") {
		t.Errorf("missing file: %d %s", got.StatusCode(), got.Body())
	}
}

package httpserver

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/valyala/fasthttp"
)

// staticFile is one embedded file, read once at mount.
type staticFile struct {
	body        []byte
	contentType string
	etag        string
}

// HandleFS serves the files of fsys (an embedded folder of a browser page) under root: GET
// root answers index.html, GET root/NAME the file NAME. Files are read once here, so a
// missing index.html is a wiring mistake that panics at start. Responses carry an ETag and a
// content security policy that allows only the page's own scripts, styles and API calls.
func (s *Server) HandleFS(root string, fsys fs.FS) {
	files := map[string]staticFile{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		files[name] = staticFile{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("httpserver: static files for %s: %v", root, err))
	}
	index, ok := files["index.html"]
	if !ok {
		panic("httpserver: static files for " + root + " have no index.html")
	}
	s.Handle("GET", root, func(ctx *fasthttp.RequestCtx) { serveStatic(ctx, index) })
	s.HandlePrefix("GET", root+"/", func(ctx *fasthttp.RequestCtx) {
		name := strings.TrimPrefix(string(ctx.Path()), root+"/")
		if name == "" {
			name = "index.html"
		}
		f, ok := files[name]
		if !ok {
			WriteError(ctx, fasthttp.StatusNotFound, "not_found", "no such file: "+string(ctx.Path()))
			return
		}
		serveStatic(ctx, f)
	})
}

func serveStatic(ctx *fasthttp.RequestCtx, f staticFile) {
	h := &ctx.Response.Header
	h.Set("ETag", f.etag)
	// Revalidate on every load: the files change with the binary, and the check is cheap.
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")
	if string(ctx.Request.Header.Peek("If-None-Match")) == f.etag {
		ctx.SetStatusCode(fasthttp.StatusNotModified)
		return
	}
	ctx.SetContentType(f.contentType)
	ctx.SetBody(f.body)
}

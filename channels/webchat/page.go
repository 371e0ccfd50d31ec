package webchat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/valyala/fasthttp"
)

// page renders the chat page and serves the widget's files, all read once at start.
type page struct {
	tmpl   *template.Template
	assets map[string]asset
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// pageData fills widget/index.html: the session a link opened, or why it could not.
type pageData struct {
	Session    string
	ErrorTitle string
	Error      string
	ErrorCode  string
}

func newPage(files fs.FS) *page {
	p := &page{tmpl: template.Must(template.ParseFS(files, "index.html")), assets: map[string]asset{}}
	for _, name := range []string{"widget.js", "widget.css"} {
		body, err := fs.ReadFile(files, name)
		if err != nil {
			panic("webchat: embedded " + name + ": " + err.Error())
		}
		sum := sha256.Sum256(body)
		p.assets[name] = asset{body: body, contentType: mime.TypeByExtension(path.Ext(name)), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return p
}

// asset serves one of the widget's files. They are meant to be loaded by other sites' pages
// (the one script tag), so no frame or origin restriction applies to them.
func (p *page) asset(name string) fasthttp.RequestHandler {
	a := p.assets[name]
	return func(ctx *fasthttp.RequestCtx) {
		ctx.Response.Header.Set("ETag", a.etag)
		ctx.Response.Header.Set("Cache-Control", "no-cache")
		ctx.Response.Header.Set("X-Content-Type-Options", "nosniff")
		if string(ctx.Request.Header.Peek("If-None-Match")) == a.etag {
			ctx.SetStatusCode(fasthttp.StatusNotModified)
			return
		}
		ctx.SetContentType(a.contentType)
		ctx.SetBody(a.body)
	}
}

// servePage answers GET /chat. With ?key= it redeems the valet key now, so an expired,
// tampered or used link gets an error page with 401 or 403 at once, and the page carries the
// new chat's session token instead of the key; reloading the page resumes that chat.
func (c *Channel) servePage(ctx *fasthttp.RequestCtx) {
	var data pageData
	status := http.StatusOK
	if key := string(ctx.QueryArgs().Peek("key")); key != "" {
		octx, cancel := context.WithTimeout(context.Background(), turnTimeout)
		token, err := c.openByKey(octx, key)
		cancel()
		var e *entryError
		switch {
		case err == nil:
			data.Session = token
		case errors.As(err, &e):
			status, data.ErrorCode, data.Error = e.status, e.code, e.msg
			data.ErrorTitle = "This link cannot open the chat"
		default:
			c.log.Error("chat link not redeemed", "err", err)
			status, data.ErrorCode, data.Error = http.StatusInternalServerError, "internal", "the chat could not be opened; try the link again later"
			data.ErrorTitle = "The chat is not available"
		}
	}
	h := &ctx.Response.Header
	// The session token is a credential: keep it out of caches and of other sites' logs.
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	ancestors := "*"
	if len(c.cfg.AllowedOrigins) > 0 {
		ancestors = "'self' " + strings.Join(c.cfg.AllowedOrigins, " ")
	}
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data:; style-src 'self'; frame-ancestors "+ancestors)
	ctx.SetContentType("text/html; charset=utf-8")
	ctx.SetStatusCode(status)
	if err := c.page.tmpl.Execute(ctx, data); err != nil {
		c.log.Error("chat page not rendered", "err", err)
	}
}

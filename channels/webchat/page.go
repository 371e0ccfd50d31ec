package webchat

import (
	"crypto/sha256"
	"encoding/hex"
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

// pageData fills widget/index.html: why a link cannot open a chat, when it cannot.
type pageData struct {
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

// servePage answers GET /chat. With ?key= it checks the valet key's signature and expiry, so
// an expired or tampered link gets an error page with 401 at once. It does not use the key up:
// mail scanners fetch links before the customer clicks them, and must not spend a single-use
// link. The page redeems it over the socket (hello with the key), where a used link gets 403.
func (c *Channel) servePage(ctx *fasthttp.RequestCtx) {
	var data pageData
	status := http.StatusOK
	if key := string(ctx.QueryArgs().Peek("key")); key != "" {
		if _, err := c.cfg.Valet.Verify(key); err != nil {
			e := keyError(err)
			if e == nil { // Verify fails only with key errors; this keeps it so
				e = &entryError{http.StatusUnauthorized, "link_invalid", err.Error()}
			}
			status, data.ErrorCode, data.Error = e.status, e.code, e.msg
			data.ErrorTitle = "This link cannot open the chat"
		}
	}
	h := &ctx.Response.Header
	// The link's key is a credential: keep the page out of caches and other sites' logs.
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

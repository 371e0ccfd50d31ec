// Package webchat is the web chat channel: a WebSocket endpoint speaking a small JSON frame
// protocol (docs/channels/webchat.md), and the accessible widget page that speaks it, served
// at /chat and embeddable anywhere with one script tag (/chat/widget.js).
//
// A chat opens with a valet key from an email link (scoped to one case and intent) or with a
// portal JWT of a logged-in customer. Its state, the outbox of numbered messages included,
// lives in the session store under a random session token, so a client that reconnects to
// any instance gets what it missed, exactly once, and nothing lives in a handler's memory.
package webchat

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"slices"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// Paths of the channel.
const (
	PagePath   = "/chat"
	ScriptPath = "/chat/widget.js"
	StylePath  = "/chat/widget.css"
	SocketPath = "/chat/ws"
)

// Config is what the channel is built from. Handle, Sessions and Valet are required.
type Config struct {
	// Handle is the router (with its middleware).
	Handle router.Handler
	// SubmitCSAT records a satisfaction score on the conversation (router.SubmitCSAT).
	SubmitCSAT func(ctx context.Context, conversationID string, score int) error
	// Sessions keeps chat state; the same store as the router's.
	Sessions session.Store
	// Valet redeems the keys of email links.
	Valet *auth.Valet
	// JWT verifies portal tokens; nil turns portal entry off.
	JWT *auth.JWT
	// CaseCustomer, when set, finds the customer id of a valet key's case, so that the
	// policy can look the customer up in the back office.
	CaseCustomer func(ctx context.Context, caseID string) (string, error)
	// Greeting opens a portal chat, which starts without a question ("How can I help?").
	Greeting string
	// TTL is how long an idle chat can be resumed; 24 hours when zero.
	TTL time.Duration
	// AllowedOrigins may open the socket from other origins than the server's own (pages
	// that embed the widget without its iframe); same origin only when empty.
	AllowedOrigins []string
	Limits         Limits
	// Metrics registers the chat's metrics (connections, frames by type, errors by code).
	Metrics prometheus.Registerer
	Logger  *slog.Logger
}

// Limits protect the server from one connection.
type Limits struct {
	// MaxFrameBytes is the largest client frame; 16 KiB when zero.
	MaxFrameBytes int
	// Rate and Burst bound client frames per second per connection (5 and 20 when zero):
	// a flood is answered with an error frame and the connection is closed (1008).
	Rate  float64
	Burst int
	// Idle closes a connection that sent nothing, pings included, for this long; 2 minutes.
	Idle time.Duration
	// Hello closes a connection that opened no chat for this long; 10 seconds.
	Hello time.Duration
}

func (l *Limits) defaults() {
	if l.MaxFrameBytes == 0 {
		l.MaxFrameBytes = 16 << 10
	}
	if l.Rate == 0 {
		l.Rate = 5
	}
	if l.Burst == 0 {
		l.Burst = 20
	}
	if l.Idle == 0 {
		l.Idle = 2 * time.Minute
	}
	if l.Hello == 0 {
		l.Hello = 10 * time.Second
	}
}

// Channel serves the widget and its WebSocket.
type Channel struct {
	cfg      Config
	chats    chats
	log      *slog.Logger
	upgrader websocket.FastHTTPUpgrader
	page     *page
	metrics  *metrics
}

//go:embed widget
var widgetFiles embed.FS

// New builds the channel.
func New(cfg Config) *Channel {
	cfg.Limits.defaults()
	if cfg.TTL == 0 {
		cfg.TTL = 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Greeting == "" {
		cfg.Greeting = "Hello! How can I help you today?"
	}
	c := &Channel{cfg: cfg, chats: chats{store: cfg.Sessions, ttl: cfg.TTL}, log: cfg.Logger, metrics: newMetrics(cfg.Metrics)}
	c.upgrader = websocket.FastHTTPUpgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		CheckOrigin:     c.checkOrigin,
		Error: func(ctx *fasthttp.RequestCtx, status int, reason error) {
			httpserver.WriteError(ctx, status, "websocket", reason.Error())
		},
	}
	files, _ := fs.Sub(widgetFiles, "widget")
	c.page = newPage(files)
	return c
}

// Mount adds the page, the script and the socket to the server.
func (c *Channel) Mount(s *httpserver.Server) {
	s.Handle("GET", PagePath, c.servePage)
	s.Handle("GET", ScriptPath, c.page.asset("widget.js"))
	s.Handle("GET", StylePath, c.page.asset("widget.css"))
	s.Handle("GET", SocketPath, c.serveSocket)
}

func (c *Channel) checkOrigin(ctx *fasthttp.RequestCtx) bool {
	origin := string(ctx.Request.Header.Peek("Origin"))
	if origin == "" {
		return true // not a browser: a browser always sends Origin on a WebSocket
	}
	if slices.Contains(c.cfg.AllowedOrigins, origin) {
		return true
	}
	scheme := "http://"
	if ctx.IsTLS() || string(ctx.Request.Header.Peek("X-Forwarded-Proto")) == "https" {
		scheme = "https://"
	}
	return origin == scheme+string(ctx.Host())
}

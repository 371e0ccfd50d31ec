// Package httpserver is the one fasthttp server that every HTTP channel and the admin API
// mount their routes on: JSON errors, body-size limits, request ids, per-route metrics, health
// and Prometheus endpoints, and graceful shutdown.
package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// Config sets the server's limits.
type Config struct {
	// MaxBodyBytes is the largest request body accepted; 1 MiB when zero.
	MaxBodyBytes int
	// ReadTimeout and WriteTimeout bound slow clients; 15 s when zero.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
}

// route is one mounted handler with its body limit.
type route struct {
	handle  fasthttp.RequestHandler
	maxBody int
}

// Server routes requests by method and exact path, then by the longest mounted prefix.
type Server struct {
	cfg      Config
	routes   map[string]map[string]route
	prefixes []string
	log      *slog.Logger
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	srv      *fasthttp.Server
	ready    func() error
}

// New returns a server with /healthz and /metrics mounted. Metrics of the whole process are
// registered with reg.
func New(cfg Config, reg *prometheus.Registry, log *slog.Logger) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 15 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 15 * time.Second
	}
	s := &Server{cfg: cfg, routes: map[string]map[string]route{}, log: log, reg: reg}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "frontdesk", Name: "http_requests_total", Help: "HTTP requests by route and status.",
	}, []string{"route", "status"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "frontdesk", Name: "http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12),
	}, []string{"route"})
	reg.MustRegister(s.requests, s.latency)
	metrics := fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.Handle("GET", "/metrics", metrics)
	s.Handle("GET", "/healthz", s.health)
	return s
}

// SetReadiness sets a check /healthz runs; a failing check answers 503.
func (s *Server) SetReadiness(check func() error) { s.ready = check }

// Handle mounts a handler whose bodies are limited by Config.MaxBodyBytes. Mounting the same
// method and path twice panics: it is a wiring mistake found at start.
func (s *Server) Handle(method, path string, h fasthttp.RequestHandler) {
	s.HandleLimit(method, path, s.cfg.MaxBodyBytes, h)
}

// HandleLimit mounts a handler with its own body limit, such as an upload of a module.
func (s *Server) HandleLimit(method, path string, maxBody int, h fasthttp.RequestHandler) {
	if s.routes[path] == nil {
		s.routes[path] = map[string]route{}
	}
	if _, dup := s.routes[path][method]; dup {
		panic("httpserver: route mounted twice: " + method + " " + path)
	}
	s.routes[path][method] = route{handle: h, maxBody: maxBody}
}

// HandlePrefix mounts a handler for every path under prefix (which should end in "/"), for
// routes that carry ids in the path, such as /v1/inapp/flows/{id}/input. An exact route
// wins over a prefix and a longer prefix over a shorter one; the handler reads the rest of
// the path itself. Metrics label such requests with the prefix, never with the ids.
func (s *Server) HandlePrefix(method, prefix string, h fasthttp.RequestHandler) {
	s.HandlePrefixLimit(method, prefix, s.cfg.MaxBodyBytes, h)
}

// HandlePrefixLimit is HandlePrefix with the route's own body limit.
func (s *Server) HandlePrefixLimit(method, prefix string, maxBody int, h fasthttp.RequestHandler) {
	if _, known := s.routes[prefix]; !known {
		s.prefixes = append(s.prefixes, prefix)
		slices.SortFunc(s.prefixes, func(a, b string) int { return len(b) - len(a) })
	}
	s.HandleLimit(method, prefix, maxBody, h)
}

// match finds the routes of a path: its exact routes, else those of its longest prefix. The
// label names the route in metrics.
func (s *Server) match(path string) (methods map[string]route, label string, ok bool) {
	if methods, ok := s.routes[path]; ok && !slices.Contains(s.prefixes, path) {
		return methods, path, true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(path, p) {
			return s.routes[p], p + "*", true
		}
	}
	return nil, "", false
}

// maxBody is the largest body any route accepts: the server reads no more than that.
func (s *Server) maxBody() int {
	limit := s.cfg.MaxBodyBytes
	for _, methods := range s.routes {
		for _, r := range methods {
			limit = max(limit, r.maxBody)
		}
	}
	return limit
}

func (s *Server) health(ctx *fasthttp.RequestCtx) {
	if s.ready != nil {
		if err := s.ready(); err != nil {
			WriteError(ctx, fasthttp.StatusServiceUnavailable, "not_ready", err.Error())
			return
		}
	}
	WriteJSON(ctx, fasthttp.StatusOK, map[string]string{"status": "ok"})
}

// Handler returns the server's root handler, for tests and for serving on a listener of the
// caller's.
func (s *Server) Handler() fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		start := time.Now()
		id := string(ctx.Request.Header.Peek("X-Request-Id"))
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		ctx.SetUserValue(requestIDKey, id)
		ctx.Response.Header.Set("X-Request-Id", id)
		path := string(ctx.Path())
		methods, label, ok := s.match(path)
		r, allowed := methods[string(ctx.Method())]
		switch {
		case !ok:
			label = "unmatched"
			WriteError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+path)
		case !allowed:
			WriteError(ctx, fasthttp.StatusMethodNotAllowed, "method_not_allowed", string(ctx.Method())+" is not allowed on "+path)
		case len(ctx.PostBody()) > r.maxBody:
			WriteError(ctx, fasthttp.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than "+strconv.Itoa(r.maxBody)+" bytes")
		default:
			r.handle(ctx)
		}
		s.requests.WithLabelValues(label, strconv.Itoa(ctx.Response.StatusCode())).Inc()
		s.latency.WithLabelValues(label).Observe(time.Since(start).Seconds())
	}
}

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.srv = &fasthttp.Server{
		Handler:            s.Handler(),
		MaxRequestBodySize: s.maxBody(),
		ReadTimeout:        s.cfg.ReadTimeout,
		WriteTimeout:       s.cfg.WriteTimeout,
		Name:               "frontdesk",
		// Parse errors (an oversized or malformed request) get a JSON body like any other error.
		ErrorHandler: func(ctx *fasthttp.RequestCtx, err error) {
			if errors.Is(err, fasthttp.ErrBodyTooLarge) {
				WriteError(ctx, fasthttp.StatusRequestEntityTooLarge, "body_too_large",
					"the request body is larger than "+strconv.Itoa(s.maxBody())+" bytes")
				return
			}
			WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		},
		Logger: fasthttpLogger{s.log},
	}
	return s.srv.Serve(ln)
}

// Shutdown stops accepting connections and waits for requests in flight, until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.ShutdownWithContext(ctx)
}

type requestIDKeyType struct{}

var requestIDKey = requestIDKeyType{}

// RequestID returns the request's id, as set on the response's X-Request-Id.
func RequestID(ctx *fasthttp.RequestCtx) string {
	id, _ := ctx.UserValue(requestIDKey).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WriteJSON writes v as a JSON response.
func WriteJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	ctx.SetContentType("application/json")
	ctx.SetStatusCode(status)
	if err := json.NewEncoder(ctx).Encode(v); err != nil {
		ctx.ResetBody()
		ctx.SetStatusCode(fasthttp.StatusInternalServerError)
		ctx.SetBodyString(`{"error":{"code":"encoding","message":"response could not be encoded"}}`)
	}
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error     ErrorDetail `json:"error"`
	RequestID string      `json:"request_id,omitempty"`
}

// ErrorDetail says what went wrong: a stable code for programs, a message for people.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteError writes an error response with a JSON body.
func WriteError(ctx *fasthttp.RequestCtx, status int, code, msg string) {
	WriteJSON(ctx, status, ErrorBody{Error: ErrorDetail{Code: code, Message: msg}, RequestID: RequestID(ctx)})
}

type fasthttpLogger struct{ log *slog.Logger }

func (l fasthttpLogger) Printf(format string, args ...any) {
	l.log.Debug("fasthttp", "msg", format, "args", args)
}

package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/genesys"
	"github.com/frontdeskhq/frontdesk/channels/inapp"
	"github.com/frontdeskhq/frontdesk/channels/twilio"
	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/intent/onnx"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

//go:embed statement.yaml
var statementPolicy []byte

// firstText is what a first turn says; the model and the keyword rules both take it for
// statement_request.
const firstText = "I need a bank statement"

// target is the system under test, wired as frontdesk serve wires it (the router's
// middleware, the one httpserver with its metrics), with embedded sessions and no plugins:
// the in-app API on one loopback port and a bare fasthttp handler on another.
type target struct {
	inappURL, bareURL string
	// inapp is the in-app server's handler, for benchmarks without a network.
	inapp    fasthttp.RequestHandler
	router   *router.Router
	sessions *session.Memory
	servers  []func() error
}

// loadClassifier loads the ONNX model bundle in dir, or, when there is none, keyword rules;
// the second result says which, for the report.
func loadClassifier(dir string) (intent.Classifier, string, func() error) {
	if _, err := os.Stat(filepath.Join(dir, "model.onnx")); err != nil {
		return intent.Keywords{"statement_request": {"statement"}}, "keyword rules (no ONNX model in " + dir + ": make model)", func() error { return nil }
	}
	m, err := onnx.Load(dir)
	if err != nil {
		return intent.Keywords{"statement_request": {"statement"}}, "keyword rules (the ONNX model did not load: " + err.Error() + ")", func() error { return nil }
	}
	return m, "the ONNX model in " + dir, m.Close
}

func newTarget(classifier intent.Classifier) (*target, error) {
	p, src, err := policy.Parse("statement.yaml", statementPolicy)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	compiled, err := policy.Compile(p, src, policy.Env{Actions: router.BuiltinActions(log)})
	if err != nil {
		return nil, err
	}
	set, err := policy.NewSet(compiled)
	if err != nil {
		return nil, err
	}
	t := &target{sessions: session.NewMemory()}
	routing, _ := router.NewRouting("general-support", nil)
	t.router, err = router.New(router.Config{Sessions: t.sessions, Policies: set, Classifier: classifier, Routing: routing, Logger: log})
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	handle := router.Chain(t.router.Handle, router.Recoverer(log), router.NewMetrics(reg).Middleware(), router.Logging(log),
		router.Timeout(10*time.Second))
	ch, err := inapp.New(inapp.Config{Handle: handle, Flows: t.router, Token: benchToken})
	if err != nil {
		return nil, err
	}
	srv := httpserver.New(httpserver.Config{}, reg, log)
	ch.Mount(srv)
	if err := t.mountVoice(srv, handle, set.Intents, log); err != nil {
		return nil, err
	}
	t.inapp = srv.Handler()
	if t.inappURL, err = t.serve(srv.Serve, func() error { return srv.Shutdown(context.Background()) }); err != nil {
		return nil, err
	}
	bare := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		ctx.SetBody(bareBody)
	}}
	if t.bareURL, err = t.serve(bare.Serve, bare.Shutdown); err != nil {
		return nil, err
	}
	return t, nil
}

// mountVoice serves the Genesys Bot Connector and the Twilio webhook on the in-app server, as
// frontdesk serve mounts every channel on one server, with open authentication: the benchmark
// measures turns, not the check of a shared secret.
func (t *target) mountVoice(srv *httpserver.Server, handle router.Handler, intents func() []string, log *slog.Logger) error {
	for _, channel := range []string{message.ChannelGenesys, message.ChannelTwilio} {
		v, err := voice.New(voice.Config{Channel: channel, Sessions: t.sessions, Handle: handle, HandOff: t.router.HandOff})
		if err != nil {
			return err
		}
		if channel == message.ChannelGenesys {
			genesys.New(genesys.Config{}, v, intents, log).Mount(srv)
		} else {
			twilio.New(twilio.Config{}, "http://bench.invalid", v, t.sessions, log).Mount(srv)
		}
	}
	return nil
}

// benchToken is the in-app API token of the benchmark, sent as clients of a deployment do.
const benchToken = "bench-token"

var bareBody = []byte(`{"ok":true}`)

func (t *target) serve(serve func(net.Listener) error, stop func() error) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go serve(ln)
	t.servers = append(t.servers, stop)
	return ln.Addr().String(), nil
}

// flows starts n flows waiting at the policy's ask, directly on the router (setting up is
// not measured), and returns their ids.
func (t *target) flows(ctx context.Context, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench%08d", i)
		replies, err := t.router.Handle(ctx, message.Message{Channel: message.ChannelInapp, ConversationID: ids[i], Intent: "statement_request"})
		if err != nil {
			return nil, err
		}
		if len(replies) == 0 || replies[len(replies)-1].Node != "period" {
			return nil, errors.New("a flow did not stop at the ask")
		}
	}
	return ids, nil
}

func (t *target) close() {
	for _, stop := range t.servers {
		stop()
	}
	t.sessions.Close()
}

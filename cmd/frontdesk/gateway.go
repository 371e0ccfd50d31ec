package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/broadcast"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/intent/onnx"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/wasm"
)

// gateway is every part of a running frontdesk, built from the configuration.
type gateway struct {
	cfg      *config.Config
	log      *slog.Logger
	sessions session.Store
	store    *store.SQLStore
	plugins  *plugins.Host
	wasm     *wasm.Host
	model    *intent.Reloadable
	// intents is the classifier the router uses, nil when none is configured.
	intents  intent.Classifier
	policies *lifecycle.Catalog
	// studio holds what the policy lifecycle needs after start (lifecycle.go).
	studio studioState
	router *router.Router
	// handle is the router wrapped in the middleware every channel goes through.
	handle router.Handler
	valet  *auth.Valet
	// bus tells the other instances about reloads; in-process on one machine.
	bus broadcast.Bus
	// instance identifies this process in broadcasts, so it skips its own.
	instance string
	reg      *prometheus.Registry
	server   *httpserver.Server
	closers  []func() error
	// draining is set at shutdown: /healthz fails so that no new work arrives.
	draining atomic.Bool
}

// newLogger builds the process logger from the configuration.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// buildGateway starts plugins, compiles executors and policies, loads the model and mounts
// the channels. On error, what was started is stopped again.
func buildGateway(ctx context.Context, cfg *config.Config, log *slog.Logger) (g *gateway, err error) {
	built := &gateway{cfg: cfg, log: log, instance: newInstanceID()}
	g = built
	defer func() {
		// The named result is nil by now ("return nil, err"); close what was built.
		if err != nil {
			built.Close()
		}
	}()
	if err := g.openState(ctx); err != nil {
		return nil, err
	}
	if len(cfg.Plugins) > 0 {
		if g.plugins, err = plugins.Start(ctx, cfg.Plugins, log.With("part", "plugins")); err != nil {
			return nil, fmt.Errorf("plugins: %w", err)
		}
		g.closers = append(g.closers, g.plugins.Close)
	}
	if g.wasm, err = startExecutors(ctx, cfg.Executors, log.With("part", "executors")); err != nil {
		return nil, err
	}
	if g.wasm != nil {
		g.closers = append(g.closers, func() error { return g.wasm.Close(context.Background()) })
	}
	classifier, err := g.classifier()
	if err != nil {
		return nil, err
	}
	g.intents = classifier
	actions, crm, err := g.actions()
	if err != nil {
		return nil, err
	}
	var executors policy.Executors
	if g.wasm != nil {
		executors = g.wasm
	}
	env := policy.Env{Sources: g.sources(), Actions: router.BuiltinActions(log).Merge(actions), Executors: executors}
	if env.Executors == nil {
		env.Executors = policy.ExecutorMap{}
	}
	if err := g.loadPolicies(ctx, env); err != nil {
		return nil, err
	}
	routing, err := router.NewRouting(cfg.Routing.DefaultTeam, cfg.Routing.Teams)
	if err != nil {
		return nil, err
	}
	rcfg := router.Config{
		Sessions: g.sessions, Policies: g.policies, Classifier: classifier, Routing: routing,
		CRM: crm, Actions: actions, Executors: executors, ConversationTTL: cfg.Session.TTL, Logger: log,
	}
	if g.store != nil {
		rcfg.Runs = g.store
	}
	g.serveVersions(&rcfg)
	if g.router, err = router.New(rcfg); err != nil {
		return nil, err
	}
	g.reg = prometheus.NewRegistry()
	g.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	g.handle = router.Chain(g.router.Handle,
		router.Recoverer(log), router.NewMetrics(g.reg).Middleware(), router.Logging(log), router.Timeout(cfg.Limits.RequestTimeout))
	g.server = httpserver.New(httpserver.Config{MaxBodyBytes: cfg.Limits.MaxBodyBytes}, g.reg, log)
	g.server.SetReadiness(g.ready)
	g.valet = newValet(cfg.Valet, g.sessions, log)
	if err := g.mountChannels(ctx); err != nil {
		return nil, err
	}
	if err := g.followReloads(ctx); err != nil {
		return nil, err
	}
	log.Info("gateway ready", "policies", strings.Join(g.policies.Names(), ","), "intents", len(g.policies.Intents()),
		"plugins", len(cfg.Plugins), "executors", executorCount(g.wasm))
	return g, nil
}

// openState opens the session store and the durable store the configuration names: embedded
// for one machine, Redis and PostgreSQL for many instances.
func (g *gateway) openState(ctx context.Context) error {
	switch g.cfg.Session.Backend {
	case "redis":
		client, err := session.NewRedisClient(g.cfg.Session.URL)
		if err != nil {
			return fmt.Errorf("session: %w", err)
		}
		g.closers = append(g.closers, client.Close)
		g.sessions = session.NewRedis(client, g.cfg.Session.Prefix)
		g.bus = broadcast.NewRedis(client, g.cfg.Session.Prefix, g.log)
	default:
		g.sessions = session.NewMemory()
		g.bus = broadcast.NewMemory()
	}
	g.closers = append(g.closers, g.bus.Close)
	g.closers = append(g.closers, g.sessions.Close)
	target := g.cfg.Store.Path
	if g.cfg.Store.Driver == "postgres" {
		target = g.cfg.Store.URL
	}
	if target == "" {
		return nil
	}
	st, err := store.Open(ctx, target)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	g.store = st
	g.closers = append(g.closers, st.Close)
	return nil
}

// startExecutors compiles the executors of the manifest and of the module list; nil when
// there are none.
func startExecutors(ctx context.Context, cfg config.Executors, log *slog.Logger) (*wasm.Host, error) {
	modules := cfg.Modules
	if cfg.Manifest != "" {
		listed, err := wasm.LoadManifest(cfg.Manifest)
		if err != nil {
			return nil, fmt.Errorf("executors: %w (make wasm builds the example executors)", err)
		}
		modules = append(listed, modules...)
	}
	if len(modules) == 0 {
		return nil, nil
	}
	h, err := wasm.New(ctx, wasm.Config{Modules: modules, CacheDir: cfg.CacheDir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("executors: %w", err)
	}
	return h, nil
}

func executorCount(h *wasm.Host) int {
	if h == nil {
		return 0
	}
	return len(h.Names())
}

// classifier loads the ONNX model when one is configured, else keyword rules, else none.
func (g *gateway) classifier() (intent.Classifier, error) {
	switch {
	case g.cfg.Intents.Model != "":
		dir := g.cfg.Intents.Model
		r, err := intent.NewReloadable(func() (intent.Model, error) { return onnx.Load(dir) })
		if err != nil {
			return nil, fmt.Errorf("intent model %s: %w", dir, err)
		}
		g.model = r
		g.closers = append(g.closers, r.Close)
		return r, nil
	case len(g.cfg.Intents.Keywords) > 0:
		return intent.Keywords(g.cfg.Intents.Keywords), nil
	}
	g.log.Warn("no intent model or keywords configured: messages that name no intent go to the default team")
	return nil, nil
}

// actions gathers the plugins' actions and one-time codes, and the CRM for the decision log.
func (g *gateway) actions() (policy.Actions, plugin.CRM, error) {
	actions := policy.Actions{}
	var crm plugin.CRM
	if g.plugins == nil {
		return actions, nil, nil
	}
	actions = actions.Merge(g.plugins.Actions())
	if name := g.cfg.Services.CRM; name != "" {
		c, ok := g.plugins.CRM(name)
		if !ok {
			return nil, nil, fmt.Errorf("services.crm: plugin %q does not serve CRM", name)
		}
		crm = c
	}
	if name := g.cfg.Services.Messaging; name != "" {
		sms, ok := g.plugins.Messaging(name)
		if !ok {
			return nil, nil, fmt.Errorf("services.messaging: plugin %q does not serve Messaging", name)
		}
		otp := &auth.OTP{Sessions: g.sessions, Send: func(ctx context.Context, phone, text, key string) error {
			_, err := sms.SendSMS(ctx, plugin.SMS{To: phone, Body: text, IdempotencyKey: key})
			return err
		}}
		actions[auth.ActionName] = otp.Action()
	}
	return actions, crm, nil
}

func (g *gateway) sources() hydrate.Sources {
	if g.plugins == nil {
		return hydrate.Sources{}
	}
	return g.plugins.Sources()
}

// Reload loads the intent model again; the old one keeps serving if that fails.
func (g *gateway) Reload() error {
	if g.model == nil {
		return errors.New("no intent model configured")
	}
	return g.model.Reload()
}

// Close stops everything in the reverse order of starting.
func (g *gateway) Close() {
	for i := len(g.closers) - 1; i >= 0; i-- {
		if err := g.closers[i](); err != nil {
			g.log.Warn("shutdown", "err", err)
		}
	}
	g.closers = nil
}

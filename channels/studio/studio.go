// Package studio is the Policy Studio's JSON API on the admin HTTP server, under /v1/studio/:
// policies and their versions, the lifecycle with its promotion gate, test cases, simulation,
// experiments, analytics, the audit log, the executor playground and API keys. Every endpoint
// needs an API key whose role allows it; every change is written to the audit log under the
// key's owner. docs/studio-api.md is the contract.
package studio

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/admin"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Prefix is where the API is mounted.
const Prefix = "/v1/studio/"

// Config is what the API works on. Store and Keys are required.
type Config struct {
	Store store.Store
	Keys  *auth.APIKeys
	// Env compiles bodies for validation: the deployment's sources, actions and executors,
	// so that a typo in a plugin or action name shows while editing.
	Env policy.Env
	// Library returns the Live policies, which `call` nodes of a version under test reach.
	Library func() *policy.Set
	// MinCoverage and MinShadow configure the promotion gate (defaults 60% and 24 h).
	MinCoverage float64
	MinShadow   time.Duration
	// Clock is the gate's time source; time.Now when nil.
	Clock func() time.Time
	// Changed is called after every change, so that what serves is reloaded at once.
	Changed func(ctx context.Context)
	// RunExecutor runs the executor playground; nil answers 501.
	RunExecutor func(ctx context.Context, module []byte, input json.RawMessage) (any, error)
	Logger      *slog.Logger
}

// Route is one endpoint: its method, path pattern (":name" segments are parameters) and the
// role it needs.
type Route struct {
	Method  string
	Pattern string
	Role    auth.Role
	handle  func(*call)
}

// api serves the routes.
type api struct {
	cfg    Config
	routes []Route
}

// call is one request being served.
type call struct {
	ctx    *fasthttp.RequestCtx
	who    auth.Principal
	params map[string]string
}

func (c *call) param(name string) string { return c.params[name] }

// Routes lists every endpoint with the role it needs, for documentation and tests.
func Routes() []Route { return (&api{}).table() }

func (a *api) table() []Route {
	const p = "/v1/studio/policies/:policy"
	const v = p + "/versions/:version"
	return []Route{
		{"GET", "/v1/studio/me", auth.RoleViewer, a.me},
		{"GET", "/v1/studio/policies", auth.RoleViewer, a.listPolicies},
		{"POST", "/v1/studio/policies", auth.RoleAuthor, a.createPolicy},
		{"GET", p, auth.RoleViewer, a.getPolicy},
		{"PATCH", p, auth.RoleAuthor, a.patchPolicy},
		{"POST", p + "/versions", auth.RoleAuthor, a.createVersion},
		{"GET", v, auth.RoleViewer, a.getVersion},
		{"PUT", v, auth.RoleAuthor, a.updateVersion},
		{"DELETE", v, auth.RoleAuthor, a.deleteVersion},
		{"POST", v + "/shadow", auth.RoleAuthor, a.toShadow},
		{"POST", v + "/draft", auth.RoleAuthor, a.toDraft},
		{"GET", v + "/gate", auth.RoleViewer, a.gate},
		{"POST", v + "/promote", auth.RolePublisher, a.promote},
		{"POST", v + "/deploy", auth.RolePublisher, a.deploy},
		{"POST", v + "/tests/run", auth.RoleAuthor, a.runTests},
		{"POST", v + "/simulate", auth.RoleAuthor, a.simulate},
		{"POST", p + "/rollback", auth.RolePublisher, a.rollback},
		{"GET", p + "/tests", auth.RoleViewer, a.listTests},
		{"PUT", p + "/tests/:case", auth.RoleAuthor, a.putTest},
		{"DELETE", p + "/tests/:case", auth.RoleAuthor, a.deleteTest},
		{"GET", p + "/analytics", auth.RoleViewer, a.analytics},
		{"POST", "/v1/studio/validate", auth.RoleViewer, a.validate},
		{"GET", "/v1/studio/experiments", auth.RoleViewer, a.listExperiments},
		{"POST", "/v1/studio/experiments", auth.RolePublisher, a.createExperiment},
		{"GET", "/v1/studio/experiments/:experiment", auth.RoleViewer, a.getExperiment},
		{"POST", "/v1/studio/experiments/:experiment/enable", auth.RolePublisher, a.enableExperiment},
		{"POST", "/v1/studio/experiments/:experiment/disable", auth.RolePublisher, a.disableExperiment},
		{"GET", "/v1/studio/audit", auth.RoleViewer, a.listAudit},
		{"POST", "/v1/studio/executors/run", auth.RoleAuthor, a.runExecutor},
		{"GET", "/v1/studio/keys", auth.RoleAdmin, a.listKeys},
		{"POST", "/v1/studio/keys", auth.RoleAdmin, a.createKey},
		{"DELETE", "/v1/studio/keys/:key", auth.RoleAdmin, a.revokeKey},
	}
}

// Mount adds the API to the server.
func Mount(s *httpserver.Server, cfg Config) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	a := &api{cfg: cfg}
	a.routes = a.table()
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		s.HandlePrefix(m, Prefix, a.serve)
	}
	// The playground takes modules larger than the server's usual body limit.
	s.HandleLimit("POST", "/v1/studio/executors/run", admin.MaxModuleBytes*4/3+4096, a.serve)
}

// serve finds the route, authenticates the key and checks its role before the handler runs.
func (a *api) serve(ctx *fasthttp.RequestCtx) {
	r, params, found := a.match(string(ctx.Method()), string(ctx.Path()))
	if !found {
		httpserver.WriteError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+string(ctx.Method())+" "+string(ctx.Path()))
		return
	}
	if r == nil {
		httpserver.WriteError(ctx, fasthttp.StatusMethodNotAllowed, "method_not_allowed", string(ctx.Method())+" is not allowed on "+string(ctx.Path()))
		return
	}
	who, err := a.cfg.Keys.Authenticate(ctx, string(ctx.Request.Header.Peek("Authorization")))
	if err != nil {
		if errorsIsCredentials(err) {
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send an API key as Authorization: Bearer KEY")
			return
		}
		writeErr(ctx, err)
		return
	}
	if !who.Role.Allows(r.Role) {
		httpserver.WriteError(ctx, fasthttp.StatusForbidden, "forbidden", "this needs the "+string(r.Role)+" role; key "+who.KeyID+" is "+string(who.Role))
		return
	}
	r.handle(&call{ctx: ctx, who: who, params: params})
	if string(ctx.Method()) != "GET" && ctx.Response.StatusCode() < 300 && a.cfg.Changed != nil {
		a.cfg.Changed(ctx)
	}
}

// match returns the route of a method and path with its parameters; found is false when no
// pattern has the path, and the route nil when the path exists for other methods only.
func (a *api) match(method, path string) (r *Route, params map[string]string, found bool) {
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for i := range a.routes {
		p, ok := matchPattern(a.routes[i].Pattern, segs)
		if !ok {
			continue
		}
		found = true
		if a.routes[i].Method == method {
			return &a.routes[i], p, true
		}
	}
	return nil, nil, found
}

func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	want := strings.Split(pattern, "/")
	if len(want) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, w := range want {
		if name, ok := strings.CutPrefix(w, ":"); ok {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[name] = segs[i]
			continue
		}
		if w != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func (a *api) me(c *call) { httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, c.who) }

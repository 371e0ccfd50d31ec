// Package admin is the administrative HTTP API: reloading the intent model and the executor
// playground (the Policy Studio's API is channels/studio). Every endpoint needs the admin
// bearer token or, when Keys are configured, an API key whose role allows it. The package takes
// the operations as functions, so it depends on no engine it administers.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// MaxModuleBytes bounds an uploaded executor module.
const MaxModuleBytes = 16 << 20

// Config is what the admin API administers. Nil operations answer 501.
type Config struct {
	// Token is required as "Authorization: Bearer TOKEN". Without one the admin API is not
	// mounted at all: an open admin API is never the default.
	Token string
	// Keys, when set, authenticate API keys too: reloading the model needs the admin role,
	// the playground the author role. Its AdminToken should be Token.
	Keys *auth.APIKeys
	// ReloadModel loads the intent model again, on every instance.
	ReloadModel func(ctx context.Context) error
	// RunExecutor runs a module (bytes) once on a JSON input, as the playground does, and
	// returns its report.
	RunExecutor func(ctx context.Context, module []byte, input json.RawMessage) (any, error)
}

// Mount adds the admin routes to the server, when a token is configured.
func Mount(s *httpserver.Server, cfg Config) bool {
	if cfg.Token == "" {
		return false
	}
	a := &api{cfg: cfg, token: []byte(cfg.Token)}
	s.Handle("POST", "/v1/admin/model/reload", a.auth(auth.RoleAdmin, a.reload))
	s.HandleLimit("POST", "/v1/executors/run", MaxModuleBytes*4/3+4096, a.auth(auth.RoleAuthor, ExecutorPlayground(cfg.RunExecutor)))
	return true
}

type api struct {
	cfg   Config
	token []byte
}

// auth lets a request through with the admin token, or with an API key whose role allows need.
func (a *api) auth(need auth.Role, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		if a.cfg.Keys != nil {
			who, err := a.cfg.Keys.Authenticate(ctx, string(ctx.Request.Header.Peek("Authorization")))
			switch {
			case errors.Is(err, auth.ErrNoCredentials) || errors.Is(err, auth.ErrBadCredentials):
				httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send an API key (or the admin token) as Authorization: Bearer KEY")
			case err != nil:
				httpserver.WriteError(ctx, fasthttp.StatusInternalServerError, "internal", "API keys could not be checked")
			case !who.Role.Allows(need):
				httpserver.WriteError(ctx, fasthttp.StatusForbidden, "forbidden", "this needs the "+string(need)+" role; key "+who.KeyID+" is "+string(who.Role))
			default:
				next(ctx)
			}
			return
		}
		got, ok := strings.CutPrefix(string(ctx.Request.Header.Peek("Authorization")), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), a.token) != 1 {
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send the admin token as Authorization: Bearer TOKEN")
			return
		}
		next(ctx)
	}
}

func (a *api) reload(ctx *fasthttp.RequestCtx) {
	if a.cfg.ReloadModel == nil {
		httpserver.WriteError(ctx, fasthttp.StatusNotImplemented, "no_model", "no intent model is configured")
		return
	}
	if err := a.cfg.ReloadModel(ctx); err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusUnprocessableEntity, "reload_failed", "the current model keeps serving: "+err.Error())
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, map[string]string{"status": "reloaded"})
}

// RunRequest is the body of POST /v1/executors/run.
type RunRequest struct {
	// Module is the .wasm file, base64-encoded.
	Module string `json:"module"`
	// Input is the executor's JSON input: {node, policy, channel, input, vars, data}.
	Input json.RawMessage `json:"input"`
}

// ExecutorPlayground answers a playground request (RunRequest) with run's report; the
// Studio API serves it too, behind its roles.
func ExecutorPlayground(run func(ctx context.Context, module []byte, input json.RawMessage) (any, error)) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		if run == nil {
			httpserver.WriteError(ctx, fasthttp.StatusNotImplemented, "no_executors", "the executor playground is not available")
			return
		}
		var req RunRequest
		dec := json.NewDecoder(strings.NewReader(string(ctx.PostBody())))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", "want {\"module\": BASE64, \"input\": {...}}: "+err.Error())
			return
		}
		module, err := base64.StdEncoding.DecodeString(req.Module)
		if err != nil || len(module) == 0 {
			httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_module", "module must be a non-empty base64-encoded .wasm file")
			return
		}
		if len(module) > MaxModuleBytes {
			httpserver.WriteError(ctx, fasthttp.StatusRequestEntityTooLarge, "module_too_large", "modules are limited to 16 MiB")
			return
		}
		if len(req.Input) == 0 {
			req.Input = json.RawMessage(`{}`)
		}
		report, err := run(ctx, module, req.Input)
		if err != nil {
			httpserver.WriteError(ctx, fasthttp.StatusUnprocessableEntity, "executor_failed", err.Error())
			return
		}
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, report)
	}
}

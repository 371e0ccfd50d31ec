// Package inapp is the REST API for in-app self-service clients: a client starts a flow (by
// intent or by text), shows the current screen, posts the screen's input and goes back.
// Screens are server-driven JSON (screen.schema.json) whose inputs and actions are an Adaptive
// Cards 1.5 subset. The handlers keep nothing: the conversation lives in core/session through
// the router, so any instance can serve a flow's next request.
package inapp

import (
	"context"
	_ "embed"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/api"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// DefaultBase is where the API is mounted unless configured otherwise.
const DefaultBase = "/v1/inapp"

// DefaultMaxBodyBytes is the largest request body the API accepts by default: a screen's
// input is small.
const DefaultMaxBodyBytes = 64 << 10

// Flows is what the channel asks of the router besides handling messages; *router.Router is
// one.
type Flows interface {
	Conversation(ctx context.Context, id string) (*message.Conversation, error)
	Back(ctx context.Context, conversationID string) ([]message.Reply, error)
	SubmitCSAT(ctx context.Context, conversationID string, score int) error
}

// Config is what a Channel is built from. Handle and Flows are required.
type Config struct {
	// Handle is the router's Handle wrapped in the gateway's middleware.
	Handle router.Handler
	Flows  Flows
	// Token, when set, admits a client's back end that sends it as a bearer token; such a
	// client names the contact itself.
	Token string
	// JWT, when set, admits customers with a portal token; the contact is taken from its
	// claims and a flow answers only the subject that started it.
	JWT *auth.JWT
	// Serves tells whether a policy serves an intent, so that starting an unknown flow is
	// a 404; without it every intent is passed to the router.
	Serves func(intent string) bool
	// Base is the path prefix (DefaultBase); MaxBodyBytes the body limit
	// (DefaultMaxBodyBytes).
	Base         string
	MaxBodyBytes int
}

// Channel serves the in-app API.
type Channel struct {
	cfg   Config
	base  string
	token []byte
}

// New returns the channel. Without a token and a JWT verifier it is open, for development.
func New(cfg Config) (*Channel, error) {
	if cfg.Handle == nil || cfg.Flows == nil {
		return nil, errors.New("inapp: Handle and Flows are required")
	}
	if cfg.Base == "" {
		cfg.Base = DefaultBase
	}
	cfg.Base = strings.TrimSuffix(cfg.Base, "/")
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	c := &Channel{cfg: cfg, base: cfg.Base}
	if cfg.Token != "" {
		c.token = []byte(cfg.Token)
	}
	return c, nil
}

// Mount adds the channel's routes to the server:
//
//	POST {base}/flows              start a flow
//	GET  {base}/flows/{id}         the current screen
//	POST {base}/flows/{id}/input   submit the screen's input
//	POST {base}/flows/{id}/back    go back to the previous screen
//	GET  {base}/schema             the JSON Schema of responses
func (c *Channel) Mount(s *httpserver.Server) {
	s.HandleLimit("POST", c.base+"/flows", c.cfg.MaxBodyBytes, c.start)
	s.HandlePrefixLimit("GET", c.base+"/flows/", c.cfg.MaxBodyBytes, c.get)
	s.HandlePrefixLimit("POST", c.base+"/flows/", c.cfg.MaxBodyBytes, c.post)
	s.Handle("GET", c.base+"/schema", serveSchema)
}

//go:embed screen.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the API's responses.
func Schema() []byte { return schema }

func serveSchema(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("application/schema+json")
	ctx.SetBody(schema)
}

// Response is the body of every successful answer.
type Response struct {
	FlowID string `json:"flow_id"`
	Screen Screen `json:"screen"`
}

// ErrorResponse is the body of every error: httpserver's error shape, with the per-input
// problems and, when the flow goes on, the screen to show again.
type ErrorResponse struct {
	Error       httpserver.ErrorDetail `json:"error"`
	RequestID   string                 `json:"request_id,omitempty"`
	FieldErrors map[string]string      `json:"field_errors,omitempty"`
	FlowID      string                 `json:"flow_id,omitempty"`
	Screen      *Screen                `json:"screen,omitempty"`
}

// Error codes of the API beyond httpserver's.
const (
	CodeUnknownFlow  = "unknown_flow"
	CodeInvalidInput = "invalid_input"
	CodeStaleScreen  = "stale_screen"
	CodeFinished     = "flow_finished"
	CodeCannotGoBack = "cannot_go_back"
)

func writeError(ctx *fasthttp.RequestCtx, status int, code, msg string) {
	httpserver.WriteError(ctx, status, code, msg)
}

// writeInvalid answers 400 with what is wrong per input and the screen to show again.
func writeInvalid(ctx *fasthttp.RequestCtx, id, msg string, problems map[string]string, screen *Screen) {
	httpserver.WriteJSON(ctx, fasthttp.StatusBadRequest, ErrorResponse{
		Error:     httpserver.ErrorDetail{Code: CodeInvalidInput, Message: msg},
		RequestID: httpserver.RequestID(ctx), FieldErrors: problems, FlowID: id, Screen: screen,
	})
}

// flowID cuts a flow id and the action after it from a path under {base}/flows/.
func (c *Channel) flowID(ctx *fasthttp.RequestCtx) (id, action string) {
	rest := strings.TrimPrefix(string(ctx.Path()), c.base+"/flows/")
	id, action, _ = strings.Cut(rest, "/")
	if !validID(id) {
		return "", action
	}
	return id, action
}

// validID accepts the ids newFlowID makes, and nothing that could reach into other keys.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// flow loads the conversation of the request's flow, answering 404 when there is none or
// when it belongs to another portal user.
func (c *Channel) flow(ctx *fasthttp.RequestCtx, who caller, id string) (*message.Conversation, bool) {
	if id == "" {
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, "no such flow")
		return nil, false
	}
	conv, err := c.cfg.Flows.Conversation(ctx, id)
	switch {
	case errors.Is(err, router.ErrNoConversation):
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, "no flow "+id+": it never existed or has expired")
		return nil, false
	case err != nil:
		api.WriteHandleError(ctx, err)
		return nil, false
	case !who.owns(conv):
		// The same answer as an unknown flow: a flow's existence is not revealed to others.
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, "no flow "+id+": it never existed or has expired")
		return nil, false
	}
	return conv, true
}

func (c *Channel) get(ctx *fasthttp.RequestCtx) {
	who, ok := c.authenticate(ctx)
	if !ok {
		return
	}
	id, action := c.flowID(ctx)
	if action != "" {
		writeError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+string(ctx.Path()))
		return
	}
	conv, ok := c.flow(ctx, who, id)
	if !ok {
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, Response{FlowID: id, Screen: c.render(id, conv.LastReplies, conv.CSATRun != "")})
}

func (c *Channel) post(ctx *fasthttp.RequestCtx) {
	who, ok := c.authenticate(ctx)
	if !ok {
		return
	}
	id, action := c.flowID(ctx)
	switch action {
	case "input":
		c.input(ctx, who, id)
	case "back":
		c.back(ctx, who, id)
	default:
		writeError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+string(ctx.Path()))
	}
}

func (c *Channel) back(ctx *fasthttp.RequestCtx, who caller, id string) {
	if _, ok := c.flow(ctx, who, id); !ok {
		return
	}
	replies, err := c.cfg.Flows.Back(ctx, id)
	switch {
	case errors.Is(err, router.ErrCannotGoBack):
		writeError(ctx, fasthttp.StatusConflict, CodeCannotGoBack, err.Error())
	case errors.Is(err, router.ErrNoConversation):
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, "no flow "+id+": it never existed or has expired")
	case err != nil:
		api.WriteHandleError(ctx, err)
	default:
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, Response{FlowID: id, Screen: c.render(id, replies, false)})
	}
}

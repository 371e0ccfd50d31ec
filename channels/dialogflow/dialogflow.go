// Package dialogflow is the Dialogflow fulfillment channel, ES and CX: the agent recognizes
// the intent and calls frontdesk's webhook, whose policy run answers. Dialogflow's intent is
// the intent (frontdesk's classifier is skipped); its session is the conversation. Requests
// carry Basic credentials or a header secret, compared in constant time.
package dialogflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/channels/voice/webhookauth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// Paths of the webhooks.
const (
	ESPath = "/v1/dialogflow/es"
	CXPath = "/v1/dialogflow/cx"
)

// Session parameters frontdesk sets (ES: on the output context named ContextName; CX: on the
// session), for the agent's routes and conditions.
const (
	ContextName       = "frontdesk"
	ParamConversation = "frontdesk_conversation_id"
	ParamNode         = "frontdesk_node"
	ParamDone         = "frontdesk_done"
	ParamResolution   = "frontdesk_resolution"
	ParamHandoff      = "frontdesk_handoff"
	ParamTeam         = "frontdesk_team"
	ParamStatus       = "frontdesk_status"
)

// ErrBadRequest wraps what is wrong with a webhook request.
var ErrBadRequest = errors.New("dialogflow: bad request")

// Config configures the channel.
type Config struct {
	// Auth is what the agent's webhook sends: Basic credentials (ES) or a header (ES and CX
	// custom headers).
	Auth webhookauth.Config `yaml:"auth"`
	// Intents maps Dialogflow intent display names to frontdesk intents where they differ.
	Intents map[string]string `yaml:"intents"`
	// CXTag is the fulfillment tag that means "frontdesk decides" on CX; another tag names
	// the intent itself (frontdesk).
	CXTag string `yaml:"cx_tag"`
	// TransferNumber is where an ES phone-gateway call goes on hand-off; empty leaves the
	// hand-off to the agent's own routes.
	TransferNumber string `yaml:"transfer_number"`
	// AnswerWithin bounds a turn: Dialogflow waits 5 s for a webhook (4s).
	AnswerWithin time.Duration `yaml:"answer_within"`
}

// Channel serves the ES and CX webhooks.
type Channel struct {
	cfg   Config
	voice *voice.Voice
	// intents lists the intents the policies serve now (they change when policies reload).
	intents func() []string
	log     *slog.Logger
}

// New returns the channel; intents lists the intents the policies serve: a Dialogflow intent
// outside them (a fallback, small talk) leaves recognition to frontdesk's classifier.
func New(cfg Config, v *voice.Voice, intents func() []string, log *slog.Logger) *Channel {
	if cfg.AnswerWithin == 0 {
		cfg.AnswerWithin = 4 * time.Second
	}
	if cfg.CXTag == "" {
		cfg.CXTag = "frontdesk"
	}
	if !cfg.Auth.Enabled() {
		log.Warn("dialogflow.auth is not set: webhook requests are not authenticated (development only)")
	}
	return &Channel{cfg: cfg, voice: v, intents: intents, log: log}
}

// Mount adds the webhooks to the server.
func (c *Channel) Mount(s *httpserver.Server) {
	s.Handle("POST", ESPath, c.authed(c.serveES))
	s.Handle("POST", CXPath, c.authed(c.serveCX))
}

// authed checks credentials: 401 when none were sent, 403 when they are wrong, with Google's
// error shape.
func (c *Channel) authed(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return c.cfg.Auth.Guard(h, func(ctx *fasthttp.RequestCtx, status int, msg string) {
		code := "PERMISSION_DENIED"
		if status == fasthttp.StatusUnauthorized {
			code = "UNAUTHENTICATED"
		}
		writeError(ctx, status, code, msg)
	})
}

// Status is Google's error body.
type Status struct {
	Error StatusDetail `json:"error"`
}

// StatusDetail is a google.rpc.Status.
type StatusDetail struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

func writeError(ctx *fasthttp.RequestCtx, code int, status, msg string) {
	httpserver.WriteJSON(ctx, code, Status{Error: StatusDetail{Code: code, Message: msg, Status: status}})
}

// turnRequest is what ES and CX requests have in common.
type turnRequest struct {
	session  string
	intent   string
	text     string
	dtmf     string
	params   map[string]any
	language string
}

// intentOf maps a Dialogflow intent to a frontdesk intent, or "" when no policy serves it.
func (c *Channel) intentOf(name string) string {
	if mapped, ok := c.cfg.Intents[name]; ok {
		name = mapped
	}
	if !slices.Contains(c.intents(), name) {
		return ""
	}
	return name
}

// run handles a turn. A turn slower than the webhook timeout answers a holding prompt and
// finishes in the background; the session's next request gets its answer.
func (c *Channel) run(ctx context.Context, tr turnRequest) (voice.Prompt, string) {
	call := voice.Call{
		ConversationID: "dialogflow-" + sessionID(tr.session), Locale: tr.language,
		Contact:  message.Contact{CustomerID: str(tr.params["customer_id"]), Phone: str(tr.params["phone"]), Email: str(tr.params["email"])},
		Metadata: map[string]string{"session": tr.session},
	}
	if late, err := c.voice.Await(ctx, call, 0); err == nil {
		return late, statusOK
	}
	in := voice.Input{Choice: str(tr.params["choice"]), DTMF: tr.dtmf, Speech: tr.text, Intent: c.intentOf(tr.intent)}
	p, pending, err := c.voice.TurnWithin(call, in, c.cfg.AnswerWithin)
	switch {
	case pending:
		return voice.Prompt{Say: "One moment, please: this is taking longer than usual. Say continue to hear the answer.", Listen: true}, statusPending
	case err != nil:
		c.log.WarnContext(ctx, "dialogflow turn failed", "conversation", call.ConversationID, "err", err)
		return voice.Prompt{Say: "Sorry, something went wrong. Let me pass you to a colleague.", Handoff: &message.Handoff{Reason: "turn failed"}}, statusFailed
	}
	return p, statusOK
}

// Values of ParamStatus: the turn answered, is still running, or failed.
const (
	statusOK      = "ok"
	statusPending = "pending"
	statusFailed  = "failed"
)

// params are the session parameters of a prompt.
func params(conversationID string, p voice.Prompt, status string) map[string]any {
	out := map[string]any{ParamConversation: conversationID, ParamDone: !p.Listen, ParamHandoff: p.Handoff != nil, ParamStatus: status}
	if p.Node != "" {
		out[ParamNode] = p.Node
	}
	if p.End != nil {
		out[ParamResolution] = p.End.Resolution
	}
	if p.Handoff != nil {
		out[ParamTeam] = p.Handoff.Team
	}
	return out
}

func labels(p voice.Prompt) []string {
	out := make([]string, len(p.Choices))
	for i, ch := range p.Choices {
		out[i] = ch.Label
		if out[i] == "" {
			out[i] = ch.Value
		}
	}
	return out
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return strings.TrimSpace(s)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

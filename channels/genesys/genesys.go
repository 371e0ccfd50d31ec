// Package genesys is the Genesys Cloud channel for Architect flows: the Bot Connector
// contract (Genesys posts each customer turn; frontdesk answers MoreData with the next
// question, or Complete with the outcome in parameters an Architect flow branches on), and a
// Data Action endpoint with flat JSON contracts for "Call Data Action" steps. Requests carry
// Basic credentials or a header secret, compared in constant time.
package genesys

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/channels/voice/webhookauth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// Paths of the channel. The Bot Connector paths are the contract's (/botconnector/messages,
// /botconnector/bots, /botconnector/bots/{botId}) under Base, so the integration's URI is the
// server's public URL plus Base, or plus Base/botconnector for integrations that append only
// /messages and /bots: both resolve here.
const (
	Base          = "/v1/genesys"
	MessagesPath  = Base + "/botconnector/messages"
	BotsPath      = Base + "/botconnector/bots"
	DataActionURL = Base + "/dataactions/turn"
)

// Config configures the channel.
type Config struct {
	// Auth is what Genesys sends: the Bot Connector integration's credential fields become
	// headers; a Web Services Data Actions integration sends Basic credentials.
	Auth webhookauth.Config `yaml:"auth"`
	// BotID names the bot in the bot list Architect reads (frontdesk).
	BotID string `yaml:"bot_id"`
	// AnswerWithin bounds a turn: Genesys waits only seconds for a bot, so a slower turn
	// answers Failed (the flow's failure path) and finishes in the background (4s).
	AnswerWithin time.Duration `yaml:"answer_within"`
}

// Channel serves the Bot Connector and Data Action endpoints.
type Channel struct {
	cfg   Config
	voice *voice.Voice
	// intents lists the intents the policies serve now (they change when policies reload).
	intents func() []string
	log     *slog.Logger
}

// New returns the channel; intents lists the intents the policies serve, which the bot lists
// as its intents.
func New(cfg Config, v *voice.Voice, intents func() []string, log *slog.Logger) *Channel {
	if cfg.BotID == "" {
		cfg.BotID = "frontdesk"
	}
	if cfg.AnswerWithin == 0 {
		cfg.AnswerWithin = 4 * time.Second
	}
	if !cfg.Auth.Enabled() {
		log.Warn("genesys.auth is not set: Bot Connector and Data Action requests are not authenticated (development only)")
	}
	return &Channel{cfg: cfg, voice: v, intents: intents, log: log}
}

// Mount adds the channel's routes to the server.
func (c *Channel) Mount(s *httpserver.Server) {
	s.Handle("POST", MessagesPath, c.authed(c.serveMessage))
	s.Handle("GET", BotsPath, c.authed(c.serveBots))
	s.HandlePrefix("GET", BotsPath+"/", c.authed(c.serveBot))
	s.Handle("POST", DataActionURL, c.authed(c.serveDataAction))
}

// authed checks the credentials: 401 when none were sent, 403 when they are wrong.
func (c *Channel) authed(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	return c.cfg.Auth.Guard(h, func(ctx *fasthttp.RequestCtx, status int, msg string) {
		code := "forbidden"
		if status == fasthttp.StatusUnauthorized {
			code = "unauthorized"
		}
		httpserver.WriteJSON(ctx, status, failed(code, msg))
	})
}

func (c *Channel) serveMessage(ctx *fasthttp.RequestCtx) {
	req, err := DecodeBotRequest(ctx.PostBody())
	if err != nil {
		httpserver.WriteJSON(ctx, fasthttp.StatusBadRequest, failed("bad_request", err.Error()))
		return
	}
	call := voice.Call{
		ConversationID: "genesys-" + req.BotSessionID, MessageID: req.MessageID, Locale: req.LanguageCode,
		Contact:  contactOf(req.Parameters),
		Metadata: map[string]string{"genesys_conversation_id": req.GenesysConversationID, "bot_session_id": req.BotSessionID},
	}
	choice, text := req.Answer()
	in := voice.Input{Choice: choice, Speech: text, Intent: req.Parameters["intent"]}
	p, err := c.turn(call, in)
	if err != nil {
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, c.failure(ctx, call, err))
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, botResponse(call.ConversationID, p))
}

// turn runs a turn within the platform's patience.
func (c *Channel) turn(call voice.Call, in voice.Input) (voice.Prompt, error) {
	p, pending, err := c.voice.TurnWithin(call, in, c.cfg.AnswerWithin)
	if pending {
		return p, context.DeadlineExceeded
	}
	return p, err
}

// failure explains a failed turn in Genesys' terms; the flow takes its failure path.
func (c *Channel) failure(ctx context.Context, call voice.Call, err error) BotResponse {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return failed("timeout", "the turn took longer than "+c.cfg.AnswerWithin.String()+"; it finishes in the background")
	case errors.Is(err, router.ErrBadMessage):
		return failed("bad_message", err.Error())
	case errors.Is(err, router.ErrBusy):
		return failed("busy", err.Error())
	}
	c.log.WarnContext(ctx, "genesys turn failed", "conversation", call.ConversationID, "err", err)
	return failed("internal", "the turn could not be handled")
}

// contactOf reads the caller from the flow's parameters.
func contactOf(p map[string]string) message.Contact {
	return message.Contact{CustomerID: p["customer_id"], Phone: p["phone"], Email: p["email"], Name: p["name"]}
}

func (c *Channel) serveDataAction(ctx *fasthttp.RequestCtx) {
	in, err := DecodeActionInput(ctx.PostBody())
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		return
	}
	call := voice.Call{
		ConversationID: "genesys-" + in.ConversationID,
		Contact:        message.Contact{CustomerID: in.CustomerID, Phone: in.Phone, Email: in.Email},
		Metadata:       map[string]string{"genesys_conversation_id": in.ConversationID},
	}
	vin := voice.Input{Choice: in.Choice, Speech: in.Text, Intent: in.Intent}
	if in.NoInput {
		vin = voice.Input{}
	}
	p, err := c.turn(call, vin)
	if err != nil {
		// A Data Action fails on a non-2xx answer: the flow takes the action's failure path.
		resp := c.failure(ctx, call, err)
		status := fasthttp.StatusInternalServerError
		if errors.Is(err, context.DeadlineExceeded) {
			status = fasthttp.StatusGatewayTimeout
		}
		httpserver.WriteError(ctx, status, resp.ErrorInfo.ErrorCode, resp.ErrorInfo.ErrorMessage)
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, actionOutput(in.ConversationID, p))
}

// Bot is one entry of the bot list Architect shows in "Call Bot Connector".
type Bot struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Versions    []BotVersion `json:"versions,omitempty"`
}

// BotVersion lists the intents a version returns, with their slots.
type BotVersion struct {
	Version            string      `json:"version"`
	SupportedLanguages []string    `json:"supportedLanguages"`
	Intents            []BotIntent `json:"intents"`
}

// BotIntent is an intent with its slots.
type BotIntent struct {
	Name  string             `json:"name"`
	Slots map[string]BotSlot `json:"slots"`
}

// BotSlot is a slot of an intent.
type BotSlot struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func (c *Channel) bot() Bot {
	slots := map[string]BotSlot{"resolution": {Name: "resolution", Type: "String"}, "team": {Name: "team", Type: "String"}}
	v := BotVersion{Version: "1", SupportedLanguages: []string{"en-us"}}
	intents := c.intents()
	sort.Strings(intents)
	for _, in := range intents {
		v.Intents = append(v.Intents, BotIntent{Name: in, Slots: slots})
	}
	return Bot{ID: c.cfg.BotID, Name: c.cfg.BotID, Description: "frontdesk policies", Versions: []BotVersion{v}}
}

func (c *Channel) serveBots(ctx *fasthttp.RequestCtx) {
	b := c.bot()
	b.Versions = nil
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, map[string]any{"entities": []Bot{b}})
}

func (c *Channel) serveBot(ctx *fasthttp.RequestCtx) {
	id := strings.TrimPrefix(string(ctx.Path()), BotsPath+"/")
	if id != c.cfg.BotID {
		httpserver.WriteJSON(ctx, fasthttp.StatusNotFound, failed("not_found", "no bot "+id))
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, c.bot())
}

// Package twilio is the Twilio Programmable Voice channel: Twilio posts a webhook when a call
// comes in and after every <Gather>, and frontdesk answers with TwiML (<Gather>, <Say>,
// <Play>, <Redirect>, <Hangup>, and <Dial> or <Enqueue> on hand-off). Requests are checked
// against X-Twilio-Signature, computed on the configured public URL so that it holds behind
// proxies, and a request seen before is refused.
package twilio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// Path is the webhook to set as the number's "A call comes in" URL (POST).
const Path = "/v1/twilio/voice"

// Config configures the channel.
type Config struct {
	// AuthToken is the account's auth token, which signs Twilio's requests. Without it
	// signatures are not checked: for local development only.
	AuthToken string `yaml:"auth_token"`
	// Language is the language of speech and recognition (en-US).
	Language string `yaml:"language"`
	// Voice is Twilio's text-to-speech voice, such as Polly.Joanna; Twilio's default if empty.
	Voice string `yaml:"voice"`
	// GatherTimeout is how many seconds a <Gather> waits for the caller (5).
	GatherTimeout int `yaml:"gather_timeout"`
	// AnswerWithin bounds a turn before Twilio gets a holding answer; Twilio gives up on a
	// webhook after 15 s (8s).
	AnswerWithin time.Duration `yaml:"answer_within"`
	// Holds is how many holding answers a turn may take before the call is handed off (3).
	Holds int `yaml:"holds"`
	// HoldText is said while a slow turn runs (One moment, please.).
	HoldText string `yaml:"hold_text"`
	// ReplayWindow is how long a request is remembered to refuse it if it comes again (1h).
	ReplayWindow time.Duration `yaml:"replay_window"`
	// Handoff is where calls go when a human takes over; Teams overrides it per team.
	Handoff Transfer            `yaml:"handoff"`
	Teams   map[string]Transfer `yaml:"teams"`
}

// Transfer is a hand-off target: a number or SIP address to <Dial>, or a TaskRouter queue to
// <Enqueue> (the team's name when both are empty).
type Transfer struct {
	Dial    string `yaml:"dial"`
	Enqueue string `yaml:"enqueue"`
}

func (c *Config) defaults() {
	if c.Language == "" {
		c.Language = "en-US"
	}
	if c.GatherTimeout == 0 {
		c.GatherTimeout = 5
	}
	if c.AnswerWithin == 0 {
		c.AnswerWithin = 8 * time.Second
	}
	if c.Holds == 0 {
		c.Holds = 3
	}
	if c.HoldText == "" {
		c.HoldText = "One moment, please."
	}
	if c.ReplayWindow == 0 {
		c.ReplayWindow = time.Hour
	}
}

// Channel serves the webhook.
type Channel struct {
	cfg Config
	// publicURL is what Twilio calls: scheme, host and any path prefix a proxy strips.
	publicURL string
	voice     *voice.Voice
	sessions  session.Store
	log       *slog.Logger
}

// New returns the channel; publicURL is the server's public URL (config public_url).
func New(cfg Config, publicURL string, v *voice.Voice, sessions session.Store, log *slog.Logger) *Channel {
	cfg.defaults()
	if cfg.AuthToken == "" {
		log.Warn("twilio.auth_token is not set: webhook signatures are not checked (development only)")
	}
	return &Channel{cfg: cfg, publicURL: publicURL, voice: v, sessions: sessions, log: log}
}

// Mount adds the webhook to the server.
func (c *Channel) Mount(s *httpserver.Server) { s.Handle("POST", Path, c.serve) }

func (c *Channel) serve(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("text/xml")
	req, err := Decode(ctx.PostBody(), string(ctx.URI().QueryString()))
	if err != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		ctx.SetBody(c.cfg.refuse("This request could not be read."))
		return
	}
	full := c.publicURL + string(ctx.RequestURI())
	if c.cfg.AuthToken != "" && !ValidSignature(c.cfg.AuthToken, full, req.Params, string(ctx.Request.Header.Peek("X-Twilio-Signature"))) {
		ctx.SetStatusCode(fasthttp.StatusForbidden)
		ctx.SetBody(c.cfg.refuse("This request is not signed by Twilio."))
		return
	}
	switch fresh, err := c.firstTime(ctx, full, req); {
	case err != nil:
		c.log.WarnContext(ctx, "twilio replay check failed", "call", req.CallSid, "err", err)
		ctx.SetStatusCode(fasthttp.StatusServiceUnavailable)
		ctx.SetBody(c.cfg.refuse("Sorry, we cannot take your call right now. Please try again later."))
		return
	case !fresh:
		ctx.SetStatusCode(fasthttp.StatusForbidden)
		ctx.SetBody(c.cfg.refuse("This request was already answered."))
		return
	}
	ctx.SetBody(c.answer(ctx, req))
}

// firstTime remembers the request and reports whether it is new. frontdesk's own URLs carry
// a turn number, so two genuine requests of a call never look alike. The key digests what the
// signature covers (URL and parameters), with or without an auth token configured.
func (c *Channel) firstTime(ctx context.Context, full string, req Request) (bool, error) {
	sum := sha256.Sum256([]byte(Signature("", full, req.Params)))
	_, err := c.sessions.CompareAndSet(ctx, "twilio:seen:"+hex.EncodeToString(sum[:]), []byte{1}, 0, c.cfg.ReplayWindow)
	if errors.Is(err, session.ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// answer runs the turn, or picks up a slow one, and writes the TwiML.
func (c *Channel) answer(ctx context.Context, req Request) []byte {
	call := voice.Call{
		ConversationID: "twilio-" + req.CallSid,
		MessageID:      req.CallSid + ":" + strconv.Itoa(req.Turn),
		Contact:        message.Contact{Phone: req.From, CustomerID: req.CustomerID},
		Locale:         c.cfg.Language,
		Metadata:       map[string]string{"call_sid": req.CallSid, "to": req.To},
	}
	next := c.publicURL + Path + "?turn=" + strconv.Itoa(req.Turn+1)
	var p voice.Prompt
	var err error
	pending := false
	if req.Wait {
		p, err = c.voice.Await(ctx, call, c.cfg.AnswerWithin)
		if errors.Is(err, voice.ErrStillRunning) {
			if req.Hold >= c.cfg.Holds {
				p, err = c.voice.GiveUp(ctx, call, "the automation took too long")
			} else {
				pending, err = true, nil
			}
		}
	} else {
		in := voice.Input{DTMF: req.Digits, Speech: req.SpeechResult, Intent: req.Intent}
		p, pending, err = c.voice.TurnWithin(call, in, c.cfg.AnswerWithin)
	}
	switch {
	case pending:
		return c.cfg.hold(next + "&wait=1&hold=" + strconv.Itoa(req.Hold+1))
	case err != nil:
		c.log.WarnContext(ctx, "twilio turn failed", "call", req.CallSid, "err", err)
		return c.cfg.Render(voice.Prompt{Say: "Sorry, something went wrong. Let me connect you with a colleague.",
			Handoff: &message.Handoff{}}, next)
	}
	return c.cfg.Render(p, next)
}

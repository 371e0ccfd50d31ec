package inapp

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/api"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// StartRequest starts a flow: by intent (a menu entry of the app) or by the customer's text,
// which is classified.
type StartRequest struct {
	Intent string `json:"intent,omitempty"`
	Text   string `json:"text,omitempty"`
	// Contact names the customer; only a back end with the API token sends it, a portal
	// user's contact comes from the JWT.
	Contact *message.Contact `json:"contact,omitempty"`
	CaseID  string           `json:"case_id,omitempty"`
	Locale  string           `json:"locale,omitempty"`
}

// InputRequest answers the current screen.
type InputRequest struct {
	// ScreenID, when given, must be the current screen's id; an answer to a screen that was
	// left meanwhile (another device, a double tap) is refused with 409.
	ScreenID string `json:"screen_id,omitempty"`
	// Data holds the inputs by id: a choice's "choice", a form's fields, a text's "text", a
	// rating's "score". Values are strings, numbers or booleans.
	Data map[string]any `json:"data"`
}

// maxIdempotencyKey bounds the Idempotency-Key header a client may send.
const maxIdempotencyKey = 128

func (c *Channel) start(ctx *fasthttp.RequestCtx) {
	who, ok := c.authenticate(ctx)
	if !ok {
		return
	}
	var req StartRequest
	if err := api.DecodeStrict(ctx.PostBody(), &req, `{"intent": "..."} or {"text": "..."}`); err != nil {
		writeError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		return
	}
	req.Intent, req.Text = strings.TrimSpace(req.Intent), strings.TrimSpace(req.Text)
	switch {
	case (req.Intent == "") == (req.Text == ""):
		writeError(ctx, fasthttp.StatusBadRequest, "bad_request", "start a flow with either an intent or a text")
		return
	case req.Intent != "" && c.cfg.Serves != nil && !c.cfg.Serves(req.Intent):
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, fmt.Sprintf("no flow serves the intent %q", req.Intent))
		return
	case who.subject != "" && req.Contact != nil:
		writeError(ctx, fasthttp.StatusBadRequest, "bad_request", "contact comes from the portal token; leave it out")
		return
	}
	key, ok := idempotencyKey(ctx)
	if !ok {
		return
	}
	msg := message.Message{ID: key, Channel: message.ChannelInapp, ConversationID: newFlowID(),
		Intent: req.Intent, Text: req.Text, CaseID: req.CaseID, Locale: req.Locale, Contact: who.contact}
	if req.Contact != nil {
		msg.Contact = *req.Contact
	}
	replies, err := c.cfg.Handle(ctx, msg)
	if err != nil {
		api.WriteHandleError(ctx, err)
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusCreated, Response{FlowID: msg.ConversationID, Screen: c.render(msg.ConversationID, replies, true)})
}

func (c *Channel) input(ctx *fasthttp.RequestCtx, who caller, id string) {
	var req InputRequest
	if err := api.DecodeStrict(ctx.PostBody(), &req, `{"screen_id": "...", "data": {...}}`); err != nil {
		writeError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		return
	}
	key, ok := idempotencyKey(ctx)
	if !ok {
		return
	}
	if id == "" {
		writeError(ctx, fasthttp.StatusNotFound, CodeUnknownFlow, "no such flow")
		return
	}
	data := req.Data
	if len(data) == 0 {
		if data, ok = c.emptyInput(ctx, who, id); !ok {
			return
		}
	}
	// The screen is checked against the conversation the turn loads, so a follow-up turn
	// costs one load (a round trip to Redis when sessions are shared), not two. The message
	// names no contact: the router would merge it into the conversation before the check, and
	// a portal user would become the owner of a flow that had none.
	a := &answer{who: who, screenID: req.ScreenID}
	replies, err := c.cfg.Handle(router.WithPrecondition(ctx, a.check), message.Message{ID: key, Channel: message.ChannelInapp,
		ConversationID: id, Input: data})
	var ref *refusal
	switch {
	case errors.As(err, &ref):
		c.refuse(ctx, id, a.conv, ref, data)
		return
	case err != nil:
		api.WriteHandleError(ctx, err)
		return
	}
	screen := c.render(id, replies, true)
	if again, _ := at(replies, true); a.q != nil && again != nil && again.Node == a.q.Node && again.Error != "" {
		writeInvalid(ctx, id, again.Error, problemsOf(again), &screen)
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, Response{FlowID: id, Screen: screen})
}

// emptyInput stands for an answer without data, which the router takes for no message: each
// input of the screen, empty, so that the policy says which ones are required.
func (c *Channel) emptyInput(ctx *fasthttp.RequestCtx, who caller, id string) (map[string]any, bool) {
	conv, ok := c.flow(ctx, who, id)
	if !ok {
		return nil, false
	}
	data := map[string]any{}
	q, _ := at(conv.LastReplies, conv.CSATRun != "")
	if q == nil {
		data[rating] = ""
		return data, true
	}
	for _, name := range inputNames(q) {
		data[name] = ""
	}
	return data, true
}

// rate records the satisfaction score given on the rating screen.
func (c *Channel) rate(ctx *fasthttp.RequestCtx, id string, conv *message.Conversation, data map[string]any) {
	score, problem := scoreOf(data)
	if problem == "" {
		err := c.cfg.Flows.SubmitCSAT(ctx, id, score)
		switch {
		case errors.Is(err, router.ErrBadMessage):
			problem = fmt.Sprintf("a whole number from %d to %d", router.MinCSAT, router.MaxCSAT)
		case errors.Is(err, router.ErrNoCSAT):
			writeError(ctx, fasthttp.StatusConflict, CodeFinished, err.Error())
			return
		case err != nil:
			api.WriteHandleError(ctx, err)
			return
		}
	}
	if problem != "" {
		screen := c.render(id, conv.LastReplies, true)
		writeInvalid(ctx, id, "the rating is not acceptable", map[string]string{rating: problem}, &screen)
		return
	}
	screen := c.render(id, conv.LastReplies, false)
	screen.Messages = append(screen.Messages, "Thank you for your rating.")
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, Response{FlowID: id, Screen: screen})
}

// scoreOf reads the rating screen's only input, a whole number given as a number or string.
func scoreOf(data map[string]any) (int, string) {
	for name := range data {
		if name != rating {
			return 0, "the rating screen has one input, " + rating
		}
	}
	s, ok := scalar(data[rating])
	if !ok || s == "" {
		return 0, "required: a whole number from 1 to 5"
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Sprintf("a whole number from %d to %d", router.MinCSAT, router.MaxCSAT)
	}
	return n, ""
}

// idempotencyKey is the request's Idempotency-Key header: a retried request with the same key
// is answered as before and handled once (the router remembers the last message id). A key
// too long is answered with 400.
func idempotencyKey(ctx *fasthttp.RequestCtx) (string, bool) {
	key := string(ctx.Request.Header.Peek("Idempotency-Key"))
	if len(key) > maxIdempotencyKey {
		writeError(ctx, fasthttp.StatusBadRequest, "bad_request", fmt.Sprintf("Idempotency-Key is longer than %d bytes", maxIdempotencyKey))
		return "", false
	}
	return key, true
}

func newFlowID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

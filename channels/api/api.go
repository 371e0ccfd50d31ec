// Package api is the plain JSON channel: POST /v1/messages takes a message and returns the
// replies within the request. Tests use it, and it is the base of the in-app API. A message may
// name its intent when the client already knows it (an in-app menu), which skips
// classification.
package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
)

// Path is where the channel is mounted.
const Path = "/v1/messages"

// Channel serves POST /v1/messages.
type Channel struct {
	handle router.Handler
	// token, when set, must be sent as "Authorization: Bearer TOKEN".
	token []byte
}

// New returns the channel. An empty token leaves it open, for development.
func New(handle router.Handler, token string) *Channel {
	c := &Channel{handle: handle}
	if token != "" {
		c.token = []byte(token)
	}
	return c
}

// Mount adds the channel's route to the server.
func (c *Channel) Mount(s *httpserver.Server) { s.Handle("POST", Path, c.serve) }

// Response is the body of a successful answer.
type Response struct {
	ConversationID string          `json:"conversation_id"`
	Replies        []message.Reply `json:"replies"`
}

func (c *Channel) serve(ctx *fasthttp.RequestCtx) {
	if c.token != nil {
		got, ok := strings.CutPrefix(string(ctx.Request.Header.Peek("Authorization")), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), c.token) != 1 {
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send the API token as Authorization: Bearer TOKEN")
			return
		}
	}
	msg, err := Decode(ctx.PostBody())
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		return
	}
	if msg.Channel == "" {
		msg.Channel = message.ChannelAPI
	}
	if msg.ConversationID == "" {
		msg.ConversationID = newConversationID()
	}
	replies, err := c.handle(ctx, msg)
	if err != nil {
		WriteHandleError(ctx, err)
		return
	}
	if replies == nil {
		replies = []message.Reply{}
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, Response{ConversationID: msg.ConversationID, Replies: replies})
}

// WriteHandleError answers a request whose message the router did not handle: 400 for a bad
// message, 409 for a busy conversation, 504 for a timeout, else 500.
func WriteHandleError(ctx *fasthttp.RequestCtx, err error) {
	switch {
	case errors.Is(err, router.ErrBadMessage):
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_message", err.Error())
	case errors.Is(err, router.ErrBusy):
		httpserver.WriteError(ctx, fasthttp.StatusConflict, "busy", err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		httpserver.WriteError(ctx, fasthttp.StatusGatewayTimeout, "timeout", "the message took too long to handle; it may be retried")
	default:
		httpserver.WriteError(ctx, fasthttp.StatusInternalServerError, "internal", "the message could not be handled; it may be retried")
	}
}

func newConversationID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

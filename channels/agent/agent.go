// Package agent is agent assist: a JSON API and a small page at /agent with which a support
// agent (CSR) opens a case's conversation, sees where its policy run stands (the current
// node, the data the policy fetched, the options) and enters inputs on the customer's
// behalf. Every turn entered here goes through the router on the "agent" channel with the
// agent's name in the metadata, so the decision log on the case says it was agent-guided.
package agent

import (
	"context"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/channels/api"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Paths where the channel is mounted.
const (
	// APIPrefix is the root of the JSON API.
	APIPrefix = "/v1/agent/"
	// PagePath is the agent page; its assets are under PagePath + "/".
	PagePath = "/agent"
)

// Conversations reads saved conversations; (*router.Router).Conversation is one. It
// returns router.ErrNoConversation when none is kept under the id.
type Conversations func(ctx context.Context, id string) (*message.Conversation, error)

// Cases finds CRM cases by id, to open a case's conversation; plugin.CRM is one.
type Cases interface {
	GetCase(ctx context.Context, caseID string) (plugin.Case, error)
}

// Config is what the channel works with. Handle, Conversations and Auth are required.
type Config struct {
	// Handle runs a turn: the router with its middleware.
	Handle router.Handler
	// Conversations reads the state shown to the agent.
	Conversations Conversations
	// CaseConversations finds the conversation the router recorded for a case
	// ((*router.Router).ConversationOfCase), whichever channel made the case; optional.
	CaseConversations func(ctx context.Context, caseID string) (string, error)
	// Cases finds cases in the CRM, for cases the router has no record of: the conversation
	// that created the case, or a new one tied to it. Without either, only conversation ids
	// open conversations.
	Cases Cases
	// Auth checks every request's API key (*auth.APIKeys, which also takes the admin token).
	Auth Authenticator
	// Intents lists the intents a policy serves, offered when the agent starts a run on a
	// case that has none waiting; optional.
	Intents func() []string
}

// Channel serves the agent-assist API and page.
type Channel struct {
	cfg Config
}

// New returns the channel, or an error naming what the configuration lacks.
func New(cfg Config) (*Channel, error) {
	if cfg.Handle == nil || cfg.Conversations == nil || cfg.Auth == nil {
		return nil, errors.New("agent: Handle, Conversations and Auth are required")
	}
	return &Channel{cfg: cfg}, nil
}

// Mount adds the API and the page to the server.
func (c *Channel) Mount(s *httpserver.Server) {
	s.HandlePrefix("GET", APIPrefix, c.authenticated(c.get))
	s.HandlePrefix("POST", APIPrefix, c.authenticated(c.post))
	mountPage(s)
}

// get serves GET /v1/agent/conversations/{id}, /v1/agent/cases/{id} and /v1/agent/intents.
func (c *Channel) get(ctx *fasthttp.RequestCtx, who Identity) {
	kind, id, rest := splitPath(string(ctx.Path()))
	switch {
	case kind == "intents" && id == "":
		var intents []string
		if c.cfg.Intents != nil {
			intents = c.cfg.Intents()
		}
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, map[string][]string{"intents": append([]string{}, intents...)})
	case kind == "conversations" && id != "" && rest == "":
		c.openConversation(ctx, id)
	case kind == "cases" && id != "" && rest == "":
		c.openCase(ctx, id)
	default:
		httpserver.WriteError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+string(ctx.Path()))
	}
}

// post serves POST /v1/agent/conversations/{id}/messages.
func (c *Channel) post(ctx *fasthttp.RequestCtx, who Identity) {
	kind, id, rest := splitPath(string(ctx.Path()))
	if kind != "conversations" || id == "" || rest != "messages" {
		httpserver.WriteError(ctx, fasthttp.StatusNotFound, "not_found", "no such endpoint: "+string(ctx.Path()))
		return
	}
	c.enter(ctx, id, who)
}

// splitPath splits /v1/agent/KIND/ID/REST.
func splitPath(path string) (kind, id, rest string) {
	p := strings.TrimPrefix(path, APIPrefix)
	kind, p, _ = strings.Cut(p, "/")
	id, rest, _ = strings.Cut(p, "/")
	return kind, id, strings.TrimSuffix(rest, "/")
}

func (c *Channel) openConversation(ctx *fasthttp.RequestCtx, id string) {
	if v := c.viewOf(ctx, id, nil); v != nil {
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, v)
	}
}

// viewOf reads a conversation and builds its view; on failure it writes the error and
// returns nil. A conversation that is not kept is a 404, unless missing stands in for it.
func (c *Channel) viewOf(ctx *fasthttp.RequestCtx, id string, missing *message.Conversation) *View {
	conv, err := c.cfg.Conversations(ctx, id)
	switch {
	case errors.Is(err, router.ErrNoConversation) && missing != nil:
		conv = missing
	case errors.Is(err, router.ErrNoConversation):
		httpserver.WriteError(ctx, fasthttp.StatusNotFound, "no_conversation", "no conversation "+id+" is kept (it never existed or expired)")
		return nil
	case err != nil:
		httpserver.WriteError(ctx, fasthttp.StatusBadGateway, "conversation_unreadable", err.Error())
		return nil
	}
	return view(ctx, conv)
}

// view builds the view of a conversation; on failure it writes the error and returns nil.
func view(ctx *fasthttp.RequestCtx, conv *message.Conversation) *View {
	v, err := NewView(conv)
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusUnprocessableEntity, "run_unreadable", err.Error())
		return nil
	}
	return v
}

// openCase shows the conversation of the case: the one the router recorded for it, else the
// one that created it in the CRM, else an empty one tied to the case for the agent to start
// a run in.
func (c *Channel) openCase(ctx *fasthttp.RequestCtx, caseID string) {
	conv, err := c.recorded(ctx, caseID)
	switch {
	case err == nil:
		if v := view(ctx, conv); v != nil {
			httpserver.WriteJSON(ctx, fasthttp.StatusOK, v)
		}
		return
	case !errors.Is(err, router.ErrNoConversation):
		httpserver.WriteError(ctx, fasthttp.StatusBadGateway, "conversation_unreadable", err.Error())
		return
	}
	if c.cfg.Cases == nil {
		httpserver.WriteError(ctx, fasthttp.StatusNotImplemented, "no_crm", "no CRM is configured: open the conversation by its id")
		return
	}
	cs, err := c.cfg.Cases.GetCase(ctx, caseID)
	if errors.Is(err, plugin.ErrNotFound) {
		httpserver.WriteError(ctx, fasthttp.StatusNotFound, "no_case", "the CRM has no case "+caseID)
		return
	}
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusBadGateway, "crm_failed", "the CRM did not answer: "+err.Error())
		return
	}
	convID := ConversationOfCase(cs)
	empty := &message.Conversation{ID: convID, Channel: message.ChannelAgent, CaseID: cs.ID,
		Contact: message.Contact{CustomerID: cs.CustomerID}}
	if v := c.viewOf(ctx, convID, empty); v != nil {
		httpserver.WriteJSON(ctx, fasthttp.StatusOK, v)
	}
}

// recorded returns the conversation the router recorded for a case, while it is kept.
func (c *Channel) recorded(ctx context.Context, caseID string) (*message.Conversation, error) {
	if c.cfg.CaseConversations == nil {
		return nil, router.ErrNoConversation
	}
	id, err := c.cfg.CaseConversations(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return c.cfg.Conversations(ctx, id)
}

// caseExternalPrefix is how the router names the cases it creates: "frontdesk:" and the
// conversation id.
const caseExternalPrefix = "frontdesk:"

// ConversationOfCase returns the id of the conversation of a case: the one that created it,
// or, for a case frontdesk did not create, "case-" and the case id, so that every agent
// opening that case works in the same conversation.
func ConversationOfCase(c plugin.Case) string {
	if id, ok := strings.CutPrefix(c.ExternalID, caseExternalPrefix); ok && id != "" {
		return id
	}
	return "case-" + c.ID
}

// enter runs one turn entered by the agent.
func (c *Channel) enter(ctx *fasthttp.RequestCtx, convID string, who Identity) {
	in, err := DecodeEntry(ctx.PostBody())
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", err.Error())
		return
	}
	name := who.Name
	if name == "" {
		name = in.Agent
	}
	if name == "" {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "agent_required", "say who you are: \"agent\" is required when signed in with the shared admin token")
		return
	}
	msg := message.Message{
		ID: in.ID, Channel: message.ChannelAgent, ConversationID: convID, CaseID: in.CaseID,
		Contact: in.Contact, Text: in.Text, Intent: in.Intent, Input: in.Input,
		Metadata: map[string]string{router.MetadataAgent: name},
	}
	replies, err := c.cfg.Handle(ctx, msg)
	if err != nil {
		api.WriteHandleError(ctx, err)
		return
	}
	view := c.viewOf(ctx, convID, nil)
	if view == nil {
		return
	}
	if replies == nil {
		replies = []message.Reply{}
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, EntryResult{Agent: name, Replies: replies, View: view})
}

// EntryResult is the answer to an entered turn: what the customer would have been shown, and
// the conversation after the turn.
type EntryResult struct {
	Agent   string          `json:"agent"`
	Replies []message.Reply `json:"replies"`
	View    *View           `json:"view"`
}

package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/agent"
)

// mountAgent serves agent assist at /agent and /v1/agent/: CSRs sign in with an API key of
// role author or above, or the admin token.
func (g *gateway) mountAgent(context.Context) error {
	cfg := agent.Config{Handle: g.handle, Conversations: g.router.Conversation, CaseConversations: g.router.ConversationOfCase,
		Auth: g.studioKeys(), Intents: g.policies.Intents}
	if g.plugins != nil && g.cfg.Services.CRM != "" {
		if crm, ok := g.plugins.CRM(g.cfg.Services.CRM); ok {
			cfg.Cases = crm
		}
	}
	ch, err := agent.New(cfg)
	if err != nil {
		return err
	}
	ch.Mount(g.server)
	return nil
}

package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/studio/ui"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// mountStudioUI serves the Policy Studio at /studio; people sign in with an API key (or the
// admin token) that the Studio API checks on every call.
func (g *gateway) mountStudioUI(context.Context) error {
	ui.Mount(g.server, g.studioKeys())
	return nil
}

// studioKeys authenticates the API keys of the Studio's roles, and the admin token as an
// admin key; agent assist and the Studio's pages use it.
func (g *gateway) studioKeys() *auth.APIKeys {
	keys := &auth.APIKeys{AdminToken: g.cfg.Admin.Token}
	if g.store != nil {
		keys.Store = g.store
	}
	return keys
}

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

// studioKeys authenticates the API keys of the Studio's roles, kept in the store the Studio
// API creates them in, and the admin token as an admin key; agent assist and the Studio's
// pages use it.
func (g *gateway) studioKeys() *auth.APIKeys {
	return &auth.APIKeys{Store: g.studio.store, AdminToken: g.cfg.Admin.Token}
}

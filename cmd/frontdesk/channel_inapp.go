package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/inapp"
)

// mountInapp serves the in-app self-service API at /v1/inapp: app back ends with the
// configured token, logged-in customers with a portal JWT.
func (g *gateway) mountInapp(context.Context) error {
	c := g.cfg.Inapp
	if c.Disabled {
		return nil
	}
	jwt, err := portalJWT("inapp.jwt", c.JWT)
	if err != nil {
		return err
	}
	cfg := inapp.Config{
		Handle: g.handle, Flows: g.router, Token: c.Token, JWT: jwt, MaxBodyBytes: c.MaxBodyBytes,
		Serves: func(intent string) bool {
			_, ok := g.policies.ForIntent(intent)
			return ok
		},
	}
	if c.Token == "" && jwt == nil {
		g.log.Warn("inapp: no token or portal keys configured: the in-app API is open to anyone (development only)")
	}
	ch, err := inapp.New(cfg)
	if err != nil {
		return err
	}
	ch.Mount(g.server)
	return nil
}

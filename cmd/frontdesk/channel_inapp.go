package main

import (
	"context"
	"fmt"

	"github.com/frontdeskhq/frontdesk/channels/inapp"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// mountInapp serves the in-app self-service API at /v1/inapp: app back ends with the
// configured token, logged-in customers with a portal JWT.
func (g *gateway) mountInapp(context.Context) error {
	c := g.cfg.Inapp
	if c.Disabled {
		return nil
	}
	cfg := inapp.Config{
		Handle: g.handle, Flows: g.router, Token: c.Token, MaxBodyBytes: c.MaxBodyBytes,
		Serves: func(intent string) bool {
			_, ok := g.policies.ForIntent(intent)
			return ok
		},
	}
	if c.Portal.Enabled() {
		jwt := &auth.JWT{Issuer: c.Portal.Issuer, Audience: c.Portal.Audience}
		for _, k := range c.Portal.HS256Keys {
			jwt.HMACKeys = append(jwt.HMACKeys, []byte(k))
		}
		for i, pem := range c.Portal.RS256PublicKeys {
			key, err := auth.ParseRSAPublicKey([]byte(pem))
			if err != nil {
				return fmt.Errorf("inapp.portal.rs256_public_keys[%d]: %w", i, err)
			}
			jwt.RSAKeys = append(jwt.RSAKeys, key)
		}
		cfg.JWT = jwt
	}
	if c.Token == "" && cfg.JWT == nil {
		g.log.Warn("inapp: no token or portal keys configured: the in-app API is open to anyone (development only)")
	}
	ch, err := inapp.New(cfg)
	if err != nil {
		return err
	}
	ch.Mount(g.server)
	return nil
}

package main

import (
	"context"
	"fmt"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// mountWebchat serves the chat widget at /chat, opened by valet links and portal logins.
func (g *gateway) mountWebchat(context.Context) error {
	wc := g.cfg.Webchat
	cfg := webchat.Config{
		Handle: g.handle, SubmitCSAT: g.router.SubmitCSAT, Sessions: g.sessions, Valet: g.valet,
		Greeting: wc.Greeting, TTL: g.cfg.Session.TTL, AllowedOrigins: wc.AllowedOrigins,
		Limits: webchat.Limits{MaxFrameBytes: wc.MaxFrameBytes, Rate: wc.Rate, Burst: wc.Burst, Idle: wc.Idle},
		Logger: g.log.With("channel", "webchat"),
	}
	if wc.JWT.Enabled() {
		j := &auth.JWT{Issuer: wc.JWT.Issuer, Audience: wc.JWT.Audience, Leeway: wc.JWT.Leeway}
		for _, k := range wc.JWT.HMACKeys {
			j.HMACKeys = append(j.HMACKeys, []byte(k))
		}
		for i, p := range wc.JWT.RSAPublicKeys {
			k, err := auth.ParseRSAPublicKey([]byte(p))
			if err != nil {
				return fmt.Errorf("webchat.jwt.rsa_public_keys[%d]: %w", i, err)
			}
			j.RSAKeys = append(j.RSAKeys, k)
		}
		cfg.JWT = j
	}
	if g.plugins != nil && g.cfg.Services.CRM != "" {
		if crm, ok := g.plugins.CRM(g.cfg.Services.CRM); ok {
			// A link's case names the customer, whom the policy then finds in the back office.
			cfg.CaseCustomer = func(ctx context.Context, caseID string) (string, error) {
				c, err := crm.GetCase(ctx, caseID)
				return c.CustomerID, err
			}
		}
	}
	webchat.New(cfg).Mount(g.server)
	return nil
}

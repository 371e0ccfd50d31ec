package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
)

// mountWebchat serves the chat widget at /chat, opened by valet links and portal logins.
func (g *gateway) mountWebchat(context.Context) error {
	wc := g.cfg.Webchat
	cfg := webchat.Config{
		Handle: g.handle, SubmitCSAT: g.router.SubmitCSAT, Sessions: g.sessions, Valet: g.valet,
		Greeting: wc.Greeting, TTL: g.cfg.Session.TTL, AllowedOrigins: wc.AllowedOrigins,
		Limits:  webchat.Limits{MaxFrameBytes: wc.MaxFrameBytes, Rate: wc.Rate, Burst: wc.Burst, Idle: wc.Idle},
		Metrics: g.reg, Logger: g.log.With("channel", "webchat"),
	}
	jwt, err := portalJWT("webchat.jwt", wc.JWT)
	if err != nil {
		return err
	}
	cfg.JWT = jwt
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

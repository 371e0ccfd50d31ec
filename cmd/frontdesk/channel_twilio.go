package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/twilio"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// mountTwilio serves the Twilio Programmable Voice webhook at /v1/twilio/voice; signatures
// are checked on public_url, the address Twilio calls.
func (g *gateway) mountTwilio(context.Context) error {
	if g.cfg.Twilio.Disabled {
		return nil
	}
	v, err := g.newVoice(message.ChannelTwilio)
	if err != nil {
		return err
	}
	twilio.New(g.cfg.Twilio.Config, g.cfg.PublicURL, v, g.sessions, g.log.With("channel", "twilio")).Mount(g.server)
	return nil
}

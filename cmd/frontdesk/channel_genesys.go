package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/genesys"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// mountGenesys serves the Genesys Cloud Bot Connector and Data Action endpoints under
// /v1/genesys.
func (g *gateway) mountGenesys(context.Context) error {
	if g.cfg.Genesys.Disabled {
		return nil
	}
	v, err := g.newVoice(message.ChannelGenesys)
	if err != nil {
		return err
	}
	genesys.New(g.cfg.Genesys.Config, v, g.policies.Intents, g.log.With("channel", "genesys")).Mount(g.server)
	return nil
}

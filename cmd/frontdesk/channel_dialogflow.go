package main

import (
	"context"

	"github.com/frontdeskhq/frontdesk/channels/dialogflow"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// mountDialogflow serves the Dialogflow ES and CX fulfillment webhooks at
// /v1/dialogflow/es and /v1/dialogflow/cx.
func (g *gateway) mountDialogflow(context.Context) error {
	if g.cfg.Dialogflow.Disabled {
		return nil
	}
	v, err := g.newVoice(message.ChannelDialogflow)
	if err != nil {
		return err
	}
	dialogflow.New(g.cfg.Dialogflow.Config, v, g.policies.Intents, g.log.With("channel", "dialogflow")).Mount(g.server)
	return nil
}

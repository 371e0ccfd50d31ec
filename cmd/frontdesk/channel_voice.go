package main

import (
	"github.com/frontdeskhq/frontdesk/channels/voice"
)

// newVoice builds the voice presentation of one voice or bot channel: questions read out,
// answers matched to choices, reprompts counted in the session store, hand-offs through the
// router so that they are logged on the case.
func (g *gateway) newVoice(channel string) (*voice.Voice, error) {
	c := g.cfg.Voice
	return voice.New(voice.Config{
		Channel: channel, Sessions: g.sessions, Handle: g.handle, HandOff: g.router.HandOff,
		Reprompts: c.Reprompts, Greeting: c.Greeting, NoInput: c.NoInput, NoMatch: c.NoMatch,
		Finish: g.cfg.Limits.RequestTimeout,
	})
}

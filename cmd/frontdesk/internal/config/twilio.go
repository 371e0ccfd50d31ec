package config

import (
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/channels/twilio"
)

// Twilio configures the Twilio Programmable Voice webhook (channels/twilio), mounted at
// /v1/twilio/voice: auth_token (write it as ${NAME}; without it signatures are not checked,
// for development only), language, voice, gather_timeout, answer_within, holds, hold_text,
// replay_window, handoff { dial, enqueue } and teams { TEAM: { dial, enqueue } }.
type Twilio struct {
	// Disabled leaves the webhook unmounted.
	Disabled      bool `yaml:"disabled"`
	twilio.Config `yaml:",inline"`
}

func (t Twilio) check() error {
	var errs []error
	if t.GatherTimeout < 0 || t.Holds < 0 || t.AnswerWithin < 0 || t.ReplayWindow < 0 {
		errs = append(errs, errors.New("twilio: gather_timeout, holds, answer_within and replay_window must not be negative"))
	}
	for team, tr := range t.Teams {
		if tr.Dial != "" && tr.Enqueue != "" {
			errs = append(errs, fmt.Errorf("twilio.teams.%s: set dial or enqueue, not both", team))
		}
	}
	if t.Handoff.Dial != "" && t.Handoff.Enqueue != "" {
		errs = append(errs, errors.New("twilio.handoff: set dial or enqueue, not both"))
	}
	return errors.Join(errs...)
}

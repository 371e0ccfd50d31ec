package config

import (
	"errors"

	"github.com/frontdeskhq/frontdesk/channels/dialogflow"
)

// Dialogflow configures the Dialogflow fulfillment webhooks (channels/dialogflow), mounted
// at /v1/dialogflow/es and /v1/dialogflow/cx. auth takes username and password (Basic) or
// header and secret, written as ${NAME}; intents maps Dialogflow intent names to frontdesk
// intents; cx_tag is the CX webhook tag that leaves the intent to Dialogflow (frontdesk);
// transfer_number receives ES phone-gateway calls on hand-off; answer_within bounds a turn
// (4s).
type Dialogflow struct {
	// Disabled leaves the webhooks unmounted.
	Disabled          bool `yaml:"disabled"`
	dialogflow.Config `yaml:",inline"`
}

func (d Dialogflow) check() error {
	if d.AnswerWithin < 0 {
		return errors.New("dialogflow.answer_within: must not be negative")
	}
	return checkAuth("dialogflow.auth", d.Auth.Username, d.Auth.Password, d.Auth.Header, d.Auth.Secret)
}

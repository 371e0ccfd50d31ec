package config

import (
	"errors"

	"github.com/frontdeskhq/frontdesk/channels/genesys"
)

// Genesys configures the Genesys Cloud channel (channels/genesys), mounted under /v1/genesys:
// the Bot Connector and a Data Action endpoint. auth takes username and password (Basic) or
// header and secret, written as ${NAME}; without them requests are not authenticated, for
// development only. bot_id names the bot (frontdesk); answer_within bounds a turn (4s).
type Genesys struct {
	// Disabled leaves the endpoints unmounted.
	Disabled       bool `yaml:"disabled"`
	genesys.Config `yaml:",inline"`
}

func (g Genesys) check() error {
	if g.AnswerWithin < 0 {
		return errors.New("genesys.answer_within: must not be negative")
	}
	return checkAuth("genesys.auth", g.Auth.Username, g.Auth.Password, g.Auth.Header, g.Auth.Secret)
}

// checkAuth finds half-configured webhook credentials.
func checkAuth(where, user, pass, header, secret string) error {
	switch {
	case (user == "") != (pass == ""):
		return errors.New(where + ": username and password go together")
	case (header == "") != (secret == ""):
		return errors.New(where + ": header and secret go together")
	}
	return nil
}

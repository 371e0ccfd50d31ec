package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestVoiceChannelSections(t *testing.T) {
	t.Setenv("FD_TEST_GENESYS_SECRET", "from-the-environment")
	c, err := Parse("frontdesk.yaml", []byte(`
policies: { dir: policies }
public_url: https://frontdesk.example.com/fd/
voice: { reprompts: 3, greeting: "Welcome to Example Bank." }
genesys:
  auth: { header: X-Frontdesk-Secret, secret: "${FD_TEST_GENESYS_SECRET}" }
  answer_within: 3s
twilio:
  auth_token: abc
  handoff: { dial: "+14155550199" }
  teams: { fraud: { enqueue: fraud-line } }
dialogflow:
  disabled: true
  intents: { "Lost card": card_lost_stolen }
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Genesys.Auth.Secret != "from-the-environment" || c.Genesys.AnswerWithin != 3*time.Second || c.Voice.Reprompts != 3 {
		t.Fatalf("genesys %+v voice %+v", c.Genesys, c.Voice)
	}
	if c.Twilio.AuthToken != "abc" || c.Twilio.Teams["fraud"].Enqueue != "fraud-line" || c.PublicURL != "https://frontdesk.example.com/fd" {
		t.Fatalf("twilio %+v %s", c.Twilio, c.PublicURL)
	}
	if !c.Dialogflow.Disabled || c.Dialogflow.Intents["Lost card"] != "card_lost_stolen" {
		t.Fatalf("dialogflow %+v", c.Dialogflow)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"twilio: { auth_tokn: x }", "auth_tokn"},
		{"genesys: { auth: { username: u } }", "genesys.auth: username and password go together"},
		{"dialogflow: { auth: { header: X-S } }", "dialogflow.auth: header and secret go together"},
		{"twilio: { handoff: { dial: a, enqueue: b } }", "twilio.handoff: set dial or enqueue"},
		{"voice: { reprompts: -1 }", "voice.reprompts"},
	} {
		_, err := Parse("frontdesk.yaml", []byte("policies: { dir: p }\n"+bad.yaml))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: got %v, want %q", bad.yaml, err, bad.want)
		}
	}
}

// The example configuration `make run` serves walks the voice channels with development
// credentials.
func TestExampleVoiceSections(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "..", "..", "examples", "config", "frontdesk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Genesys.Disabled || c.Genesys.Auth.Secret == "" || c.Twilio.Disabled || c.Dialogflow.Auth.Password == "" || c.Voice.Reprompts != 2 {
		t.Fatalf("genesys %+v twilio %+v dialogflow %+v", c.Genesys, c.Twilio, c.Dialogflow)
	}
}

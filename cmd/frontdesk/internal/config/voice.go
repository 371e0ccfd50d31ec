package config

import "fmt"

// Voice configures how the voice and bot channels (Genesys, Twilio, Dialogflow) present
// questions (channels/voice).
type Voice struct {
	// Reprompts is how many times a question is asked again after no input or an answer that
	// matches no choice, before the call goes to a human (2).
	Reprompts int `yaml:"reprompts"`
	// Greeting opens a call that starts without words (How can I help you today?).
	Greeting string `yaml:"greeting"`
	// NoInput and NoMatch start a reprompt (Sorry, I did not hear anything. / Sorry, I did
	// not get that.).
	NoInput string `yaml:"no_input"`
	NoMatch string `yaml:"no_match"`
}

func (v Voice) check() error {
	if v.Reprompts < 0 {
		return fmt.Errorf("voice.reprompts: %d is negative", v.Reprompts)
	}
	return nil
}

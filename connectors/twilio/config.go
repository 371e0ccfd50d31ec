// Package twilio is frontdesk's Messaging connector for Twilio: SMS through the Programmable
// Messaging API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json), sent from a number or a
// Messaging Service, signed in with the account's auth token or an API key.
package twilio

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/settings"
)

// Config configures the connector. DefaultConfig holds the defaults; LoadConfig fills it from a
// YAML file and TWILIO_* environment variables.
type Config struct {
	AccountSID   string `yaml:"account_sid" env:"TWILIO_ACCOUNT_SID" doc:"Account SID (AC...)"`
	AuthToken    string `yaml:"auth_token" env:"TWILIO_AUTH_TOKEN" doc:"the account's auth token" secret:"true"`
	APIKeySID    string `yaml:"api_key_sid" env:"TWILIO_API_KEY_SID" doc:"API key SID (SK...), instead of the auth token"`
	APIKeySecret string `yaml:"api_key_secret" env:"TWILIO_API_KEY_SECRET" doc:"the API key's secret" secret:"true"`

	From                string `yaml:"from" env:"TWILIO_FROM" doc:"sender: an E.164 number, short code or alphanumeric sender id"`
	MessagingServiceSID string `yaml:"messaging_service_sid" env:"TWILIO_MESSAGING_SERVICE_SID" doc:"Messaging Service (MG...) that picks the sender, instead of from"`
	StatusCallback      string `yaml:"status_callback" env:"TWILIO_STATUS_CALLBACK" doc:"URL Twilio posts delivery status to (optional)"`

	APIURL   string        `yaml:"api_url" env:"TWILIO_API_URL" doc:"API base URL"`
	Timeout  time.Duration `yaml:"timeout" env:"TWILIO_TIMEOUT" doc:"cap on one HTTP request when the caller's deadline is later"`
	Attempts int           `yaml:"attempts" env:"TWILIO_ATTEMPTS" doc:"tries per request on 429, 5xx and network errors"`
	// Remember is how many idempotency keys of sent messages are remembered, so that a call
	// retried by frontdesk does not send the SMS twice.
	Remember int `yaml:"remember" env:"TWILIO_REMEMBER" doc:"idempotency keys of sent messages kept in memory"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{APIURL: "https://api.twilio.com", Timeout: 15 * time.Second, Attempts: 3, Remember: 10000}
}

// LoadConfig reads the defaults, then the YAML file at path (if any), then the environment.
func LoadConfig(path string, lookup func(string) (string, bool)) (Config, error) {
	return settings.LoadChecked(path, lookup, DefaultConfig())
}

// Validate reports every setting that is missing or wrong at once.
func (c Config) Validate() error {
	var errs []error
	if !strings.HasPrefix(c.AccountSID, "AC") {
		errs = append(errs, errors.New("twilio: account_sid (TWILIO_ACCOUNT_SID) is required and starts with AC"))
	}
	keyed := c.APIKeySID != "" || c.APIKeySecret != ""
	switch {
	case keyed && c.AuthToken != "":
		errs = append(errs, errors.New("twilio: give the auth token or an API key, not both"))
	case keyed && (c.APIKeySID == "" || c.APIKeySecret == ""):
		errs = append(errs, errors.New("twilio: an API key needs both TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET"))
	case !keyed && c.AuthToken == "":
		errs = append(errs, errors.New("twilio: TWILIO_AUTH_TOKEN or an API key (TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET) is required"))
	}
	switch {
	case c.From == "" && c.MessagingServiceSID == "":
		errs = append(errs, errors.New("twilio: a sender is required: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID"))
	case c.MessagingServiceSID != "" && !strings.HasPrefix(c.MessagingServiceSID, "MG"):
		errs = append(errs, errors.New("twilio: messaging_service_sid starts with MG"))
	}
	if c.APIURL == "" {
		errs = append(errs, errors.New("twilio: api_url is empty"))
	}
	return errors.Join(errs...)
}

// Usage writes the connector's settings, one a line: environment variable, YAML key, meaning
// and default.
func Usage(w io.Writer) {
	settings.Usage(w, DefaultConfig())
}

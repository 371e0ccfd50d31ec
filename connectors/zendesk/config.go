// Package zendesk is frontdesk's CRM connector for Zendesk Support: a case is a ticket found by
// its external_id (and created with an Idempotency-Key), the decision log is internal comments,
// assignment goes to groups and agents, and intent, confidence and category go to custom ticket
// fields. It signs in with an API token or an OAuth access token.
package zendesk

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/settings"
)

// Config configures the connector. DefaultConfig holds the defaults; LoadConfig fills it from a
// YAML file and ZENDESK_* environment variables.
type Config struct {
	URL       string `yaml:"url" env:"ZENDESK_URL" doc:"account URL, such as https://acme.zendesk.com (or set the subdomain)"`
	Subdomain string `yaml:"subdomain" env:"ZENDESK_SUBDOMAIN" doc:"account subdomain: acme for https://acme.zendesk.com"`

	Email      string `yaml:"email" env:"ZENDESK_EMAIL" doc:"agent email the API token belongs to"`
	APIToken   string `yaml:"api_token" env:"ZENDESK_API_TOKEN" doc:"API token (Admin Center > Apps and integrations > Zendesk API)" secret:"true"`
	OAuthToken string `yaml:"oauth_token" env:"ZENDESK_OAUTH_TOKEN" doc:"OAuth access token, instead of email and API token" secret:"true"`

	IntentFieldID     int64 `yaml:"intent_field_id" env:"ZENDESK_INTENT_FIELD_ID" doc:"custom ticket field for the intent (0: not written)"`
	ConfidenceFieldID int64 `yaml:"confidence_field_id" env:"ZENDESK_CONFIDENCE_FIELD_ID" doc:"custom decimal field for the confidence (0: not written)"`
	CategoryFieldID   int64 `yaml:"category_field_id" env:"ZENDESK_CATEGORY_FIELD_ID" doc:"custom ticket field for the category (0: not written)"`
	CustomerFieldID   int64 `yaml:"customer_field_id" env:"ZENDESK_CUSTOMER_FIELD_ID" doc:"custom ticket field for the back-office customer id (0: not written)"`
	// Groups maps the queue names policies use to group ids; a name not listed is looked up
	// among the account's groups by name.
	Groups map[string]int64 `yaml:"groups"`
	Tags   []string         `yaml:"tags" env:"ZENDESK_TAGS" doc:"tags put on the tickets frontdesk creates (comma-separated)"`

	Timeout  time.Duration `yaml:"timeout" env:"ZENDESK_TIMEOUT" doc:"cap on one HTTP request when the caller's deadline is later"`
	Attempts int           `yaml:"attempts" env:"ZENDESK_ATTEMPTS" doc:"tries per request on 429, 5xx and network errors"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Tags: []string{"frontdesk"}, Timeout: 30 * time.Second, Attempts: 4}
}

// LoadConfig reads the defaults, then the YAML file at path (if any), then the environment.
func LoadConfig(path string, lookup func(string) (string, bool)) (Config, error) {
	return settings.LoadChecked(path, lookup, DefaultConfig())
}

// baseURL is the account's URL without a trailing slash.
func (c Config) baseURL() string {
	if c.URL != "" {
		return strings.TrimRight(c.URL, "/")
	}
	return "https://" + c.Subdomain + ".zendesk.com"
}

// Validate reports every setting that is missing or wrong at once.
func (c Config) Validate() error {
	var errs []error
	if c.URL == "" && c.Subdomain == "" {
		errs = append(errs, errors.New("zendesk: url (ZENDESK_URL) or subdomain (ZENDESK_SUBDOMAIN) is required"))
	}
	switch {
	case c.OAuthToken != "" && c.APIToken != "":
		errs = append(errs, errors.New("zendesk: give an API token or an OAuth token, not both"))
	case c.OAuthToken == "" && c.APIToken == "":
		errs = append(errs, errors.New("zendesk: ZENDESK_API_TOKEN (with ZENDESK_EMAIL) or ZENDESK_OAUTH_TOKEN is required"))
	case c.APIToken != "" && c.Email == "":
		errs = append(errs, errors.New("zendesk: an API token needs the agent's email (ZENDESK_EMAIL)"))
	}
	if strings.Contains(c.Subdomain, ".") || strings.Contains(c.Subdomain, "/") {
		errs = append(errs, fmt.Errorf("zendesk: subdomain %q should be the name alone, such as acme", c.Subdomain))
	}
	return errors.Join(errs...)
}

// Usage writes the connector's settings, one a line: environment variable, YAML key, meaning
// and default.
func Usage(w io.Writer) {
	settings.Usage(w, DefaultConfig())
}

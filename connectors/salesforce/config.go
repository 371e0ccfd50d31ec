// Package salesforce is frontdesk's CRM connector for Salesforce Service Cloud: cases through the
// REST API's sObject resources, made idempotent by upserting on an external-id field, the
// decision log as CaseComments (or Tasks), assignment to queues and users, and OAuth 2.0
// client-credentials or JWT-bearer sign-in with the token renewed when Salesforce expires it.
package salesforce

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/settings"
)

// Flows of OAuth 2.0 sign-in.
const (
	// FlowClientCredentials signs in as the connected app's run-as user with its key and secret.
	FlowClientCredentials = "client_credentials"
	// FlowJWTBearer signs in as a named user with a JWT signed by the connected app's
	// certificate key; no secret crosses the wire.
	FlowJWTBearer = "jwt_bearer"
)

// Objects the decision log can be written as.
const (
	NoteCaseComment = "CaseComment"
	NoteTask        = "Task"
)

// Config configures the connector. DefaultConfig holds the defaults; settings.Load fills it
// from a YAML file and SALESFORCE_* environment variables.
type Config struct {
	InstanceURL string `yaml:"instance_url" env:"SALESFORCE_INSTANCE_URL" doc:"My Domain URL, such as https://acme.my.salesforce.com"`
	APIVersion  string `yaml:"api_version" env:"SALESFORCE_API_VERSION" doc:"REST API version"`
	Auth        Auth   `yaml:"auth"`

	ExternalIDField string `yaml:"external_id_field" env:"SALESFORCE_EXTERNAL_ID_FIELD" doc:"Case field marked External ID and Unique that holds frontdesk's case key"`
	IntentField     string `yaml:"intent_field" env:"SALESFORCE_INTENT_FIELD" doc:"Case field for the recognized intent"`
	ConfidenceField string `yaml:"confidence_field" env:"SALESFORCE_CONFIDENCE_FIELD" doc:"Case number field for the intent's confidence (empty: not written)"`
	CategoryField   string `yaml:"category_field" env:"SALESFORCE_CATEGORY_FIELD" doc:"Case field for the category"`
	CustomerField   string `yaml:"customer_field" env:"SALESFORCE_CUSTOMER_FIELD" doc:"Case field for the back-office customer id (empty: not written)"`
	// Origins maps frontdesk channels to values of the Case's Origin picklist; a channel not
	// listed leaves Origin to Salesforce's default.
	Origins map[string]string `yaml:"origins"`
	// Queues maps the queue names policies use to queue DeveloperNames or Group ids; a name not
	// listed is looked up as a DeveloperName.
	Queues     map[string]string `yaml:"queues"`
	NoteObject string            `yaml:"note_object" env:"SALESFORCE_NOTE_OBJECT" doc:"where the decision log goes: CaseComment or Task"`

	Timeout  time.Duration `yaml:"timeout" env:"SALESFORCE_TIMEOUT" doc:"cap on one HTTP request when the caller's deadline is later"`
	Attempts int           `yaml:"attempts" env:"SALESFORCE_ATTEMPTS" doc:"tries per request on 429, 5xx and network errors"`
}

// Auth configures the OAuth 2.0 sign-in.
type Auth struct {
	Flow           string `yaml:"flow" env:"SALESFORCE_AUTH_FLOW" doc:"client_credentials or jwt_bearer"`
	TokenURL       string `yaml:"token_url" env:"SALESFORCE_TOKEN_URL" doc:"token endpoint (default <instance_url>/services/oauth2/token)"`
	ClientID       string `yaml:"client_id" env:"SALESFORCE_CLIENT_ID" doc:"connected app's consumer key"`
	ClientSecret   string `yaml:"client_secret" env:"SALESFORCE_CLIENT_SECRET" doc:"consumer secret (client_credentials)" secret:"true"`
	Username       string `yaml:"username" env:"SALESFORCE_USERNAME" doc:"user to act as (jwt_bearer)"`
	PrivateKeyFile string `yaml:"private_key_file" env:"SALESFORCE_PRIVATE_KEY_FILE" doc:"PEM RSA key whose certificate the connected app holds (jwt_bearer)"`
	PrivateKey     string `yaml:"private_key" env:"SALESFORCE_PRIVATE_KEY" doc:"the same key as PEM text, instead of a file" secret:"true"`
	Audience       string `yaml:"audience" env:"SALESFORCE_AUDIENCE" doc:"JWT aud: https://login.salesforce.com, or https://test.salesforce.com for sandboxes"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		APIVersion:      "v61.0",
		Auth:            Auth{Flow: FlowClientCredentials, Audience: "https://login.salesforce.com"},
		ExternalIDField: "Frontdesk_External_Id__c",
		IntentField:     "Frontdesk_Intent__c",
		CategoryField:   "Type",
		Origins: map[string]string{
			"email": "Email", "webchat": "Web", "inapp": "Web", "dialogflow": "Web",
			"genesys": "Phone", "twilio": "Phone",
		},
		NoteObject: NoteCaseComment,
		Timeout:    30 * time.Second,
		Attempts:   4,
	}
}

// LoadConfig reads the defaults, then the YAML file at path (if any), then the environment.
func LoadConfig(path string, lookup func(string) (string, bool)) (Config, error) {
	return settings.LoadChecked(path, lookup, DefaultConfig())
}

// Validate reports every setting that is missing or wrong at once.
func (c Config) Validate() error {
	var errs []error
	need := func(v, name string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("salesforce: %s is required", name))
		}
	}
	need(c.InstanceURL, "instance_url (SALESFORCE_INSTANCE_URL)")
	need(c.ExternalIDField, "external_id_field")
	need(c.Auth.ClientID, "auth.client_id (SALESFORCE_CLIENT_ID)")
	if !strings.HasPrefix(c.APIVersion, "v") {
		errs = append(errs, fmt.Errorf("salesforce: api_version %q should look like v61.0", c.APIVersion))
	}
	switch c.Auth.Flow {
	case FlowClientCredentials:
		need(c.Auth.ClientSecret, "auth.client_secret (SALESFORCE_CLIENT_SECRET)")
	case FlowJWTBearer:
		need(c.Auth.Username, "auth.username (SALESFORCE_USERNAME)")
		if c.Auth.PrivateKey == "" && c.Auth.PrivateKeyFile == "" {
			errs = append(errs, errors.New("salesforce: jwt_bearer needs auth.private_key_file or SALESFORCE_PRIVATE_KEY"))
		}
	default:
		errs = append(errs, fmt.Errorf("salesforce: auth.flow %q is neither %s nor %s", c.Auth.Flow, FlowClientCredentials, FlowJWTBearer))
	}
	if c.NoteObject != NoteCaseComment && c.NoteObject != NoteTask {
		errs = append(errs, fmt.Errorf("salesforce: note_object %q is neither %s nor %s", c.NoteObject, NoteCaseComment, NoteTask))
	}
	return errors.Join(errs...)
}

// Usage writes the connector's settings, one a line: environment variable, YAML key, meaning
// and default.
func Usage(w io.Writer) {
	settings.Usage(w, DefaultConfig())
}

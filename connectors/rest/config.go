// Package rest is frontdesk's connector for a back office that speaks HTTP and JSON in its own
// way. Each operation (GetCustomer, SubmitChangeRequest, GetChangeRequest, ListChangeRequests)
// and each named hydrator call is configured as an endpoint: a method, URL, header and body
// templates (Go text/template over the call's arguments), and a mapping of dotted paths in the
// JSON answer to the SDK's fields. Templates and paths are compiled when the configuration
// loads, so a typo fails at start-up with the operation's name, never on a customer's call.
package rest

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/settings"
)

// Names of the BackOffice operations an endpoint can be configured for.
const (
	OpGetCustomer         = "GetCustomer"
	OpSubmitChangeRequest = "SubmitChangeRequest"
	OpGetChangeRequest    = "GetChangeRequest"
	OpListChangeRequests  = "ListChangeRequests"
)

var operations = []string{OpGetCustomer, OpSubmitChangeRequest, OpGetChangeRequest, OpListChangeRequests}

// Config configures the connector. It is read from a YAML file (operations cannot be written in
// environment variables); REST_* variables override the scalar settings.
type Config struct {
	BaseURL string `yaml:"base_url" env:"REST_BASE_URL" doc:"URL the endpoints' relative URLs are resolved against"`
	Auth    Auth   `yaml:"auth"`
	// Headers are sent with every request.
	Headers  map[string]string `yaml:"headers"`
	Timeout  time.Duration     `yaml:"timeout" env:"REST_TIMEOUT" doc:"cap on one HTTP request when the caller's deadline is later"`
	Attempts int               `yaml:"attempts" env:"REST_ATTEMPTS" doc:"tries per request on 429, 5xx and network errors"`

	// Operations configures the BackOffice operations by name; one not configured answers
	// plugin.ErrUnimplemented.
	Operations map[string]Endpoint `yaml:"operations"`
	// Hydrators configures the named calls of Fetch.
	Hydrators map[string]Endpoint `yaml:"hydrators"`
}

// Auth names the header that carries the credential and the environment variable it is read
// from, so that the secret stays out of the file.
type Auth struct {
	Header string `yaml:"header" env:"REST_AUTH_HEADER" doc:"header carrying the credential, such as Authorization"`
	Prefix string `yaml:"prefix" env:"REST_AUTH_PREFIX" doc:"text before the credential, such as \"Bearer \""`
	Env    string `yaml:"env" env:"REST_AUTH_ENV" doc:"environment variable holding the credential"`
	// Value is the credential, read from Env by LoadConfig.
	Value string `yaml:"-"`
}

// Endpoint is one HTTP call. URL, Headers and Body are Go text/template templates over the
// call's arguments, with the functions json (a value as JSON), path (escaped for a URL path
// segment) and query (escaped for a query parameter).
type Endpoint struct {
	Method  string            `yaml:"method"`
	URL     string            `yaml:"url"`
	Headers map[string]string `yaml:"headers"`
	// Body is the request body; when empty, a POST, PUT or PATCH sends the arguments as JSON.
	Body     string  `yaml:"body"`
	Response Mapping `yaml:"response"`
}

// Mapping says where the SDK's fields are in the JSON answer, as dotted paths ("data.items.0.id";
// a number indexes an array).
type Mapping struct {
	// Root is the path of the object (or, for hydrators, the value) to read; "" is the whole body.
	Root string `yaml:"root"`
	// Items is the path of the array of a listing (ListChangeRequests), relative to Root.
	Items string `yaml:"items"`
	// Fields maps SDK fields (id, name, phone, address.street, attributes.tier, ...) to paths
	// relative to the object; a field not listed is read from the path of its own name.
	Fields map[string]string `yaml:"fields"`
	// StatusValues maps the back office's change-request states to pending, approved, rejected.
	StatusValues map[string]string `yaml:"status_values"`
}

// DefaultConfig returns the defaults of the scalar settings.
func DefaultConfig() Config {
	return Config{Timeout: 15 * time.Second, Attempts: 3}
}

// LoadConfig reads the YAML file at path, then the environment, reads the credential from the
// variable auth.env names, and compiles the configuration to report every mistake at once.
func LoadConfig(path string, lookup func(string) (string, bool)) (Config, error) {
	c := DefaultConfig()
	if path == "" {
		return Config{}, errors.New("rest: a configuration file is required (-config or REST_CONFIG)")
	}
	if err := settings.Load(path, lookup, &c); err != nil {
		return Config{}, err
	}
	if c.Auth.Env != "" {
		v, ok := lookup(c.Auth.Env)
		if !ok || v == "" {
			return Config{}, fmt.Errorf("rest: %s: auth.env names %s, which is not set", path, c.Auth.Env)
		}
		c.Auth.Value = v
	}
	if _, err := compile(c); err != nil {
		return Config{}, fmt.Errorf("rest: %s: %w", path, err)
	}
	return c, nil
}

// validate checks what compile does not: names and required settings.
func (c Config) validate() error {
	var errs []error
	if c.BaseURL == "" {
		errs = append(errs, errors.New("base_url (REST_BASE_URL) is required"))
	}
	if (c.Auth.Header == "") != (c.Auth.Env == "" && c.Auth.Value == "") {
		errs = append(errs, errors.New("auth needs both header and env"))
	}
	if len(c.Operations) == 0 && len(c.Hydrators) == 0 {
		errs = append(errs, errors.New("no operations and no hydrators are configured"))
	}
	for name := range c.Operations {
		if !slices.Contains(operations, name) {
			errs = append(errs, fmt.Errorf("operations.%s: unknown operation; known: %s", name, strings.Join(operations, ", ")))
		}
	}
	return errors.Join(errs...)
}

// Usage writes the connector's settings, one a line: environment variable, YAML key, meaning
// and default.
func Usage(w io.Writer) {
	settings.Usage(w, DefaultConfig())
}

// Package config reads frontdesk's one YAML configuration file: strictly (unknown fields are
// errors with file, line and column), with secrets taken from the environment as ${NAME}, and
// with relative paths resolved against the file's folder.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/frontdeskhq/frontdesk/plugins"
	"github.com/frontdeskhq/frontdesk/wasm"
)

// Config is the whole configuration. Every section is optional; the defaults serve the
// examples on one machine.
type Config struct {
	// Listen is the HTTP address, such as 127.0.0.1:8080.
	Listen string `yaml:"listen"`
	// PublicURL is where customers reach this server (scheme, host, optional path prefix),
	// used in links sent by email and in platform signatures computed behind proxies. It is
	// http:// plus Listen when empty.
	PublicURL string `yaml:"public_url"`
	// Valet signs the links that continue a request in another channel.
	Valet  Valet  `yaml:"valet"`
	Log    Log    `yaml:"log"`
	Limits Limits `yaml:"limits"`
	// Policies says where policies come from.
	Policies Policies `yaml:"policies"`
	Intents  Intents  `yaml:"intents"`
	Routing  Routing  `yaml:"routing"`
	Session  Session  `yaml:"session"`
	Store    Store    `yaml:"store"`
	// Plugins are started as processes; Services names which plugin serves the router.
	Plugins   []plugins.Config `yaml:"plugins"`
	Services  Services         `yaml:"services"`
	Executors Executors        `yaml:"executors"`
	API       API              `yaml:"api"`
	Inapp     Inapp            `yaml:"inapp"`
	Admin     Admin            `yaml:"admin"`
	// Webchat configures the web chat widget and its portal login.
	Webchat Webchat `yaml:"webchat"`
	// Email configures the mailboxes polled and the replies sent.
	Email Email `yaml:"email"`
	// Studio configures the policy lifecycle: dev mode, the promotion gate, shadow runs.
	Studio Studio `yaml:"studio"`
	// Genesys, Twilio and Dialogflow configure the voice and bot platforms; Voice how they
	// present questions.
	Genesys    Genesys    `yaml:"genesys"`
	Twilio     Twilio     `yaml:"twilio"`
	Dialogflow Dialogflow `yaml:"dialogflow"`
	Voice      Voice      `yaml:"voice"`
}

// Log sets logging.
type Log struct {
	// Level is debug, info, warn or error. Message texts and contact details are logged
	// only at debug.
	Level string `yaml:"level"`
	// Format is text or json.
	Format string `yaml:"format"`
}

// Limits bound requests.
type Limits struct {
	// MaxBodyBytes is the largest HTTP body accepted (1 MiB).
	MaxBodyBytes int `yaml:"max_body_bytes"`
	// RequestTimeout bounds the handling of one message (10s).
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// DrainDelay is how long a stopping instance fails /healthz before it stops listening, so
	// a load balancer takes it out of rotation first (0; 5s behind Kubernetes).
	DrainDelay time.Duration `yaml:"drain_delay"`
}

// Policies says where policies come from.
type Policies struct {
	// Dir is a folder of policy files, loaded as live versions (development mode).
	Dir string `yaml:"dir"`
}

// Intents configures recognition: an ONNX model bundle, or fixed keyword rules.
type Intents struct {
	// Model is a model bundle folder (`frontdesk train --out`).
	Model string `yaml:"model"`
	// Keywords map intents to phrases, used when no model is configured.
	Keywords map[string][]string `yaml:"keywords"`
}

// Routing names the human teams for what automation does not finish.
type Routing struct {
	DefaultTeam string              `yaml:"default_team"`
	Teams       map[string][]string `yaml:"teams"`
}

// Session configures conversation state, one-time codes and rate limits.
type Session struct {
	// Backend is memory (one process) or redis (shared by every instance).
	Backend string `yaml:"backend"`
	// URL is the Redis URL for the redis backend: redis://host:port/db, with
	// ?master_name=NAME for Sentinel or several &addr= for a Cluster. Write secrets as ${NAME}.
	URL string `yaml:"url"`
	// Prefix starts every key, so several deployments can share one Redis ("frontdesk:").
	Prefix string `yaml:"prefix"`
	// TTL is how long an idle conversation is kept (24h).
	TTL time.Duration `yaml:"ttl"`
}

// Store configures durable state.
type Store struct {
	// Driver is sqlite (one machine) or postgres (shared by every instance).
	Driver string `yaml:"driver"`
	// Path is the SQLite file.
	Path string `yaml:"path"`
	// URL is the PostgreSQL URL for the postgres driver. Write secrets as ${NAME}.
	URL string `yaml:"url"`
}

// Services names the plugins that serve the router's own needs.
type Services struct {
	// CRM is the plugin that receives cases and the decision log.
	CRM string `yaml:"crm"`
	// Messaging is the plugin that sends one-time codes by SMS.
	Messaging string `yaml:"messaging"`
	// BackOffice is the plugin that knows customers' phone numbers for one-time codes.
	BackOffice string `yaml:"backoffice"`
}

// Executors configures the WebAssembly executors: a manifest file (such as the one make wasm
// writes), modules listed here, or both.
type Executors struct {
	// CacheDir keeps compiled modules across restarts.
	CacheDir string `yaml:"cache_dir"`
	// Manifest is a file of executor declarations with their sha256 pins.
	Manifest string              `yaml:"manifest"`
	Modules  []wasm.ModuleConfig `yaml:"modules"`
}

// API configures the plain JSON channel.
type API struct {
	// Token, when set, is required as a bearer token. Write it as ${NAME} to take it from the
	// environment.
	Token string `yaml:"token"`
}

// Valet configures valet keys (core/auth.Valet).
type Valet struct {
	// Keys are secrets of at least 16 bytes, written as ${NAME}; the first signs, all verify.
	// Without keys a random one is made at start: links then die with the process and work on
	// this instance only, which suits development, never a deployment of many instances.
	Keys []string `yaml:"keys"`
	// TTL is how long a link stays valid; 24h when zero.
	TTL time.Duration `yaml:"ttl"`
}

// Admin configures the admin API.
type Admin struct {
	// Token is required as a bearer token on every admin endpoint; without one the admin API
	// is off. Write it as ${NAME} to take it from the environment.
	Token string `yaml:"token"`
}

// Load reads and checks the configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a configuration, expands ${NAME} from the environment, resolves relative
// paths against the file's folder and fills defaults.
func Parse(path string, data []byte) (*Config, error) {
	var c Config
	if err := yaml.UnmarshalWithOptions(data, &c, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("%s:%s", path, yaml.FormatError(err, false, true))
	}
	if err := expandEnv(reflect.ValueOf(&c).Elem()); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// An absolute folder: a plugin command "./frontdesk-local" beside a config given as
	// "cfg.yaml" must stay a path, not become a bare name looked up on PATH.
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.resolve(dir)
	c.defaults()
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) defaults() {
	c.Email.defaults()
	c.Studio.defaults()
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Listen
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.Valet.TTL == 0 {
		c.Valet.TTL = 24 * time.Hour
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	if c.Limits.MaxBodyBytes == 0 {
		c.Limits.MaxBodyBytes = 1 << 20
	}
	if c.Limits.RequestTimeout == 0 {
		c.Limits.RequestTimeout = 10 * time.Second
	}
	if c.Session.Backend == "" {
		c.Session.Backend = "memory"
	}
	if c.Session.Prefix == "" {
		c.Session.Prefix = "frontdesk:"
	}
	if c.Session.TTL == 0 {
		c.Session.TTL = 24 * time.Hour
	}
	if c.Store.Driver == "" {
		c.Store.Driver = "sqlite"
	}
	if c.Routing.DefaultTeam == "" {
		c.Routing.DefaultTeam = "general-support"
	}
}

func (c *Config) check() error {
	var errs []error
	if c.Policies.Dir == "" && c.Studio.ImportsDir() {
		errs = append(errs, errors.New("policies.dir: a folder of policies is required in dev mode (studio.dev_mode)"))
	}
	switch {
	case c.Session.Backend == "redis" && c.Session.URL == "":
		errs = append(errs, errors.New("session.url: the redis backend needs a Redis URL"))
	case c.Session.Backend != "memory" && c.Session.Backend != "redis":
		errs = append(errs, fmt.Errorf("session.backend: %q is not one of memory, redis", c.Session.Backend))
	}
	switch {
	case c.Store.Driver == "postgres" && c.Store.URL == "":
		errs = append(errs, errors.New("store.url: the postgres driver needs a PostgreSQL URL"))
	case c.Store.Driver != "sqlite" && c.Store.Driver != "postgres":
		errs = append(errs, fmt.Errorf("store.driver: %q is not one of sqlite, postgres", c.Store.Driver))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level: %q is not one of debug, info, warn, error", c.Log.Level))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("log.format: %q is not text or json", c.Log.Format))
	}
	for i, k := range c.Valet.Keys {
		if len(k) < 16 {
			errs = append(errs, fmt.Errorf("valet.keys[%d]: a key needs at least 16 bytes", i))
		}
	}
	errs = append(errs, c.Webchat.check())
	errs = append(errs, c.Email.check())
	errs = append(errs, c.Studio.check())
	errs = append(errs, c.Genesys.check(), c.Twilio.check(), c.Dialogflow.check(), c.Voice.check())
	if err := c.Inapp.check(); err != nil {
		errs = append(errs, err)
	}
	names := map[string]bool{}
	for _, p := range c.Plugins {
		names[p.Name] = true
	}
	for field, name := range map[string]string{"crm": c.Services.CRM, "messaging": c.Services.Messaging, "backoffice": c.Services.BackOffice} {
		if name != "" && !names[name] {
			errs = append(errs, fmt.Errorf("services.%s: no plugin named %q", field, name))
		}
	}
	return errors.Join(errs...)
}

// resolve makes relative paths relative to the configuration's folder, so a config works from
// any working directory.
func (c *Config) resolve(dir string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	abs(&c.Policies.Dir)
	abs(&c.Intents.Model)
	abs(&c.Store.Path)
	abs(&c.Executors.CacheDir)
	abs(&c.Executors.Manifest)
	for i := range c.Executors.Modules {
		abs(&c.Executors.Modules[i].Path)
	}
	for i := range c.Plugins {
		if strings.ContainsRune(c.Plugins[i].Command, filepath.Separator) {
			abs(&c.Plugins[i].Command)
		}
	}
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${NAME} in every string of the configuration with the environment
// variable; an unset variable is an error, so a missing secret fails at start.
func expandEnv(v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		var missing []string
		out := envRef.ReplaceAllStringFunc(v.String(), func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			val, ok := os.LookupEnv(name)
			if !ok {
				missing = append(missing, name)
			}
			return val
		})
		if len(missing) > 0 {
			return fmt.Errorf("environment variable %s is not set", strings.Join(missing, ", "))
		}
		if v.CanSet() {
			v.SetString(out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				if err := expandEnv(v.Field(i)); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if err := expandEnv(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			if err := expandEnv(e); err != nil {
				return err
			}
			v.SetMapIndex(k, e)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			return expandEnv(v.Elem())
		}
	}
	return nil
}

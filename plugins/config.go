package plugins

import (
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Config describes one plugin process. The zero values of the optional fields take the
// defaults below.
type Config struct {
	// Name is how policies address the plugin: `do: <name>.AssignCase`, `plugin: <name>`.
	Name string `yaml:"name" json:"name"`
	// Command is the plugin binary; a relative path resolves against the working directory.
	Command string   `yaml:"command" json:"command"`
	Args    []string `yaml:"args,omitempty" json:"args,omitempty"`
	// Env is added to the plugin's environment, which otherwise is frontdesk's own with
	// GOMAXPROCS set to DefaultGOMAXPROCS; set GOMAXPROCS here to give a plugin more.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	// SHA256, when set, is the hex checksum the binary must have before it is started.
	SHA256 string `yaml:"sha256,omitempty" json:"sha256,omitempty"`
	// Timeout bounds every call, waiting for a free slot and for a restart included (5s).
	Timeout time.Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	// MaxConcurrent limits the calls in flight to the plugin at once (64).
	MaxConcurrent int `yaml:"max_concurrent,omitempty" json:"max_concurrent,omitempty"`
	// StartTimeout bounds the start of the process up to its handshake (10s).
	StartTimeout time.Duration `yaml:"start_timeout,omitempty" json:"start_timeout,omitempty"`
	// HealthInterval is the time between health checks (5s).
	HealthInterval time.Duration `yaml:"health_interval,omitempty" json:"health_interval,omitempty"`
}

// The defaults of Config's optional fields, and the bounds of the restart backoff.
const (
	DefaultTimeout        = 5 * time.Second
	DefaultMaxConcurrent  = 64
	DefaultStartTimeout   = 10 * time.Second
	DefaultHealthInterval = 5 * time.Second

	// DefaultGOMAXPROCS is the GOMAXPROCS of plugin processes unless their Env sets it.
	// Plugins are adapters that mostly wait on other systems, and on one P the hand-offs
	// between gRPC's goroutines stay on one thread instead of waking others for each call
	// (less CPU per call and more calls/s, see plugins/README.md). The price: a plugin's Go
	// code runs on one core at a time.
	DefaultGOMAXPROCS = "1"

	// healthTimeout bounds one health check.
	healthTimeout = 2 * time.Second
	// The first restart after a stable run is immediate; crashes in a row wait from
	// minBackoff, doubling up to maxBackoff. A run is stable after stableAfter.
	minBackoff  = 100 * time.Millisecond
	maxBackoff  = 30 * time.Second
	stableAfter = time.Minute
)

// validName keeps plugin names usable in action names ("crm.AssignCase") and expressions.
var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// withDefaults returns c with the defaults filled in, or what is wrong with it.
func (c Config) withDefaults() (Config, error) {
	if !validName.MatchString(c.Name) {
		return c, fmt.Errorf("plugin name %q: want lower-case letters, digits and _, starting with a letter", c.Name)
	}
	if c.Command == "" {
		return c, fmt.Errorf("plugin %q: no command", c.Name)
	}
	if c.SHA256 != "" {
		if b, err := hex.DecodeString(c.SHA256); err != nil || len(b) != 32 {
			return c, fmt.Errorf("plugin %q: sha256 %q is not 64 hex digits", c.Name, c.SHA256)
		}
	}
	if c.Timeout < 0 || c.MaxConcurrent < 0 || c.StartTimeout < 0 || c.HealthInterval < 0 {
		return c, fmt.Errorf("plugin %q: negative timeout, interval or limit", c.Name)
	}
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.MaxConcurrent = cmp.Or(c.MaxConcurrent, DefaultMaxConcurrent)
	c.StartTimeout = cmp.Or(c.StartTimeout, DefaultStartTimeout)
	c.HealthInterval = cmp.Or(c.HealthInterval, DefaultHealthInterval)
	return c, nil
}

// validate checks a list of configs, names unique included.
func validate(cfgs []Config) ([]Config, error) {
	out := make([]Config, len(cfgs))
	seen := map[string]bool{}
	var errs []error
	for i, c := range cfgs {
		c, err := c.withDefaults()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[c.Name] {
			errs = append(errs, fmt.Errorf("plugin %q: listed twice", c.Name))
		}
		seen[c.Name] = true
		out[i] = c
	}
	return out, errors.Join(errs...)
}

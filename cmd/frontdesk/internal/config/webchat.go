package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/auth"
)

// Webchat configures the web chat channel (channels/webchat), served at /chat.
type Webchat struct {
	// Greeting opens a portal chat ("Hello! How can I help you today?").
	Greeting string `yaml:"greeting"`
	// AllowedOrigins are other sites whose pages may open the chat's socket or frame the
	// chat page; the server's own origin always may.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// MaxFrameBytes is the largest client frame (16384).
	MaxFrameBytes int `yaml:"max_frame_bytes"`
	// Rate and Burst bound client frames per second per connection (5 and 20); a flood
	// closes the connection.
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
	// Idle closes a silent connection (2m).
	Idle time.Duration `yaml:"idle"`
	// JWT lets logged-in portal customers open a chat; off when empty.
	JWT JWT `yaml:"jwt"`
}

// JWT configures portal tokens (core/auth.JWT): HS256 secrets and/or RS256 public keys.
type JWT struct {
	Issuer   string `yaml:"issuer"`
	Audience string `yaml:"audience"`
	// HMACKeys are HS256 secrets of at least 32 bytes, written as ${NAME}.
	HMACKeys []string `yaml:"hmac_keys"`
	// RSAPublicKeys are PEM public keys ("PUBLIC KEY" or "RSA PUBLIC KEY") for RS256.
	RSAPublicKeys []string `yaml:"rsa_public_keys"`
	// Leeway tolerates clock skew on expiry (30s).
	Leeway time.Duration `yaml:"leeway"`
}

// Enabled reports whether portal tokens are configured.
func (j JWT) Enabled() bool { return len(j.HMACKeys) > 0 || len(j.RSAPublicKeys) > 0 }

func (w Webchat) check() error {
	var errs []error
	if w.MaxFrameBytes < 0 || w.Rate < 0 || w.Burst < 0 || w.Idle < 0 {
		errs = append(errs, errors.New("webchat: max_frame_bytes, rate, burst and idle cannot be negative"))
	}
	return errors.Join(append(errs, w.JWT.check("webchat.jwt"))...)
}

// check validates portal token settings found at section, such as webchat.jwt.
func (j JWT) check(section string) error {
	if !j.Enabled() {
		if j.Issuer != "" || j.Audience != "" {
			return fmt.Errorf("%s: issuer and audience are set but no hmac_keys or rsa_public_keys", section)
		}
		return nil
	}
	var errs []error
	if j.Issuer == "" || j.Audience == "" {
		errs = append(errs, fmt.Errorf("%s: issuer and audience are required", section))
	}
	for i, k := range j.HMACKeys {
		if len(k) < 32 {
			errs = append(errs, fmt.Errorf("%s.hmac_keys[%d]: a secret needs at least 32 bytes", section, i))
		}
	}
	for i, k := range j.RSAPublicKeys {
		if _, err := auth.ParseRSAPublicKey([]byte(k)); err != nil {
			errs = append(errs, fmt.Errorf("%s.rsa_public_keys[%d]: %w", section, i, err))
		}
	}
	return errors.Join(errs...)
}

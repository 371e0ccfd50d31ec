package config

import (
	"errors"
	"fmt"
)

// Inapp configures the in-app self-service API (channels/inapp), mounted at /v1/inapp.
type Inapp struct {
	// Disabled leaves the API unmounted.
	Disabled bool `yaml:"disabled"`
	// Token admits an app's back end that sends it as a bearer token and names the customer
	// itself. Write it as ${NAME}. Without a token and portal keys the API is open, which
	// suits development only.
	Token string `yaml:"token"`
	// Portal admits logged-in customers with the support portal's JWT.
	Portal InappPortal `yaml:"portal"`
	// MaxBodyBytes is the largest request body (64 KiB).
	MaxBodyBytes int `yaml:"max_body_bytes"`
}

// InappPortal says which portal tokens (JWT, HS256 or RS256) the in-app API accepts.
type InappPortal struct {
	// Issuer and Audience must match the token's iss and aud.
	Issuer   string `yaml:"issuer"`
	Audience string `yaml:"audience"`
	// HS256Keys are shared secrets of at least 32 bytes, written as ${NAME}.
	HS256Keys []string `yaml:"hs256_keys"`
	// RS256PublicKeys are PEM public keys of the portal.
	RS256PublicKeys []string `yaml:"rs256_public_keys"`
}

// Enabled tells whether portal tokens are accepted.
func (p InappPortal) Enabled() bool { return len(p.HS256Keys) > 0 || len(p.RS256PublicKeys) > 0 }

func (i Inapp) check() error {
	var errs []error
	p := i.Portal
	if p.Enabled() && (p.Issuer == "" || p.Audience == "") {
		errs = append(errs, errors.New("inapp.portal: issuer and audience are required with portal keys"))
	}
	for n, k := range p.HS256Keys {
		if len(k) < 32 {
			errs = append(errs, fmt.Errorf("inapp.portal.hs256_keys[%d]: a key needs at least 32 bytes", n))
		}
	}
	if i.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("inapp.max_body_bytes: %d is negative", i.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

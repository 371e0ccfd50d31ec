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
	// JWT admits logged-in customers with the support portal's token; each sees only the
	// flows they started.
	JWT JWT `yaml:"jwt"`
	// MaxBodyBytes is the largest request body (64 KiB).
	MaxBodyBytes int `yaml:"max_body_bytes"`
}

func (i Inapp) check() error {
	errs := []error{i.JWT.check("inapp.jwt")}
	if i.MaxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("inapp.max_body_bytes: %d is negative", i.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

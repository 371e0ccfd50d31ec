package main

import (
	"fmt"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/core/auth"
)

// portalJWT builds the verifier of portal tokens configured at section (webchat.jwt,
// inapp.jwt); nil when none are configured.
func portalJWT(section string, c config.JWT) (*auth.JWT, error) {
	if !c.Enabled() {
		return nil, nil
	}
	j := &auth.JWT{Issuer: c.Issuer, Audience: c.Audience, Leeway: c.Leeway}
	for _, k := range c.HMACKeys {
		j.HMACKeys = append(j.HMACKeys, []byte(k))
	}
	for i, p := range c.RSAPublicKeys {
		k, err := auth.ParseRSAPublicKey([]byte(p))
		if err != nil {
			return nil, fmt.Errorf("%s.rsa_public_keys[%d]: %w", section, i, err)
		}
		j.RSAKeys = append(j.RSAKeys, k)
	}
	return j, nil
}

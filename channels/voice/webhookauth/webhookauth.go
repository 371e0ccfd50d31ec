// Package webhookauth checks the credentials that bot platforms (Genesys Cloud, Dialogflow)
// send with their webhooks: HTTP Basic, or a shared secret in a header of the integrator's
// choosing, compared in constant time.
package webhookauth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"
)

// Errors of Check: a platform answers 401 for the first and 403 for the second.
var (
	// ErrMissing reports a request without the configured credentials.
	ErrMissing = errors.New("credentials missing")
	// ErrWrong reports credentials that do not match.
	ErrWrong = errors.New("credentials do not match")
)

// Config names the accepted credentials: Basic (Username and Password), a header secret
// (Header and Secret), or both, in which case either is enough. With neither, every request
// passes (development).
type Config struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// Header is the header that carries Secret, such as X-Frontdesk-Secret.
	Header string `yaml:"header"`
	Secret string `yaml:"secret"`
}

// Enabled reports whether any credentials are configured.
func (c Config) Enabled() bool { return c.Password != "" || c.Secret != "" }

// Check returns nil when the request carries the configured credentials.
func (c Config) Check(h *fasthttp.RequestHeader) error {
	if !c.Enabled() {
		return nil
	}
	presented := false
	if c.Secret != "" && c.Header != "" {
		if got := h.Peek(c.Header); len(got) > 0 {
			presented = true
			if equal(string(got), c.Secret) == 1 {
				return nil
			}
		}
	}
	if c.Password != "" {
		if user, pass, ok := basic(string(h.Peek("Authorization"))); ok {
			presented = true
			// Both compared, so the time taken says nothing about which one was wrong.
			if equal(user, c.Username)&equal(pass, c.Password) == 1 {
				return nil
			}
		}
	}
	if !presented {
		return ErrMissing
	}
	return ErrWrong
}

// Guard returns h behind Check. A request without the credentials is answered by deny with
// 401, one with wrong credentials with 403; deny writes the platform's own error shape, and
// msg says what to do.
func (c Config) Guard(h fasthttp.RequestHandler, deny func(ctx *fasthttp.RequestCtx, status int, msg string)) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		switch err := c.Check(&ctx.Request.Header); {
		case errors.Is(err, ErrMissing):
			deny(ctx, fasthttp.StatusUnauthorized, "send the configured credentials")
		case err != nil:
			deny(ctx, fasthttp.StatusForbidden, "the credentials do not match")
		default:
			h(ctx)
		}
	}
}

// equal compares in constant time; hashing first makes the time independent of lengths too.
func equal(a, b string) int {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:])
}

func basic(header string) (user, pass string, ok bool) {
	enc, found := strings.CutPrefix(header, "Basic ")
	if !found {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

package inapp

import (
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// caller is who sent a request: a trusted back end (the API token, or anyone in development)
// or a portal user known by a JWT's subject.
type caller struct {
	// subject is the portal user; empty for a trusted back end.
	subject string
	contact message.Contact
}

// owns tells whether the caller may see a flow: back ends see every flow, portal users only
// their own.
func (w caller) owns(conv *message.Conversation) bool {
	return w.subject == "" || conv.Contact.PortalUserID == w.subject
}

// authenticate admits the request or answers 401 with a JSON error.
func (c *Channel) authenticate(ctx *fasthttp.RequestCtx) (caller, bool) {
	if c.token == nil && c.cfg.JWT == nil {
		return caller{}, true
	}
	bearer, ok := strings.CutPrefix(string(ctx.Request.Header.Peek("Authorization")), "Bearer ")
	if !ok || bearer == "" {
		writeError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send the API token or a portal JWT as Authorization: Bearer TOKEN")
		return caller{}, false
	}
	if c.token != nil && subtle.ConstantTimeCompare([]byte(bearer), c.token) == 1 {
		return caller{}, true
	}
	if c.cfg.JWT == nil {
		writeError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "the bearer token is not the API token")
		return caller{}, false
	}
	claims, err := c.cfg.JWT.Verify(bearer)
	switch {
	case errors.Is(err, auth.ErrTokenAudience) || errors.Is(err, auth.ErrTokenIssuer):
		// A valid token meant for another service: who it is is known, access is refused.
		writeError(ctx, fasthttp.StatusForbidden, "forbidden", err.Error())
		return caller{}, false
	case err != nil:
		writeError(ctx, fasthttp.StatusUnauthorized, "invalid_token", err.Error())
		return caller{}, false
	}
	if claims.Subject == "" {
		writeError(ctx, fasthttp.StatusUnauthorized, "invalid_token", "the portal token names no subject")
		return caller{}, false
	}
	return caller{subject: claims.Subject, contact: message.Contact{
		PortalUserID: claims.Subject, Email: claims.Email, Name: claims.Name, CustomerID: claims.CustomerID,
	}}, true
}

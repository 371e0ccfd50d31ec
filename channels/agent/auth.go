package agent

import (
	"context"
	"errors"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// Identity is who sent a request, as the bearer token proves it.
type Identity struct {
	// Name is the key's owner, logged as the agent; empty for the shared admin token, in
	// which case the agent names themselves in each entry.
	Name string
	Role auth.Role
}

// Authenticator checks the Authorization header of a request ("Bearer KEY").
type Authenticator interface {
	Authenticate(ctx context.Context, header string) (auth.Principal, error)
}

// Role is the role an API key needs for agent assist: reading a customer's data and acting
// on the customer's behalf is more than a viewer of policies may do.
const Role = auth.RoleAuthor

// errForbidden reports a key whose role is below Role.
var errForbidden = errors.New("this role may not use agent assist")

// identify checks the request's key and its role.
func identify(ctx context.Context, a Authenticator, header string) (Identity, error) {
	p, err := a.Authenticate(ctx, header)
	if err != nil {
		return Identity{}, err
	}
	who := Identity{Name: p.Owner, Role: p.Role}
	if p.Owner == auth.BootstrapOwner {
		// The shared admin token says nothing about the person who holds it.
		who.Name = ""
	}
	if !p.Role.Allows(Role) {
		return who, errForbidden
	}
	return who, nil
}

// authenticated wraps a handler with the key and role check.
func (c *Channel) authenticated(next func(*fasthttp.RequestCtx, Identity)) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		who, err := identify(ctx, c.cfg.Auth, string(ctx.Request.Header.Peek("Authorization")))
		switch {
		case errors.Is(err, auth.ErrNoCredentials):
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send an API key or the admin token as Authorization: Bearer KEY")
		case errors.Is(err, auth.ErrBadCredentials):
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "the key is not known or was revoked")
		case errors.Is(err, errForbidden):
			httpserver.WriteError(ctx, fasthttp.StatusForbidden, "forbidden", "role "+string(who.Role)+" may not use agent assist: it needs "+string(Role)+" or above")
		case err != nil:
			httpserver.WriteError(ctx, fasthttp.StatusServiceUnavailable, "auth_unavailable", "the key could not be checked: "+err.Error())
		default:
			next(ctx, who)
		}
	}
}

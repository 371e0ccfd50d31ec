package studio

import (
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/store"
)

func (a *api) listKeys(c *call) {
	keys, err := a.cfg.Store.ListAPIKeys(c.ctx)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	if keys == nil {
		keys = []store.APIKey{}
	}
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{"id": k.ID, "owner": k.Owner, "role": k.Role, "created_at": k.CreatedAt, "revoked_at": k.RevokedAt})
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, map[string]any{"keys": out})
}

type keyRequest struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
	Role  string `json:"role"`
}

func (a *api) createKey(c *call) {
	var req keyRequest
	if !decode(c, &req, `{"id", "owner", "role"}`) {
		return
	}
	if req.ID == "" || req.Owner == "" {
		badRequest(c.ctx, "id and owner are required")
		return
	}
	role, err := auth.ParseRole(req.Role)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	key, secret, err := a.cfg.Keys.Create(c.ctx, req.ID, req.Owner, role)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionKeyCreate, "key/"+key.ID, map[string]string{"owner": key.Owner, "role": key.Role})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusCreated, map[string]any{"id": key.ID, "owner": key.Owner, "role": key.Role, "secret": secret})
}

func (a *api) revokeKey(c *call) {
	id := c.param("key")
	if err := a.cfg.Store.RevokeAPIKey(c.ctx, id); err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionKeyRevoke, "key/"+id, nil)
	c.ctx.SetStatusCode(fasthttp.StatusNoContent)
}

package studio

import (
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// gateOf builds the promotion gate with the deployment's thresholds. Tests compile without
// sources, so a case can only use its fixtures.
func (a *api) gateOf() *lifecycle.Gate {
	return &lifecycle.Gate{Store: a.cfg.Store, MinCoverage: a.cfg.MinCoverage, MinShadow: a.cfg.MinShadow,
		Env: a.testEnv(), Library: a.library(), Clock: a.cfg.Clock}
}

func (a *api) testEnv() policy.Env {
	return policy.Env{Funcs: a.cfg.Env.Funcs, Executors: a.cfg.Env.Executors}
}

func (a *api) library() *policy.Set {
	if a.cfg.Library == nil {
		return nil
	}
	return a.cfg.Library()
}

// setState moves the version and records the move.
func (a *api) setState(c *call, v store.PolicyVersion, to store.State) {
	next, err := a.cfg.Store.SetState(c.ctx, v.Policy, v.Version, to)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionVersionState, subject(v), map[string]store.State{"from": v.State, "to": to})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, versionOf(next, false))
}

// toShadow moves a Draft to Shadow. A policy has one Shadow version at a time, since every
// live run is shadowed by it.
func (a *api) toShadow(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	versions, err := a.cfg.Store.Versions(c.ctx, v.Policy)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	for _, o := range versions {
		if o.State == store.StateShadow && o.Version != v.Version {
			httpserver.WriteError(c.ctx, fasthttp.StatusConflict, "transition",
				"version "+itoa(o.Version)+" is already in shadow; move it back to draft or promote it first")
			return
		}
	}
	if _, err := lifecycle.Compile(v, a.cfg.Env); err != nil {
		invalidPolicy(c.ctx, err)
		return
	}
	a.setState(c, v, store.StateShadow)
}

func (a *api) toDraft(c *call) {
	if v, ok := a.version(c); ok {
		a.setState(c, v, store.StateDraft)
	}
}

func (a *api) gate(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	verdict, err := a.gateOf().Check(c.ctx, v.Policy, v.Version)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, verdict)
}

func (a *api) promote(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	next, verdict, err := a.gateOf().Promote(c.ctx, v.Policy, v.Version)
	if errors.Is(err, lifecycle.ErrRefused) {
		body := detailedError{Gate: &verdict}
		body.Error = httpserver.ErrorDetail{Code: "gate_refused", Message: strings.Join(verdict.Reasons, "; ")}
		body.RequestID = httpserver.RequestID(c.ctx)
		httpserver.WriteJSON(c.ctx, fasthttp.StatusConflict, body)
		return
	}
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionVersionState, subject(v), map[string]any{"from": v.State, "to": store.StateFinal, "gate": verdict})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, versionOf(next, false))
}

func (a *api) deploy(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	previous, err := lifecycle.Deploy(c.ctx, a.cfg.Store, v.Policy, v.Version)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionDeployLive, subject(v), map[string]int{"version": v.Version, "previous": previous})
	next, err := a.cfg.Store.Version(c.ctx, v.Policy, v.Version)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, versionOf(next, false))
}

type rollbackRequest struct {
	To int `json:"to"`
}

func (a *api) rollback(c *call) {
	name := c.param("policy")
	var req rollbackRequest
	if len(c.ctx.PostBody()) > 0 && !decode(c, &req, `{"to": VERSION} or {}`) {
		return
	}
	live, previous, err := lifecycle.Rollback(c.ctx, a.cfg.Store, name, req.To)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionDeployRollback, name+"@"+itoa(live), map[string]int{"version": live, "previous": previous})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, map[string]any{"policy": name, "live": live, "previous": previous})
}

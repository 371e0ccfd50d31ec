package studio

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// versionJSON is a version as the API shows it; Body and Graph only when one is asked for.
type versionJSON struct {
	Policy         string      `json:"policy"`
	Version        int         `json:"version"`
	State          store.State `json:"state"`
	Author         string      `json:"author"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	StateChangedAt time.Time   `json:"state_changed_at"`
	Body           string      `json:"body,omitempty"`
	Graph          *graphJSON  `json:"graph,omitempty"`
}

// graphJSON is the policy's DAG for drawing.
type graphJSON struct {
	Start string     `json:"start"`
	Nodes []nodeJSON `json:"nodes"`
	Edges []edgeJSON `json:"edges"`
}

type nodeJSON struct {
	ID   string      `json:"id"`
	Kind policy.Kind `json:"kind"`
}

type edgeJSON struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label,omitempty"`
}

func versionOf(v store.PolicyVersion, withBody bool) versionJSON {
	out := versionJSON{Policy: v.Policy, Version: v.Version, State: v.State, Author: v.Author,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, StateChangedAt: v.StateChangedAt}
	if withBody {
		out.Body = v.Body
	}
	return out
}

func graphOf(c *policy.Compiled) *graphJSON {
	g := &graphJSON{Start: c.Policy.Start, Nodes: []nodeJSON{}, Edges: []edgeJSON{}}
	for _, id := range c.NodeIDs() {
		n, _ := c.Node(id)
		g.Nodes = append(g.Nodes, nodeJSON{ID: id, Kind: n.Kind()})
	}
	for _, e := range c.Edges() {
		g.Edges = append(g.Edges, edgeJSON{From: e.From, To: e.To, Label: e.Label})
	}
	return g
}

// version reads the version the path names: a number, or "live".
func (a *api) version(c *call) (store.PolicyVersion, bool) {
	name, raw := c.param("policy"), c.param("version")
	var v store.PolicyVersion
	var err error
	if raw == "live" {
		v, err = a.cfg.Store.LiveVersion(c.ctx, name)
	} else {
		n, convErr := strconv.Atoi(raw)
		if convErr != nil || n <= 0 {
			badRequest(c.ctx, "version must be a positive number or \"live\", not "+strconv.Quote(raw))
			return v, false
		}
		v, err = a.cfg.Store.Version(c.ctx, name, n)
	}
	if err != nil {
		writeErr(c.ctx, err)
		return v, false
	}
	return v, true
}

func subject(v store.PolicyVersion) string { return fmt.Sprintf("%s@%d", v.Policy, v.Version) }

func (a *api) getVersion(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	out := versionOf(v, true)
	if cp, err := lifecycle.Compile(v, a.cfg.Env); err == nil {
		out.Graph = graphOf(cp)
	} else if cp, err := lifecycle.Compile(v, policy.Env{}); err == nil {
		// A body that compiles alone but not against this deployment still draws.
		out.Graph = graphOf(cp)
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, out)
}

type bodyRequest struct {
	Body string `json:"body"`
}

// compiles checks a body for the policy and answers 422 with its problems when it does not
// compile.
func (a *api) compiles(c *call, name, body string) bool {
	_, err := lifecycle.Compile(store.PolicyVersion{Policy: name, Version: 1, Body: body}, a.cfg.Env)
	if err != nil {
		invalidPolicy(c.ctx, err)
		return false
	}
	return true
}

func (a *api) createVersion(c *call) {
	name := c.param("policy")
	var req bodyRequest
	if !decode(c, &req, `{"body": POLICY}`) || !a.compiles(c, name, req.Body) {
		return
	}
	if _, err := a.cfg.Store.PolicyInfo(c.ctx, name); errors.Is(err, store.ErrNotFound) {
		versions, err := a.cfg.Store.Versions(c.ctx, name)
		if err != nil {
			writeErr(c.ctx, err)
			return
		}
		if len(versions) == 0 {
			info := store.PolicyInfo{Name: name, Title: name}
			if err := a.cfg.Store.PutPolicyInfo(c.ctx, info); err != nil {
				writeErr(c.ctx, err)
				return
			}
			a.record(c, lifecycle.ActionPolicyCreate, name, info)
		}
	}
	v, err := a.cfg.Store.CreateVersion(c.ctx, name, req.Body, c.who.Owner)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionVersionCreate, subject(v), map[string]int{"version": v.Version})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusCreated, versionOf(v, true))
}

func (a *api) updateVersion(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	var req bodyRequest
	if !decode(c, &req, `{"body": POLICY}`) || !a.compiles(c, v.Policy, req.Body) {
		return
	}
	v, err := a.cfg.Store.UpdateVersion(c.ctx, v.Policy, v.Version, req.Body)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionVersionUpdate, subject(v), map[string]int{"version": v.Version})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, versionOf(v, true))
}

func (a *api) deleteVersion(c *call) {
	v, ok := a.version(c)
	if !ok {
		return
	}
	if err := a.cfg.Store.DeleteVersion(c.ctx, v.Policy, v.Version); err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionVersionDelete, subject(v), map[string]int{"version": v.Version})
	c.ctx.SetStatusCode(fasthttp.StatusNoContent)
}

type validateRequest struct {
	Body string `json:"body"`
}

// validate compiles a body without storing it: the editor's live check.
func (a *api) validate(c *call) {
	var req validateRequest
	if !decode(c, &req, `{"body": POLICY}`) {
		return
	}
	p, src, err := policy.Parse("body", []byte(req.Body))
	if err == nil {
		_, err = policy.Compile(p, src, a.cfg.Env)
	}
	out := map[string]any{"ok": err == nil, "problems": []Problem{}}
	if err != nil {
		out["problems"] = problems(err)
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, out)
}

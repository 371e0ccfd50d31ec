package studio

import (
	"errors"
	"fmt"
	"sort"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// policyJSON is a policy as the API shows it.
type policyJSON struct {
	Name        string        `json:"name"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Category    string        `json:"category"`
	Country     string        `json:"country"`
	Channel     string        `json:"channel"`
	Latest      int           `json:"latest"`
	LatestState store.State   `json:"latest_state,omitempty"`
	Live        int           `json:"live"`
	Experiment  string        `json:"experiment,omitempty"`
	Versions    []versionJSON `json:"versions,omitempty"`
}

func withInfo(p policyJSON, info store.PolicyInfo) policyJSON {
	p.Title, p.Description, p.Category, p.Country, p.Channel = info.Title, info.Description, info.Category, info.Country, info.Channel
	return p
}

func (a *api) listPolicies(c *call) {
	summaries, err := a.cfg.Store.ListPolicies(c.ctx)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	infos, err := a.cfg.Store.ListPolicyInfos(c.ctx)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	byName := map[string]*policyJSON{}
	var order []string
	for _, info := range infos {
		p := withInfo(policyJSON{Name: info.Name}, info)
		byName[info.Name] = &p
		order = append(order, info.Name)
	}
	for _, s := range summaries {
		p, ok := byName[s.Name]
		if !ok {
			p = &policyJSON{Name: s.Name, Title: s.Name}
			byName[s.Name] = p
			order = append(order, s.Name)
		}
		p.Latest, p.LatestState, p.Live = s.Latest, s.LatestState, s.Live
	}
	out := make([]policyJSON, 0, len(order))
	for _, name := range sortedUnique(order) {
		out = append(out, *byName[name])
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, map[string]any{"policies": out})
}

// describe returns the policy with its metadata and versions; ErrNotFound when it has neither.
func (a *api) describe(c *call, name string) (policyJSON, error) {
	p := policyJSON{Name: name, Title: name, Versions: []versionJSON{}}
	info, err := a.cfg.Store.PolicyInfo(c.ctx, name)
	hasInfo := err == nil
	switch {
	case hasInfo:
		p = withInfo(p, info)
	case !errors.Is(err, store.ErrNotFound):
		return p, err
	}
	versions, err := a.cfg.Store.Versions(c.ctx, name)
	if err != nil {
		return p, err
	}
	if len(versions) == 0 && !hasInfo {
		return p, fmt.Errorf("%w: no policy %q", store.ErrNotFound, name)
	}
	for _, v := range versions {
		p.Versions = append(p.Versions, versionOf(v, false))
		p.Latest, p.LatestState = v.Version, v.State
		if v.State == store.StateLive {
			p.Live = v.Version
		}
	}
	exps, err := a.cfg.Store.ListExperiments(c.ctx, name)
	if err != nil {
		return p, err
	}
	for _, e := range exps {
		if e.Enabled {
			p.Experiment = e.Name
		}
	}
	return p, nil
}

func (a *api) getPolicy(c *call) {
	p, err := a.describe(c, c.param("policy"))
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, p)
}

// metadata is the editable part of a policy; nil fields are left as they are.
type metadata struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Category    *string `json:"category"`
	Country     *string `json:"country"`
	Channel     *string `json:"channel"`
}

// apply sets the given fields on info and returns the changes, old and new, by field.
func (m metadata) apply(info *store.PolicyInfo) map[string][2]string {
	changes := map[string][2]string{}
	for _, f := range []struct {
		name string
		dst  *string
		src  *string
	}{{"title", &info.Title, m.Title}, {"description", &info.Description, m.Description}, {"category", &info.Category, m.Category},
		{"country", &info.Country, m.Country}, {"channel", &info.Channel, m.Channel}} {
		if f.src != nil && *f.src != *f.dst {
			changes[f.name] = [2]string{*f.dst, *f.src}
			*f.dst = *f.src
		}
	}
	return changes
}

type createPolicyRequest struct {
	Name string `json:"name"`
	metadata
	Body string `json:"body"`
}

func (a *api) createPolicy(c *call) {
	var req createPolicyRequest
	if !decode(c, &req, `{"name": NAME, "title", "description", "category", "country", "channel", "body"}`) {
		return
	}
	if !validName(req.Name) {
		badRequest(c.ctx, "name must be lower-case letters, digits, - and _ (it is the policy: field of its versions)")
		return
	}
	if _, err := a.describe(c, req.Name); err == nil {
		httpserver.WriteError(c.ctx, fasthttp.StatusConflict, "exists", "policy "+req.Name+" already exists")
		return
	} else if !errors.Is(err, store.ErrNotFound) {
		writeErr(c.ctx, err)
		return
	}
	var compiledOK bool
	if req.Body != "" {
		if compiledOK = a.compiles(c, req.Name, req.Body); !compiledOK {
			return
		}
	}
	info := store.PolicyInfo{Name: req.Name, Title: req.Name}
	req.apply(&info)
	if err := a.cfg.Store.PutPolicyInfo(c.ctx, info); err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionPolicyCreate, req.Name, info)
	if compiledOK {
		v, err := a.cfg.Store.CreateVersion(c.ctx, req.Name, req.Body, c.who.Owner)
		if err != nil {
			writeErr(c.ctx, err)
			return
		}
		a.record(c, lifecycle.ActionVersionCreate, subject(v), map[string]int{"version": v.Version})
	}
	p, err := a.describe(c, req.Name)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusCreated, p)
}

func (a *api) patchPolicy(c *call) {
	name := c.param("policy")
	var m metadata
	if !decode(c, &m, `any of {"title", "description", "category", "country", "channel"}`) {
		return
	}
	if _, err := a.describe(c, name); err != nil {
		writeErr(c.ctx, err)
		return
	}
	info, err := a.cfg.Store.PolicyInfo(c.ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		info, err = store.PolicyInfo{Name: name, Title: name}, nil
	}
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	if changes := m.apply(&info); len(changes) > 0 {
		if err := a.cfg.Store.PutPolicyInfo(c.ctx, info); err != nil {
			writeErr(c.ctx, err)
			return
		}
		a.record(c, lifecycle.ActionPolicyMetadata, name, changes)
	}
	a.getPolicy(c)
}

// audit records a change; a failure is logged, since the change itself is done.
func (a *api) record(c *call, action, subject string, details any) {
	if err := lifecycle.Audit(c.ctx, a.cfg.Store, c.who.Owner, action, subject, details); err != nil {
		a.cfg.Logger.Error("audit entry not written", "action", action, "subject", subject, "actor", c.who.Owner, "err", err)
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func sortedUnique(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

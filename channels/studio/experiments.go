package studio

import (
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/experiment"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// experimentJSON is an experiment as the API shows it.
type experimentJSON struct {
	Name      string                `json:"name"`
	Policy    string                `json:"policy"`
	Enabled   bool                  `json:"enabled"`
	Arms      []store.ExperimentArm `json:"arms"`
	CreatedBy string                `json:"created_by"`
	CreatedAt time.Time             `json:"created_at"`
	UpdatedAt time.Time             `json:"updated_at"`
}

func experimentOf(e store.Experiment) experimentJSON {
	arms := e.Arms
	if arms == nil {
		arms = []store.ExperimentArm{}
	}
	return experimentJSON{Name: e.Name, Policy: e.Policy, Enabled: e.Enabled, Arms: arms, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
}

func (a *api) listExperiments(c *call) {
	list, err := a.cfg.Store.ListExperiments(c.ctx, string(c.ctx.QueryArgs().Peek("policy")))
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	out := make([]experimentJSON, 0, len(list))
	for _, e := range list {
		out = append(out, experimentOf(e))
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, map[string]any{"experiments": out})
}

func (a *api) getExperiment(c *call) {
	e, err := a.cfg.Store.Experiment(c.ctx, c.param("experiment"))
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, experimentOf(e))
}

type experimentRequest struct {
	Name   string                `json:"name"`
	Policy string                `json:"policy"`
	Arms   []store.ExperimentArm `json:"arms"`
}

// checkArms checks the arms' shape and that each names a Final or Live version of the policy.
func (a *api) checkArms(c *call, policyName string, arms []store.ExperimentArm) error {
	if err := experiment.Validate(arms); err != nil {
		return err
	}
	for i, arm := range arms {
		v, err := a.cfg.Store.Version(c.ctx, policyName, arm.Version)
		if err != nil {
			return fmt.Errorf("%w: arm %d: %v", experiment.ErrInvalid, i+1, err)
		}
		if v.State != store.StateFinal && v.State != store.StateLive {
			return fmt.Errorf("%w: arm %d: version %d is %s; experiments serve Final versions", experiment.ErrInvalid, i+1, v.Version, v.State)
		}
	}
	return nil
}

func (a *api) createExperiment(c *call) {
	var req experimentRequest
	if !decode(c, &req, `{"name", "policy", "arms": [{"version", "from", "to", "countries", "channels"}]}`) {
		return
	}
	if !validName(req.Name) || req.Policy == "" {
		badRequest(c.ctx, "name (lower-case letters, digits, - and _) and policy are required")
		return
	}
	if err := a.checkArms(c, req.Policy, req.Arms); err != nil {
		writeErr(c.ctx, err)
		return
	}
	e, err := a.cfg.Store.CreateExperiment(c.ctx, store.Experiment{Name: req.Name, Policy: req.Policy, Arms: req.Arms, CreatedBy: c.who.Owner})
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionExperimentCreate, "experiment/"+e.Name, map[string]any{"policy": e.Policy, "arms": e.Arms})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusCreated, experimentOf(e))
}

func (a *api) enableExperiment(c *call)  { a.switchExperiment(c, true) }
func (a *api) disableExperiment(c *call) { a.switchExperiment(c, false) }

func (a *api) switchExperiment(c *call, on bool) {
	e, err := a.cfg.Store.Experiment(c.ctx, c.param("experiment"))
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	if on {
		// A version may have left Final since the experiment was made.
		if err := a.checkArms(c, e.Policy, e.Arms); err != nil {
			writeErr(c.ctx, err)
			return
		}
	}
	if e, err = a.cfg.Store.SetExperimentEnabled(c.ctx, e.Name, on); err != nil {
		writeErr(c.ctx, err)
		return
	}
	action := lifecycle.ActionExperimentDisable
	if on {
		action = lifecycle.ActionExperimentEnable
	}
	a.record(c, action, "experiment/"+e.Name, map[string]string{"policy": e.Policy})
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, experimentOf(e))
}

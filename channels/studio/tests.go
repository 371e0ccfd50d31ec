package studio

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
	"github.com/frontdeskhq/frontdesk/core/store"
)

func itoa(n int) string { return strconv.Itoa(n) }

// testJSON is a stored test case as the API shows it.
type testJSON struct {
	Name      string          `json:"name"`
	Case      json.RawMessage `json:"case"`
	UpdatedAt time.Time       `json:"updated_at"`
}

func (a *api) listTests(c *call) {
	cases, err := a.cfg.Store.TestCases(c.ctx, c.param("policy"))
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	out := make([]testJSON, 0, len(cases))
	for _, tc := range cases {
		out = append(out, testJSON{Name: tc.Name, Case: json.RawMessage(tc.Body), UpdatedAt: tc.UpdatedAt})
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, map[string]any{"tests": out})
}

func (a *api) putTest(c *call) {
	var body map[string]any
	if !decode(c, &body, "one test case as JSON: {message, hydrations, inputs, actions, expect}") {
		return
	}
	delete(body, "name")
	canonical, err := json.Marshal(body)
	if err != nil {
		badRequest(c.ctx, err.Error())
		return
	}
	tc := store.TestCase{Policy: c.param("policy"), Name: c.param("case"), Body: string(canonical)}
	if _, err := lifecycle.ParseCase(tc); err != nil {
		writeErr(c.ctx, err)
		return
	}
	if err := a.cfg.Store.PutTestCase(c.ctx, tc); err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionTestPut, tc.Policy+"/"+tc.Name, nil)
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, testJSON{Name: tc.Name, Case: canonical, UpdatedAt: time.Now().UTC()})
}

func (a *api) deleteTest(c *call) {
	name, tcName := c.param("policy"), c.param("case")
	if err := a.cfg.Store.DeleteTestCase(c.ctx, name, tcName); err != nil {
		writeErr(c.ctx, err)
		return
	}
	a.record(c, lifecycle.ActionTestDelete, name+"/"+tcName, nil)
	c.ctx.SetStatusCode(fasthttp.StatusNoContent)
}

// resultJSON is one case's result.
type resultJSON struct {
	Case     string   `json:"case"`
	Passed   bool     `json:"passed"`
	Path     []string `json:"path"`
	Failures []string `json:"failures"`
	TookS    float64  `json:"took_s"`
}

// compiled compiles the version the path names for offline runs: no sources, so only
// fixtures answer.
func (a *api) compiled(c *call) (*policy.Compiled, bool) {
	v, ok := a.version(c)
	if !ok {
		return nil, false
	}
	cp, err := lifecycle.Compile(v, a.testEnv())
	if err != nil {
		invalidPolicy(c.ctx, err)
		return nil, false
	}
	return cp, true
}

func (a *api) runTests(c *call) {
	cp, ok := a.compiled(c)
	if !ok {
		return
	}
	cases, err := a.cfg.Store.TestCases(c.ctx, cp.Policy.Name)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	results, err := lifecycle.RunCases(c.ctx, cp, cases, a.library(), a.cfg.Env.Executors)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	out := map[string]any{"cases": len(results)}
	passed := 0
	list := make([]resultJSON, 0, len(results))
	for _, r := range results {
		if r.Passed() {
			passed++
		}
		list = append(list, resultJSON{Case: r.Case, Passed: r.Passed(), Path: nonNil(r.Path), Failures: nonNil(r.Failures), TookS: r.Took.Seconds()})
	}
	out["passed"], out["failed"], out["results"] = passed, len(results)-passed, list
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// simulation is the answer of simulate.
type simulation struct {
	Status  policy.Status         `json:"status"`
	Node    string                `json:"node"`
	Outcome string                `json:"outcome"`
	Error   string                `json:"error,omitempty"`
	Path    []string              `json:"path"`
	Says    []string              `json:"says"`
	Ask     *policy.Ask           `json:"ask,omitempty"`
	Actions []policy.ActionRecord `json:"actions"`
	Trace   []policy.Event        `json:"trace"`
}

// simulate runs the version on a test case without expectations and returns what happened,
// stopping at the first question it has no input for.
func (a *api) simulate(c *call) {
	cp, ok := a.compiled(c)
	if !ok {
		return
	}
	var raw map[string]any
	if !decode(c, &raw, "{message, hydrations, hydration_errors, inputs, actions, executors}") {
		return
	}
	delete(raw, "expect")
	data, _ := json.Marshal(raw)
	var tc policytest.Case
	if err := yaml.UnmarshalWithOptions(data, &tc, yaml.DisallowUnknownField()); err != nil {
		badRequest(c.ctx, "the simulation is a test case without expect: "+yaml.FormatError(err, false, false))
		return
	}
	if tc.Message.Channel == "" {
		tc.Message.Channel = message.ChannelAPI
	}
	tc.Name, tc.Expect.Outcome = "simulation", "asking"
	results, err := lifecycle.RunCasesParsed(c.ctx, cp, []policytest.Case{tc}, a.library(), a.cfg.Env.Executors)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	r := results[0]
	step := r.Step
	out := simulation{Status: step.Status, Node: step.Node, Path: nonNil(step.Path), Says: nonNil(r.Says), Ask: step.Ask,
		Actions: r.Actions, Trace: r.Trace}
	if out.Actions == nil {
		out.Actions = []policy.ActionRecord{}
	}
	if out.Trace == nil {
		out.Trace = []policy.Event{}
	}
	switch step.Status {
	case policy.Done:
		out.Outcome = step.End.Resolution
	case policy.Failed:
		out.Error = step.Err.Error()
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, out)
}

package studio

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/experiment"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

func errorsIsCredentials(err error) bool {
	return errors.Is(err, auth.ErrNoCredentials) || errors.Is(err, auth.ErrBadCredentials)
}

// errorCodes maps the errors of the layers below to HTTP answers.
var errorCodes = []struct {
	err    error
	status int
	code   string
}{
	{store.ErrNotFound, fasthttp.StatusNotFound, "not_found"},
	{store.ErrImmutable, fasthttp.StatusConflict, "immutable"},
	{store.ErrTransition, fasthttp.StatusConflict, "transition"},
	{lifecycle.ErrNoRollback, fasthttp.StatusConflict, "transition"},
	{store.ErrExists, fasthttp.StatusConflict, "exists"},
	{store.ErrInvalid, fasthttp.StatusBadRequest, "bad_request"},
	{auth.ErrUnknownRole, fasthttp.StatusBadRequest, "bad_request"},
	{experiment.ErrInvalid, fasthttp.StatusUnprocessableEntity, "invalid_experiment"},
	{lifecycle.ErrInvalidCase, fasthttp.StatusUnprocessableEntity, "invalid_test"},
}

// writeErr answers an error of a lower layer; an unexpected one is a 500 whose details go to
// the log, not to the client.
func writeErr(ctx *fasthttp.RequestCtx, err error) {
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			httpserver.WriteError(ctx, e.status, e.code, err.Error())
			return
		}
	}
	httpserver.WriteError(ctx, fasthttp.StatusInternalServerError, "internal", "the request failed; see the server log for request "+httpserver.RequestID(ctx))
}

// badRequest answers a body or parameter that is not what the endpoint takes.
func badRequest(ctx *fasthttp.RequestCtx, msg string) {
	httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", msg)
}

// decode reads the JSON body strictly into v.
func decode(c *call, v any, want string) bool {
	dec := json.NewDecoder(strings.NewReader(string(c.ctx.PostBody())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(c.ctx, "want "+want+": "+err.Error())
		return false
	}
	return true
}

// Problem is one compile error of a policy body, where it is known.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Node    string `json:"node,omitempty"`
	Message string `json:"message"`
}

// problems flattens the compiler's errors (single, lists, joined) into Problems.
func problems(err error) []Problem {
	var out []Problem
	var walk func(error)
	walk = func(err error) {
		var pe *policy.Error
		var pes policy.Errors
		switch {
		case errors.As(err, &pes):
			for _, e := range pes {
				out = append(out, Problem{Line: e.Line, Column: e.Column, Node: e.Node, Message: e.Msg})
			}
		case errors.As(err, &pe):
			out = append(out, Problem{Line: pe.Line, Column: pe.Column, Node: pe.Node, Message: pe.Msg})
		default:
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					walk(e)
				}
				return
			}
			out = append(out, Problem{Message: err.Error()})
		}
	}
	walk(err)
	return out
}

// detailedError is the error body with the details some errors carry.
type detailedError struct {
	httpserver.ErrorBody
	Problems []Problem          `json:"problems,omitempty"`
	Gate     *lifecycle.Verdict `json:"gate,omitempty"`
}

func invalidPolicy(ctx *fasthttp.RequestCtx, err error) {
	body := detailedError{Problems: problems(err)}
	body.Error = httpserver.ErrorDetail{Code: "invalid_policy", Message: "the policy does not compile"}
	body.RequestID = httpserver.RequestID(ctx)
	httpserver.WriteJSON(ctx, fasthttp.StatusUnprocessableEntity, body)
}

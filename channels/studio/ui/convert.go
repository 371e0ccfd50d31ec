package ui

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/goccy/go-yaml"
	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// converter turns a policy body (YAML) into the JSON the node editor edits and back. Both
// directions go through policy.Policy, so the YAML written is in the schema's order and the
// editor never sees a field the loader would not take.
type converter struct {
	keys Authenticator
}

// Problem is what is wrong with a body, where it is known.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// DecodeRequest is the body of POST /studio/api/decode; DecodeResponse its answer.
type DecodeRequest struct {
	Body string `json:"body"`
}

// DecodeResponse carries the policy as JSON: decide nodes as a list of conditions or an
// executor mapping, as in YAML.
type DecodeResponse struct {
	Policy any `json:"policy"`
}

// EncodeRequest is the body of POST /studio/api/encode; EncodeResponse its answer.
type EncodeRequest struct {
	Policy json.RawMessage `json:"policy"`
}

// EncodeResponse carries the policy as YAML.
type EncodeResponse struct {
	Body string `json:"body"`
}

func (c converter) decode(ctx *fasthttp.RequestCtx) {
	var req DecodeRequest
	if !c.read(ctx, &req) {
		return
	}
	p, ok := parse(ctx, []byte(req.Body))
	if !ok {
		return
	}
	// Through YAML, where Decide marshals its conditions, into plain values for JSON.
	data, err := yaml.Marshal(p)
	var plain any
	if err == nil {
		err = yaml.Unmarshal(data, &plain)
	}
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusInternalServerError, "internal", "the policy could not be converted: "+err.Error())
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, DecodeResponse{Policy: plain})
}

func (c converter) encode(ctx *fasthttp.RequestCtx) {
	var req EncodeRequest
	if !c.read(ctx, &req) {
		return
	}
	if len(req.Policy) == 0 {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", "policy is required")
		return
	}
	// JSON is YAML, so the loader reads it with the same strict checks.
	p, ok := parse(ctx, req.Policy)
	if !ok {
		return
	}
	data, err := yaml.MarshalWithOptions(p, yaml.IndentSequence(true))
	if err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusInternalServerError, "internal", "the policy could not be written: "+err.Error())
		return
	}
	httpserver.WriteJSON(ctx, fasthttp.StatusOK, EncodeResponse{Body: string(data)})
}

// read authenticates the request and decodes its JSON body strictly; on failure it answers.
func (c converter) read(ctx *fasthttp.RequestCtx, v any) bool {
	if _, err := c.keys.Authenticate(ctx, string(ctx.Request.Header.Peek("Authorization"))); err != nil {
		if errors.Is(err, auth.ErrNoCredentials) || errors.Is(err, auth.ErrBadCredentials) {
			httpserver.WriteError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "send an API key as Authorization: Bearer KEY")
		} else {
			httpserver.WriteError(ctx, fasthttp.StatusServiceUnavailable, "auth_unavailable", "the key could not be checked: "+err.Error())
		}
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(ctx.PostBody()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		httpserver.WriteError(ctx, fasthttp.StatusBadRequest, "bad_request", "the body is not the JSON asked for: "+err.Error())
		return false
	}
	return true
}

// invalidBody is the 422 answer for a body that does not parse, in the Studio API's shape.
type invalidBody struct {
	httpserver.ErrorBody
	Problems []Problem `json:"problems"`
}

// parse reads a body with the policy loader; on failure it answers 422 with the position.
func parse(ctx *fasthttp.RequestCtx, data []byte) (*policy.Policy, bool) {
	p, _, err := policy.Parse("policy", data)
	if err == nil {
		return p, true
	}
	prob := Problem{Message: err.Error()}
	var pe *policy.Error
	if errors.As(err, &pe) {
		prob = Problem{Line: pe.Line, Column: pe.Column, Message: pe.Msg}
	}
	body := invalidBody{Problems: []Problem{prob}}
	body.Error = httpserver.ErrorDetail{Code: "invalid_policy", Message: "the policy does not parse"}
	body.RequestID = httpserver.RequestID(ctx)
	httpserver.WriteJSON(ctx, fasthttp.StatusUnprocessableEntity, body)
	return nil, false
}

package wasm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// jsonInput is the input of the JSON way in, and of the playground.
type jsonInput struct {
	Node    string         `json:"node,omitempty"`
	Policy  string         `json:"policy,omitempty"`
	Channel string         `json:"channel,omitempty"`
	Input   map[string]any `json:"input,omitempty"`
	Vars    map[string]any `json:"vars,omitempty"`
	// Data holds the selected values by name.
	Data map[string]any `json:"data"`
}

// jsonAnswer is the answer of the JSON way in.
type jsonAnswer struct {
	Branch string         `json:"branch"`
	Vars   map[string]any `json:"vars"`
	Error  string         `json:"error"`
}

// encodeInput writes a request as the JSON input of ABI v1.
func encodeInput(req policy.ExecRequest) ([]byte, error) {
	in := jsonInput{
		Node: req.Node, Policy: req.Policy, Channel: req.Channel,
		Input: req.Input, Vars: req.Vars, Data: make(map[string]any, len(req.Args)),
	}
	for _, a := range req.Args {
		in.Data[a.Name] = a.Value
	}
	return json.Marshal(in)
}

// decodeAnswer reads the JSON answer of frontdesk_execute.
func decodeAnswer(out []byte) (policy.ExecResult, error) {
	var a jsonAnswer
	d := json.NewDecoder(bytes.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&a); err != nil {
		return policy.ExecResult{}, fmt.Errorf("%w: answer is not a JSON object {branch, vars, error}: %v (%s)", ErrBadOutput, err, quote(out))
	}
	if d.More() {
		return policy.ExecResult{}, fmt.Errorf("%w: answer has data after its JSON object (%s)", ErrBadOutput, quote(out))
	}
	if a.Error != "" {
		return policy.ExecResult{}, fmt.Errorf("%w: %s", ErrGuestFailed, a.Error)
	}
	return policy.ExecResult{Branch: a.Branch, Vars: policy.VarsOf(normalizeNumbers(a.Vars).(map[string]any))}, nil
}

// quote shows the start of a bad answer in an error message.
func quote(b []byte) string {
	const max = 80
	if len(b) > max {
		return fmt.Sprintf("%q...", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

// normalizeNumbers turns json.Number into int64 where the number is integral, float64 where
// not, so values from JSON have the types the policy engine's expressions expect.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		if x == nil {
			return x
		}
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
		return x
	}
	return v
}

// Input is a call given as JSON, as the playground and the admin endpoint take it: the JSON
// input of ABI v1 plus answers for the hydrations the executor may ask for.
type Input struct {
	Node    string         `json:"node,omitempty"`
	Policy  string         `json:"policy,omitempty"`
	Channel string         `json:"channel,omitempty"`
	Input   map[string]any `json:"input,omitempty"`
	Vars    map[string]any `json:"vars,omitempty"`
	// Data are the selected values by name; integral numbers arrive as int64.
	Data map[string]any `json:"data"`
	// Hydrations answer hydrate(name); a name not listed fails that hydrate call.
	Hydrations map[string]any `json:"hydrations,omitempty"`
}

// DecodeInput parses a playground input. Unknown fields are errors, so a typo does not pass
// silently.
func DecodeInput(b []byte) (Input, error) {
	var in Input
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	d.DisallowUnknownFields()
	if err := d.Decode(&in); err != nil {
		return Input{}, fmt.Errorf("input: %w", describeJSONError(b, err))
	}
	if d.More() {
		return Input{}, fmt.Errorf("input: data after the JSON object")
	}
	for _, m := range []map[string]any{in.Input, in.Vars, in.Data, in.Hydrations} {
		normalizeNumbers(m)
	}
	return in, nil
}

// Request turns the input into the request the policy engine would make.
func (in Input) Request() policy.ExecRequest {
	req := policy.ExecRequest{
		Policy: in.Policy, Node: in.Node, Channel: in.Channel, Input: in.Input, Vars: in.Vars,
	}
	for name, v := range in.Data {
		req.Args = append(req.Args, policy.Arg{Name: name, Value: v})
	}
	sort.Slice(req.Args, func(i, j int) bool { return req.Args[i].Name < req.Args[j].Name })
	if in.Hydrations != nil {
		req.Hydrate = staticHydrations(in.Hydrations)
	}
	return req
}

// describeJSONError adds the line and column of a syntax or type error.
func describeJSONError(b []byte, err error) error {
	var offset int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		offset = e.Offset
	case *json.UnmarshalTypeError:
		offset = e.Offset
	}
	if offset < 0 {
		return err
	}
	line, col := 1, 1
	for _, c := range b[:min(int(offset), len(b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %w", line, col, err)
}

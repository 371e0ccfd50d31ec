package rest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// path is a compiled dotted path into decoded JSON: object keys, and array indexes where the
// value is an array.
type path []string

// parsePath compiles "a.b.0.c"; "" is the value itself.
func parsePath(s string) (path, error) {
	if s == "" {
		return nil, nil
	}
	p := strings.Split(s, ".")
	for _, seg := range p {
		if seg == "" {
			return nil, fmt.Errorf("path %q has an empty segment", s)
		}
	}
	return p, nil
}

// get walks the path; ok is false where a segment is missing or walks into a scalar.
func (p path) get(v any) (any, bool) {
	for _, seg := range p {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[seg]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// String writes the path back in its dotted form, for error messages.
func (p path) String() string { return strings.Join(p, ".") }

// text is a scalar JSON value as a string: numbers as written, booleans as true/false, null as
// "". Objects and arrays are written as compact JSON, so nothing the back office says is lost.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}

// plain turns decoded JSON (with json.Number) into the JSON-shaped values hydrator results are:
// integers as int64, other numbers as float64, so that ids keep every digit.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = plain(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = plain(e)
		}
		return x
	default:
		return v
	}
}

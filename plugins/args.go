package plugins

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// ErrBadArgs is wrapped by the errors of actions and fetches whose arguments are missing, of
// the wrong type or unknown.
var ErrBadArgs = errors.New("plugins: bad arguments")

// args reads the JSON-shaped arguments a policy gives an action or a fetch, by their
// snake_case names. It collects what is wrong instead of stopping at the first problem, and
// err reports every argument nobody asked for, so a typo in a policy is named.
type args struct {
	what string
	m    map[string]any
	used map[string]bool
	errs []error
}

func newArgs(what string, m map[string]any) *args {
	return &args{what: what, m: m, used: make(map[string]bool, len(m))}
}

func (a *args) get(key string) (any, bool) {
	a.used[key] = true
	v, ok := a.m[key]
	return v, ok && v != nil
}

func (a *args) fail(key, want string, v any) {
	a.errs = append(a.errs, fmt.Errorf("%q must be %s, got %T", key, want, v))
}

// str returns a string argument, def when absent. Numbers are taken in their shortest form,
// since ids often come as numbers from JSON.
func (a *args) str(key, def string) string {
	v, ok := a.get(key)
	if !ok {
		return def
	}
	s, ok := scalarString(v)
	if !ok {
		a.fail(key, "a string", v)
	}
	return s
}

// required returns a string argument that must not be empty; def stands in when absent.
func (a *args) required(key, def string) string {
	s := a.str(key, def)
	if s == "" {
		a.errs = append(a.errs, fmt.Errorf("%q is required", key))
	}
	return s
}

func (a *args) float(key string) float64 {
	v, ok := a.get(key)
	if !ok {
		return 0
	}
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case json.Number:
		f, err := n.Float64()
		if err == nil {
			return f
		}
	}
	a.fail(key, "a number", v)
	return 0
}

func (a *args) boolean(key string) bool {
	v, ok := a.get(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		a.fail(key, "true or false", v)
	}
	return b
}

// strMap returns an object argument whose values are scalars, as strings.
func (a *args) strMap(key string) map[string]string {
	v, ok := a.get(key)
	if !ok {
		return nil
	}
	switch m := v.(type) {
	case map[string]string:
		return m
	case map[string]any:
		out := make(map[string]string, len(m))
		for k, x := range m {
			s, ok := scalarString(x)
			if !ok {
				a.fail(key+"."+k, "a string, number or boolean", x)
			}
			out[k] = s
		}
		return out
	}
	a.fail(key, "an object", v)
	return nil
}

// err returns what was wrong, unknown arguments included, or nil.
func (a *args) err() error {
	for _, k := range slices.Sorted(maps.Keys(a.m)) {
		if !a.used[k] {
			a.errs = append(a.errs, fmt.Errorf("unknown argument %q", k))
		}
	}
	if len(a.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w: %w", a.what, ErrBadArgs, errors.Join(a.errs...))
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

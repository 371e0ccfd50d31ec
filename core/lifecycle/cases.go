package lifecycle

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/goccy/go-yaml"

	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// ErrInvalidCase is returned for a test case that does not parse.
var ErrInvalidCase = errors.New("lifecycle: invalid test case")

// ParseCase reads a stored test case: its body is one case of a NAME.test.yaml file, as JSON,
// named by the store. It is checked as strictly as a test file.
func ParseCase(tc store.TestCase) (policytest.Case, error) {
	var body map[string]any
	if err := yaml.Unmarshal([]byte(tc.Body), &body); err != nil || body == nil {
		return policytest.Case{}, fmt.Errorf("%w %q: the case must be an object: %v", ErrInvalidCase, tc.Name, err)
	}
	body["name"] = tc.Name
	file, err := json.Marshal(map[string]any{"policy": tc.Policy, "cases": []any{body}})
	if err != nil {
		return policytest.Case{}, fmt.Errorf("%w %q: %v", ErrInvalidCase, tc.Name, err)
	}
	f, err := policytest.Parse(tc.Policy+"/"+tc.Name, file)
	if err != nil {
		return policytest.Case{}, fmt.Errorf("%w: %v", ErrInvalidCase, err)
	}
	return f.Cases[0], nil
}

// CaseBodies splits a test file into the bodies the store keeps, by case name, each the case
// as JSON without its name.
func CaseBodies(data []byte) (policyName string, bodies map[string]string, err error) {
	var f struct {
		Policy string           `yaml:"policy"`
		Cases  []map[string]any `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrInvalidCase, err)
	}
	bodies = map[string]string{}
	for i, c := range f.Cases {
		name, _ := c["name"].(string)
		if name == "" {
			return "", nil, fmt.Errorf("%w: case %d has no name", ErrInvalidCase, i+1)
		}
		delete(c, "name")
		b, err := json.Marshal(c)
		if err != nil {
			return "", nil, fmt.Errorf("%w %q: %v", ErrInvalidCase, name, err)
		}
		bodies[name] = string(b)
	}
	return f.Policy, bodies, nil
}

// sortedNames returns a map's keys in order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

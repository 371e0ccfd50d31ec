// Package policytest runs a policy's test cases: a message, hydration fixtures, the customer's
// answers per ask node, fixtures for actions, and the expected path, outcome and actions.
// `frontdesk policy test` uses it, and so can any Go test.
package policytest

import (
	"fmt"
	"os"

	"github.com/goccy/go-yaml"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// File is a test file, NAME.test.yaml beside the policy NAME.yaml.
type File struct {
	// Policy names the policy under test.
	Policy string `yaml:"policy"`
	Cases  []Case `yaml:"cases"`
	// Path is where the file was read from.
	Path string `yaml:"-"`
}

// Case is one test case.
type Case struct {
	Name    string          `yaml:"name"`
	Message message.Message `yaml:"message"`
	Intent  float64         `yaml:"confidence,omitempty"`
	// Hydrations are the fetched values by hydration name; HydrationErrors make fetches fail.
	Hydrations      map[string]any    `yaml:"hydrations,omitempty"`
	HydrationErrors map[string]string `yaml:"hydration_errors,omitempty"`
	// Inputs are the customer's answers by ask node: a choice or text, a form's fields as a
	// map, or a list of either when the node is asked more than once.
	Inputs map[string]any `yaml:"inputs,omitempty"`
	// Actions are what actions answer, by action name; any other action succeeds with no output.
	Actions map[string]ActionFixture `yaml:"actions,omitempty"`
	// Executors are what executors answer, by name; without one the configured executor runs.
	Executors map[string]ExecutorFixture `yaml:"executors,omitempty"`
	Expect    Expect                     `yaml:"expect"`
}

// ActionFixture is what an action answers in a test.
type ActionFixture struct {
	Output any            `yaml:"output,omitempty"`
	Vars   map[string]any `yaml:"vars,omitempty"`
	Error  string         `yaml:"error,omitempty"`
}

// ExecutorFixture is what an executor answers in a test.
type ExecutorFixture struct {
	Branch string         `yaml:"branch,omitempty"`
	Vars   map[string]any `yaml:"vars,omitempty"`
	Error  string         `yaml:"error,omitempty"`
}

// Expect is what a case must produce. Empty fields are not checked.
type Expect struct {
	// Path is every node visited, in order.
	Path []string `yaml:"path,omitempty"`
	// Outcome is the end node's resolution, or "failed" or "asking".
	Outcome string `yaml:"outcome"`
	// Actions are the actions called, in order, by name.
	Actions []string `yaml:"actions,omitempty"`
	// Says are the texts said along the way, in order.
	Says []string `yaml:"says,omitempty"`
	// Vars are variables the run must end with (a subset).
	Vars map[string]any `yaml:"vars,omitempty"`
}

// ReadFile reads a test file strictly.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a test file; errors carry file, line and column.
func Parse(path string, data []byte) (*File, error) {
	var f File
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("%s:%s", path, yaml.FormatError(err, false, false))
	}
	if f.Policy == "" {
		return nil, fmt.Errorf("%s: missing `policy:` (the policy under test)", path)
	}
	for i, c := range f.Cases {
		if c.Name == "" {
			return nil, fmt.Errorf("%s: case %d has no name", path, i+1)
		}
		if c.Expect.Outcome == "" {
			return nil, fmt.Errorf("%s: case %q: missing expect.outcome", path, c.Name)
		}
	}
	f.Path = path
	return &f, nil
}

// outcomeOf names how a step ended, as Expect.Outcome does.
func outcomeOf(step *policy.Step) string {
	switch step.Status {
	case policy.Done:
		return step.End.Resolution
	case policy.Asking:
		return "asking"
	}
	return "failed"
}

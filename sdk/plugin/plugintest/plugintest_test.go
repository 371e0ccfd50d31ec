package plugintest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// memoryCRM keeps cases in memory. With broken set it breaks two promises: EnsureCase makes a
// new case every time, and an unknown case is a plain error instead of ErrNotFound.
type memoryCRM struct {
	broken bool
	mu     sync.Mutex
	cases  map[string]plugin.Case
	byExt  map[string]string
}

func newMemoryCRM(broken bool) *memoryCRM {
	return &memoryCRM{broken: broken, cases: map[string]plugin.Case{}, byExt: map[string]string{}}
}

func (c *memoryCRM) EnsureCase(_ context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id, ok := c.byExt[req.ExternalID]; ok && !c.broken {
		return c.cases[id], nil
	}
	cs := plugin.Case{ID: fmt.Sprint(len(c.cases) + 1), ExternalID: req.ExternalID}
	c.cases[cs.ID], c.byExt[req.ExternalID] = cs, cs.ID
	return cs, nil
}

// change applies f to a stored case.
func (c *memoryCRM) change(id string, f func(*plugin.Case)) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs, ok := c.cases[id]
	switch {
	case !ok && c.broken:
		return cs, errors.New("no such case")
	case !ok:
		return cs, fmt.Errorf("case %s: %w", id, plugin.ErrNotFound)
	}
	f(&cs)
	c.cases[id] = cs
	return cs, nil
}

func (c *memoryCRM) UpdateCase(_ context.Context, u plugin.CaseUpdate) (plugin.Case, error) {
	return c.change(u.CaseID, func(cs *plugin.Case) { cs.Intent, cs.Confidence, cs.Category = u.Intent, u.Confidence, u.Category })
}

func (c *memoryCRM) AddNote(_ context.Context, n plugin.Note) error {
	_, err := c.change(n.CaseID, func(*plugin.Case) {})
	return err
}

func (c *memoryCRM) AssignCase(_ context.Context, a plugin.Assignment) (plugin.Case, error) {
	return c.change(a.CaseID, func(cs *plugin.Case) { cs.Queue, cs.Agent = a.Queue, a.Agent })
}

func (c *memoryCRM) GetCase(_ context.Context, id string) (plugin.Case, error) {
	return c.change(id, func(*plugin.Case) {})
}

func TestCRMPassesAGoodCRM(t *testing.T) {
	CRM(t, Start(t, plugin.Services{CRM: newMemoryCRM(false)}))
}

// TestCRMCatchesBrokenPromises runs the CRM checks on a broken CRM in a child test process and
// expects them to fail, naming the broken promises: checks that cannot fail prove nothing.
func TestCRMCatchesBrokenPromises(t *testing.T) {
	if os.Getenv("PLUGINTEST_CHILD") != "" {
		CRM(t, Start(t, plugin.Services{CRM: newMemoryCRM(true)}))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCRMCatchesBrokenPromises$", "-test.v")
	cmd.Env = append(os.Environ(), "PLUGINTEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the checks passed a CRM that breaks its promises:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestCRMCatchesBrokenPromises/EnsureCaseIsIdempotent",
		"--- FAIL: TestCRMCatchesBrokenPromises/GetCaseUnknownIsNotFound",
		"--- FAIL: TestCRMCatchesBrokenPromises/AddNoteToUnknownCaseIsNotFound",
		"--- PASS: TestCRMCatchesBrokenPromises/AssignCaseToQueue",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

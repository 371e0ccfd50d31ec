package lifecycle

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// DevActor is the audit actor of dev-mode imports.
const DevActor = "dev-mode"

// ImportStore is what a dev-mode import writes.
type ImportStore interface {
	store.Policies
	store.TestCases
	store.Audit
}

// ImportDir makes the policies of dir Live, as dev mode does: a file whose body no version of
// its policy has yet becomes a new version taken straight to Live (no gate), logged in the
// audit log as a dev import; its test cases (NAME.test.yaml) are saved too. The folder
// must compile as a whole against env first, so a broken file changes nothing. It returns the
// names of the policies that got a new Live version.
func ImportDir(ctx context.Context, st ImportStore, dir string, env policy.Env) ([]string, error) {
	set, err := policy.LoadDir(dir, env)
	if err != nil {
		return nil, err
	}
	var imported []string
	for _, name := range set.Names() {
		c, _ := set.Policy(name, 0)
		changed, err := importPolicy(ctx, st, name, c.Source)
		if err != nil {
			return imported, err
		}
		if err := importTests(ctx, st, c.Source.Path); err != nil {
			return imported, err
		}
		if changed {
			imported = append(imported, name)
		}
	}
	return imported, nil
}

// importPolicy makes the file's body Live unless a version already has it: a body seen before
// was imported at an earlier start, and what has happened to it since (a rollback, a newer
// version deployed through the Studio) stands.
func importPolicy(ctx context.Context, st ImportStore, name string, src *policy.Source) (bool, error) {
	body := string(src.Data)
	versions, err := st.Versions(ctx, name)
	if err != nil {
		return false, err
	}
	var live store.PolicyVersion
	for _, v := range versions {
		if v.Body == body {
			return false, nil
		}
		if v.State == store.StateLive {
			live = v
		}
	}
	v, err := st.CreateVersion(ctx, name, body, DevActor)
	if err != nil {
		return false, err
	}
	for _, to := range []store.State{store.StateShadow, store.StateFinal, store.StateLive} {
		if _, err := st.SetState(ctx, name, v.Version, to); err != nil {
			return false, fmt.Errorf("%s: %w", src.Path, err)
		}
	}
	details := map[string]any{"version": v.Version, "file": filepath.Base(src.Path)}
	if live.Version != 0 {
		details["previous"] = live.Version
	}
	return true, Audit(ctx, st, DevActor, ActionDeployDevImport, fmt.Sprintf("%s@%d", name, v.Version), details)
}

// importTests saves the cases of the policy's test file, when it has one.
func importTests(ctx context.Context, st ImportStore, policyPath string) error {
	ext := filepath.Ext(policyPath)
	path := strings.TrimSuffix(policyPath, ext) + ".test" + ext
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	name, bodies, err := CaseBodies(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, caseName := range sortedNames(bodies) {
		if err := st.PutTestCase(ctx, store.TestCase{Policy: name, Name: caseName, Body: bodies[caseName]}); err != nil {
			return err
		}
	}
	return nil
}

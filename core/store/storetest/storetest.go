// Package storetest is the conformance suite every store.Store backend passes, so that the
// embedded SQLite store and the shared PostgreSQL one behave the same.
package storetest

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// Open returns a new, empty, migrated store for one test. The suite closes it when the test
// ends.
type Open func(t *testing.T) store.Store

// Run runs the conformance suite against the backend that open creates.
func Run(t *testing.T, open Open) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Policies", policyTests},
		{"TestCases", testCaseTests},
		{"Audit", auditTests},
		{"Runs", runTests},
		{"Cursors", cursorTests},
		{"Processed", processedTests},
		{"APIKeys", apiKeyTests},
		{"Lifecycle", lifecycleTests},
		{"Studio", studioTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					s := open(t)
					t.Cleanup(func() { _ = s.Close() })
					tc.fn(t, s)
				})
			}
		})
	}
}

type test struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

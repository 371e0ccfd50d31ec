// Package plugintest helps plugin authors test their plugins without building a binary: Start
// serves an implementation over the real protocol inside the test process, and CRM, BackOffice
// and Messaging check that an implementation behaves as frontdesk relies on (idempotency,
// ErrNotFound, pending change requests).
package plugintest

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Start serves s in-process (plugin.InProcess) and returns a client of it, closed when the test
// ends. Calls through the client cross the same gRPC protocol, conversions and error mapping as
// calls to a plugin process.
func Start(t testing.TB, s plugin.Services) *plugin.Client {
	t.Helper()
	c, err := plugin.InProcess(s)
	if err != nil {
		t.Fatalf("plugintest: serve in-process: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

package twilio

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

// TestConformance runs the SDK's Messaging checks against the connector and a fake Messages
// endpoint, directly and across the plugin protocol.
func TestConformance(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.config())
	t.Run("direct", func(t *testing.T) { plugintest.Messaging(t, c, "+351912345678") })
	t.Run("protocol", func(t *testing.T) {
		plugintest.Messaging(t, plugintest.Start(t, plugin.Services{Messaging: c}), "+351912345678")
	})
	if len(f.sent) != 2 {
		t.Fatalf("%d messages sent, want 2 (one per key)", len(f.sent))
	}
}

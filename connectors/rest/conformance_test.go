package rest

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

// TestConformance runs the SDK's BackOffice checks against the connector configured by
// testdata/backoffice.yaml and a fake back office, directly and across the plugin protocol.
func TestConformance(t *testing.T) {
	f := newFakeBackOffice(t)
	c := f.client(t)
	t.Run("direct", func(t *testing.T) { plugintest.BackOffice(t, c, "C-1001") })
	t.Run("protocol", func(t *testing.T) {
		plugintest.BackOffice(t, plugintest.Start(t, plugin.Services{BackOffice: c, Hydrator: c}), "C-1001")
	})
}

func TestFetchAcrossProtocol(t *testing.T) {
	f := newFakeBackOffice(t)
	c := plugintest.Start(t, plugin.Services{Hydrator: f.client(t)})
	got, err := c.Fetch(ctxT(t), "orders", map[string]any{"customer_id": "C-1001", "since": "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	orders, ok := got.([]any)
	if !ok || len(orders) != 2 || orders[1].(map[string]any)["status"] != "in_transit" {
		t.Fatalf("result = %#v", got)
	}
}

package zendesk

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

// TestConformance runs the SDK's CRM checks against the connector and a fake account, directly
// and across the plugin protocol. The policies' queue name is mapped to a group in the config,
// and GetCase reports it by that name.
func TestConformance(t *testing.T) {
	f := newFakeAccount(t)
	cfg := f.config()
	cfg.Groups = map[string]int64{"data-change-approvals": 98738}
	c := newClient(t, cfg)
	t.Run("direct", func(t *testing.T) { plugintest.CRM(t, c) })
	t.Run("protocol", func(t *testing.T) { plugintest.CRM(t, plugintest.Start(t, plugin.Services{CRM: c})) })
}

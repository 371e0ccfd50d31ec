package salesforce

import (
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

// TestConformance runs the SDK's CRM checks against the connector and a fake org, directly and
// across the plugin protocol.
func TestConformance(t *testing.T) {
	f := newFakeOrg(t)
	cfg := f.config()
	cfg.Queues = map[string]string{"data-change-approvals": "Data_Change_Approvals"}
	c := newClient(t, cfg)
	t.Run("direct", func(t *testing.T) { plugintest.CRM(t, c) })
	t.Run("protocol", func(t *testing.T) { plugintest.CRM(t, plugintest.Start(t, plugin.Services{CRM: c})) })
}

func TestQueueWithoutMappingIsNamedByDeveloperName(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	cs, err := c.EnsureCase(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AssignCase(ctx, plugin.Assignment{CaseID: cs.ID, Queue: "Data_Change_Approvals"})
	if err != nil || got.Queue != "Data_Change_Approvals" {
		t.Fatalf("AssignCase = %+v, %v", got, err)
	}
}

func TestAddNoteToUnknownCase(t *testing.T) {
	f := newFakeOrg(t)
	c := newClient(t, f.config())
	err := c.AddNote(ctxT(t), plugin.Note{CaseID: "5005e00000Zx999AAF", Body: "x", IdempotencyKey: "k"})
	if !errors.Is(err, plugin.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

package main

import (
	"context"
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	"github.com/frontdeskhq/frontdesk/sdk/plugin/plugintest"
)

// The tests go through plugintest.Start, so they cross the real protocol as frontdesk's calls do.
func start(t *testing.T) *plugin.Client {
	l, err := NewLoyalty(pointsJSON)
	if err != nil {
		t.Fatal(err)
	}
	return plugintest.Start(t, plugin.Services{Hydrator: l})
}

func TestGetPoints(t *testing.T) {
	c := start(t)
	got, err := c.Fetch(context.Background(), "GetPoints", map[string]any{"customer_id": "C-1001"})
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if m["points"] != 12840.0 || m["tier"] != "gold" {
		t.Errorf("GetPoints(C-1001) = %v", m)
	}
}

func TestListRewards(t *testing.T) {
	c := start(t)
	for id, want := range map[string]int{"C-1001": 3, "C-1002": 2, "C-1003": 1, "C-1005": 0} {
		got, err := c.Fetch(context.Background(), "ListRewards", map[string]any{"customer_id": id})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(got.([]any)); n != want {
			t.Errorf("ListRewards(%s) = %d rewards, want %d", id, n, want)
		}
	}
}

func TestErrors(t *testing.T) {
	c := start(t)
	ctx := context.Background()
	for _, tc := range []struct {
		call string
		args map[string]any
		want error
	}{
		{"GetPoints", map[string]any{"customer_id": "C-9999"}, plugin.ErrNotFound},
		{"GetPoints", map[string]any{"customer_id": 1001}, plugin.ErrInvalidArgument},
		{"GetPoints", nil, plugin.ErrInvalidArgument},
		{"Redeem", map[string]any{"customer_id": "C-1001"}, plugin.ErrUnimplemented},
	} {
		if _, err := c.Fetch(ctx, tc.call, tc.args); !errors.Is(err, tc.want) {
			t.Errorf("%s(%v) = %v, want %v", tc.call, tc.args, err, tc.want)
		}
	}
}

func TestBadData(t *testing.T) {
	if _, err := NewLoyalty([]byte(`{"accounts": 3}`)); err == nil {
		t.Error("NewLoyalty accepted malformed data")
	}
}

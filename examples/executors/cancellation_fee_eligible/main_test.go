package main

import (
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

func TestHandle(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   map[string]any
		branch string
		reason string
		refund float64
	}{
		{"driver late", map[string]any{"fee": 7.5, "minutes_since_booking": 30, "driver_late": true}, "waive", "driver_late", 7.5},
		{"within grace", map[string]any{"fee": 7.5, "minutes_since_booking": 4, "driver_late": false}, "waive", "grace_period", 7.5},
		{"grace includes 5", map[string]any{"fee": 7.5, "minutes_since_booking": 5, "driver_late": false}, "waive", "grace_period", 7.5},
		{"grace ends after 5", map[string]any{"fee": 7.5, "minutes_since_booking": 6, "driver_late": false}, "keep", "fee_applies", 0},
		{"fee applies", map[string]any{"fee": 12.0, "minutes_since_booking": 42, "driver_late": false}, "keep", "fee_applies", 0},
		{"int fee converts", map[string]any{"fee": 10, "minutes_since_booking": 1, "driver_late": false}, "waive", "grace_period", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := executor.Test(handle, tc.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			reason, _ := res.Var("reason")
			refund, _ := res.Var("refund")
			if res.Branch != tc.branch || reason != tc.reason || refund != tc.refund {
				t.Fatalf("got %q %v, want %q reason %q refund %v", res.Branch, res.Vars, tc.branch, tc.reason, tc.refund)
			}
		})
	}
}

// The handler init registered is the one the module runs.
func TestRegistered(t *testing.T) {
	res, err := executor.Test(nil, map[string]any{"fee": 3.0, "minutes_since_booking": 1, "driver_late": false}, nil)
	if err != nil || res.Branch != "waive" {
		t.Fatalf("got %+v %v", res, err)
	}
}

func TestHandleBadInput(t *testing.T) {
	_, err := executor.Test(handle, map[string]any{"fee": "7.5", "minutes_since_booking": 3, "driver_late": false}, nil)
	if !errors.Is(err, executor.ErrType) {
		t.Fatalf("fee as string: got %v, want ErrType", err)
	}
	_, err = executor.Test(handle, map[string]any{"fee": 7.5, "driver_late": false}, nil)
	if !errors.Is(err, executor.ErrMissing) {
		t.Fatalf("no minutes: got %v, want ErrMissing", err)
	}
}

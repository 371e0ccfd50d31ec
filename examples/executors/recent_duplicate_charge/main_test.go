package main

import (
	"errors"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

// charges is a real-shape back-office answer: two charges of 23.40 three hours apart, one of
// 23.40 a day earlier and one of another amount.
var charges = []map[string]any{
	{"id": "ch_1", "amount": 23.40, "charged_at": "2026-11-20T08:15:00Z"},
	{"id": "ch_2", "amount": 9.99, "charged_at": "2026-11-21T09:00:00Z"},
	{"id": "ch_3", "amount": 23.40, "charged_at": "2026-11-21T10:05:00Z"},
	{"id": "ch_4", "amount": 23.4, "charged_at": "2026-11-21T13:02:00Z"},
}

func TestHandle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		data    map[string]any
		branch  string
		matches int64
	}{
		{"duplicate within 5 hours", map[string]any{"amount": 23.4}, "duplicate", 3},
		{"window too short", map[string]any{"amount": 23.4, "window_hours": 2}, "single", 3},
		{"single charge", map[string]any{"amount": 9.99}, "single", 1},
		{"no charge", map[string]any{"amount": 1}, "single", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := executor.Test(handle, tc.data, map[string]any{"transactions": charges})
			if err != nil {
				t.Fatal(err)
			}
			m, _ := res.Var("matches")
			ids, _ := res.Var("duplicate_ids")
			if res.Branch != tc.branch || m != tc.matches {
				t.Fatalf("got %q matches %v ids %v", res.Branch, m, ids)
			}
			if tc.branch == "duplicate" {
				if got := ids.([]string); got[0] != "ch_3" || got[1] != "ch_4" {
					t.Fatalf("ids %v, want ch_3 and ch_4", got)
				}
			}
		})
	}
}

func TestHandleHydrationFails(t *testing.T) {
	if _, err := executor.Test(handle, map[string]any{"amount": 23.4}, nil); err == nil {
		t.Fatal("no transactions: want an error")
	}
	_, err := executor.Test(handle, map[string]any{"amount": 23.4}, map[string]any{"transactions": "not a list"})
	if err == nil {
		t.Fatal("transactions not a list: want an error")
	}
	if _, err := executor.Test(handle, map[string]any{}, nil); !errors.Is(err, executor.ErrMissing) {
		t.Fatalf("no amount: got %v", err)
	}
}

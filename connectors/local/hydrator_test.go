package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

func TestHydratorCalls(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "local.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	trip, err := s.Fetch(ctx, CallLastTrip, map[string]any{"customer_id": "C-1001"})
	if m, _ := trip.(map[string]any); err != nil || m["driver_late"] != true || m["cancellation_fee"] != 5.0 {
		t.Fatalf("trip %v %v", trip, err)
	}
	if none, err := s.Fetch(ctx, CallLastTrip, map[string]any{"customer_id": "C-9"}); none != nil || err != nil {
		t.Fatalf("unknown customer: %v %v", none, err)
	}
	byEmail, _ := s.Fetch(ctx, CallBackgroundCheck, map[string]any{"email": "alan@example.com"})
	byID, _ := s.Fetch(ctx, CallBackgroundCheck, map[string]any{"email": "", "application_id": "DA-100003"})
	if byEmail.(map[string]any)["status"] != "pending" || byID.(map[string]any)["application_id"] != "DA-100003" {
		t.Fatalf("checks %v %v", byEmail, byID)
	}
	if none, _ := s.Fetch(ctx, CallBackgroundCheck, map[string]any{"email": "", "application_id": ""}); none != nil {
		t.Fatalf("empty lookup found %v", none)
	}
	if _, err := s.Fetch(ctx, "GetWeather", nil); !errors.Is(err, plugin.ErrInvalidArgument) {
		t.Fatalf("unknown call: %v", err)
	}
}

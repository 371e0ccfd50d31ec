package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// The Hydrator calls the local stack answers, for the example policies.
const (
	// CallLastTrip answers a customer's latest ride: args customer_id.
	CallLastTrip = "GetLastTrip"
	// CallBackgroundCheck answers a driver applicant's check: args email or application_id.
	CallBackgroundCheck = "GetBackgroundCheck"
)

// Fetch answers the Hydrator calls above; a lookup that finds nothing answers nil.
func (s *Store) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	switch call {
	case CallLastTrip:
		return s.lastTrip(ctx, str(args["customer_id"]))
	case CallBackgroundCheck:
		return s.backgroundCheck(ctx, str(args["email"]), str(args["application_id"]))
	}
	return nil, fmt.Errorf("%w: the local stack has no call %q (have %s, %s)", plugin.ErrInvalidArgument, call, CallLastTrip, CallBackgroundCheck)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func (s *Store) lastTrip(ctx context.Context, customerID string) (any, error) {
	var id string
	var booked int64
	var minutes int
	var fee float64
	var late bool
	err := s.db.QueryRowContext(ctx, `SELECT id, booked_at, minutes_to_cancel, cancellation_fee, driver_late
		FROM trips WHERE customer_id = ? ORDER BY booked_at DESC LIMIT 1`, customerID).Scan(&id, &booked, &minutes, &fee, &late)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("local: last trip of %s: %w", customerID, err)
	}
	return map[string]any{
		"id": id, "booked_at": time.UnixMilli(booked).UTC().Format(time.RFC3339),
		"minutes_to_cancel": minutes, "cancellation_fee": fee, "driver_late": late,
	}, nil
}

func (s *Store) backgroundCheck(ctx context.Context, email, applicationID string) (any, error) {
	var id, status string
	var submitted int64
	err := s.db.QueryRowContext(ctx, `SELECT application_id, status, submitted_at FROM background_checks
		WHERE (? != '' AND email = ?) OR (? != '' AND application_id = ?) LIMIT 1`,
		email, email, applicationID, applicationID).Scan(&id, &status, &submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("local: background check: %w", err)
	}
	return map[string]any{"application_id": id, "status": status, "submitted_at": time.UnixMilli(submitted).UTC().Format(time.RFC3339)}, nil
}

// seedRides adds demo trips and background checks when there are none, dated relative to now
// so that "pending for more than three days" means something whatever the day.
func (s *Store) seedRides(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM trips`).Scan(&n); err != nil {
		return fmt.Errorf("count trips: %w", err)
	}
	if n > 0 {
		return nil
	}
	now := s.now()
	day := 24 * time.Hour
	for _, t := range []struct {
		id, customer string
		ago          time.Duration
		minutes      int
		fee          float64
		late         bool
	}{
		{"T-5001", "C-1001", 2 * day, 12, 5.00, true},    // driver late: waived
		{"T-5002", "C-1002", 1 * day, 20, 5.00, false},   // fee stands
		{"T-5003", "C-1003", 3 * day, 1, 40.00, false},   // large fee: a human decides
		{"T-5004", "C-1004", 4 * day, 30, 0, false},      // no fee charged
		{"T-5005", "C-1005", 1 * time.Hour, 3, 5, false}, // cancelled quickly: waived
	} {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO trips VALUES (?, ?, ?, ?, ?, ?)`,
			t.id, t.customer, now.Add(-t.ago).UnixMilli(), t.minutes, t.fee, t.late); err != nil {
			return fmt.Errorf("seed trip %s: %w", t.id, err)
		}
	}
	for _, c := range []struct {
		id, email, status string
		ago               time.Duration
	}{
		{"DA-100001", "ada@example.com", "clear", 2 * day},
		{"DA-100002", "grace@example.com", "pending", 1 * day},
		{"DA-100003", "alan@example.com", "pending", 5 * day},
		{"DA-100004", "katherine@example.com", "consider", 6 * day},
	} {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO background_checks VALUES (?, ?, ?, ?)`,
			c.id, c.email, c.status, now.Add(-c.ago).UnixMilli()); err != nil {
			return fmt.Errorf("seed background check %s: %w", c.id, err)
		}
	}
	return nil
}

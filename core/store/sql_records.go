package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// PutTestCase creates or replaces the named case of a policy.
func (s *SQLStore) PutTestCase(ctx context.Context, tc TestCase) error {
	if err := checkName("test case policy", tc.Policy); err != nil {
		return err
	}
	if err := checkName("test case name", tc.Name); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO policy_tests (policy, name, body, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (policy, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`),
		tc.Policy, tc.Name, tc.Body, micros(now()))
	return s.wrap(err)
}

// TestCases returns the policy's cases, by name.
func (s *SQLStore) TestCases(ctx context.Context, policy string) ([]TestCase, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT policy, name, body, updated_at FROM policy_tests WHERE policy = ? ORDER BY name`), policy)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []TestCase
	for rows.Next() {
		var tc TestCase
		var at int64
		if err := rows.Scan(&tc.Policy, &tc.Name, &tc.Body, &at); err != nil {
			return nil, s.wrap(err)
		}
		tc.UpdatedAt = fromMicros(at)
		out = append(out, tc)
	}
	return out, s.wrap(rows.Err())
}

// DeleteTestCase removes a case.
func (s *SQLStore) DeleteTestCase(ctx context.Context, policy, name string) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM policy_tests WHERE policy = ? AND name = ?`), policy, name)
	return s.wrap(err)
}

// Cursor returns the value stored under key.
func (s *SQLStore) Cursor(ctx context.Context, key string) (string, error) {
	if err := s.check(ctx); err != nil {
		return "", err
	}
	var v string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT value FROM channel_cursors WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: cursor %q", ErrNotFound, key)
	}
	return v, s.wrap(err)
}

// SetCursor stores value under key.
func (s *SQLStore) SetCursor(ctx context.Context, key, value string) error {
	if err := checkName("cursor key", key); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO channel_cursors (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`), key, value, micros(now()))
	return s.wrap(err)
}

// SetCursorFenced stores value under key unless a write with a larger token came first.
func (s *SQLStore) SetCursorFenced(ctx context.Context, key, value string, token uint64) error {
	if err := checkName("cursor key", key); err != nil {
		return err
	}
	if token > math.MaxInt64 {
		return fmt.Errorf("%w: fencing token %d out of range", ErrInvalid, token)
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	// The token test is part of the upsert, so two pollers cannot both pass it.
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO channel_cursors (key, value, fence, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, fence = excluded.fence, updated_at = excluded.updated_at
		WHERE channel_cursors.fence <= excluded.fence`), key, value, int64(token), micros(now()))
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: cursor %q, token %d", ErrFenced, key, token)
	}
	return nil
}

// MarkProcessed records key and reports whether this call was the first. The primary key
// decides between racing callers: exactly one insert changes a row.
func (s *SQLStore) MarkProcessed(ctx context.Context, key string) (bool, error) {
	if err := checkName("processed key", key); err != nil {
		return false, err
	}
	if err := s.check(ctx); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO processed_ids (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), key, micros(now()))
	if err != nil {
		return false, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n == 1, s.wrap(err)
}

// ForgetProcessed removes the keys recorded before t.
func (s *SQLStore) ForgetProcessed(ctx context.Context, before time.Time) (int64, error) {
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM processed_ids WHERE at < ?`), micros(before))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap(err)
}

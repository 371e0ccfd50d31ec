package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MinAPIKeySecret is the shortest secret CreateAPIKey accepts: a fast hash is safe only for
// secrets too long to guess.
const MinAPIKeySecret = 24

// CreateAPIKey stores a key under its secret's hash.
func (s *SQLStore) CreateAPIKey(ctx context.Context, key APIKey, secret string) error {
	if err := checkName("API key id", key.ID); err != nil {
		return err
	}
	if err := checkName("API key role", key.Role); err != nil {
		return err
	}
	if len(secret) < MinAPIKeySecret {
		return fmt.Errorf("%w: API key secret shorter than %d characters", ErrInvalid, MinAPIKeySecret)
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	if key.CreatedAt.IsZero() {
		key.CreatedAt = now()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO api_keys (id, hash, owner, role, created_at) VALUES (?, ?, ?, ?, ?)`),
		key.ID, HashAPIKey(secret), key.Owner, key.Role, micros(key.CreatedAt))
	if err != nil && s.d.isUniqueViolation(err) {
		return fmt.Errorf("%w: API key %q (or its secret)", ErrExists, key.ID)
	}
	return s.wrap(err)
}

const apiKeyColumns = `id, owner, role, created_at, revoked_at`

func scanAPIKey(sc scanner) (APIKey, error) {
	var k APIKey
	var created int64
	var revoked sql.NullInt64
	if err := sc.Scan(&k.ID, &k.Owner, &k.Role, &created, &revoked); err != nil {
		return APIKey{}, err
	}
	k.CreatedAt = fromMicros(created)
	if revoked.Valid {
		t := fromMicros(revoked.Int64)
		k.RevokedAt = &t
	}
	return k, nil
}

// AuthenticateAPIKey returns the unrevoked key whose secret this is.
func (s *SQLStore) AuthenticateAPIKey(ctx context.Context, secret string) (APIKey, error) {
	if err := s.check(ctx); err != nil {
		return APIKey{}, err
	}
	k, err := scanAPIKey(s.db.QueryRowContext(ctx, s.q(`SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = ? AND revoked_at IS NULL`), HashAPIKey(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return APIKey{}, fmt.Errorf("%w: no such API key", ErrNotFound)
	}
	return k, s.wrap(err)
}

// ListAPIKeys returns every key, by ID.
func (s *SQLStore) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY id`)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, k)
	}
	return out, s.wrap(rows.Err())
}

// RevokeAPIKey revokes the key; revoking it again keeps the first revocation time.
func (s *SQLStore) RevokeAPIKey(ctx context.Context, id string) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`), micros(now()), id)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: API key %q", ErrNotFound, id)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const versionColumns = `policy, version, state, body, author, created_at, updated_at, state_changed_at`

// CreateVersion stores body as the policy's next version, in Draft.
func (s *SQLStore) CreateVersion(ctx context.Context, policy, body, author string) (PolicyVersion, error) {
	if err := checkName("policy name", policy); err != nil {
		return PolicyVersion{}, err
	}
	t := now()
	v := PolicyVersion{Policy: policy, State: StateDraft, Body: body, Author: author, CreatedAt: t, UpdatedAt: t, StateChangedAt: t}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO policies (name, last_version, created_at) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING`), policy, micros(t)); err != nil {
			return err
		}
		// The UPDATE locks the policy's row, so concurrent creators get distinct numbers.
		if err := tx.QueryRowContext(ctx, s.q(`UPDATE policies SET last_version = last_version + 1 WHERE name = ? RETURNING last_version`), policy).Scan(&v.Version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO policy_versions (`+versionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			v.Policy, v.Version, string(v.State), v.Body, v.Author, micros(t), micros(t), micros(t))
		return err
	})
	if err != nil {
		return PolicyVersion{}, s.wrap(err)
	}
	return v, nil
}

// UpdateVersion replaces the body of a Draft or Shadow version.
func (s *SQLStore) UpdateVersion(ctx context.Context, policy string, version int, body string) (PolicyVersion, error) {
	var v PolicyVersion
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The state test is in the UPDATE itself, so no race can slip an edit past Final.
		res, err := tx.ExecContext(ctx, s.q(`UPDATE policy_versions SET body = ?, updated_at = ? WHERE policy = ? AND version = ? AND state IN ('draft', 'shadow')`),
			body, micros(now()), policy, version)
		if err != nil {
			return err
		}
		if v, err = s.versionTx(ctx, tx, policy, version, ""); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s version %d is %s", ErrImmutable, policy, version, v.State)
		}
		return nil
	})
	return v, s.wrap(err)
}

// SetState moves a version to another state.
func (s *SQLStore) SetState(ctx context.Context, policy string, version int, to State) (PolicyVersion, error) {
	if !to.Valid() {
		return PolicyVersion{}, fmt.Errorf("%w: unknown state %q", ErrInvalid, to)
	}
	var v PolicyVersion
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Lock the policy first: state changes of one policy then happen one at a time, and
		// two versions made Live together cannot both demote the same predecessor.
		var last int
		err := tx.QueryRowContext(ctx, s.q(`SELECT last_version FROM policies WHERE name = ?`+s.d.forUpdate), policy).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: policy %q", ErrNotFound, policy)
		}
		if err != nil {
			return err
		}
		if v, err = s.versionTx(ctx, tx, policy, version, ""); err != nil {
			return err
		}
		if v.State == to {
			return nil
		}
		if !CanTransition(v.State, to) {
			return fmt.Errorf("%w: %s version %d from %s to %s", ErrTransition, policy, version, v.State, to)
		}
		t := now()
		if to == StateLive {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE policy_versions SET state = 'final', state_changed_at = ? WHERE policy = ? AND state = 'live'`), micros(t), policy); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE policy_versions SET state = ?, state_changed_at = ? WHERE policy = ? AND version = ?`), string(to), micros(t), policy, version); err != nil {
			return err
		}
		v.State, v.StateChangedAt = to, t
		return nil
	})
	return v, s.wrap(err)
}

// Version returns one version.
func (s *SQLStore) Version(ctx context.Context, policy string, version int) (PolicyVersion, error) {
	if err := s.check(ctx); err != nil {
		return PolicyVersion{}, err
	}
	v, err := s.versionTx(ctx, s.db, policy, version, "")
	return v, s.wrap(err)
}

// LiveVersion returns the policy's Live version.
func (s *SQLStore) LiveVersion(ctx context.Context, policy string) (PolicyVersion, error) {
	if err := s.check(ctx); err != nil {
		return PolicyVersion{}, err
	}
	v, err := s.versionTx(ctx, s.db, policy, 0, StateLive)
	return v, s.wrap(err)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// versionTx reads one version by number, or the one in state when state is set.
func (s *SQLStore) versionTx(ctx context.Context, q querier, policy string, version int, state State) (PolicyVersion, error) {
	var row *sql.Row
	if state != "" {
		row = q.QueryRowContext(ctx, s.q(`SELECT `+versionColumns+` FROM policy_versions WHERE policy = ? AND state = ?`), policy, string(state))
	} else {
		row = q.QueryRowContext(ctx, s.q(`SELECT `+versionColumns+` FROM policy_versions WHERE policy = ? AND version = ?`), policy, version)
	}
	v, err := scanVersion(row)
	if errors.Is(err, sql.ErrNoRows) {
		if state != "" {
			return v, fmt.Errorf("%w: no %s version of policy %q", ErrNotFound, state, policy)
		}
		return v, fmt.Errorf("%w: policy %q version %d", ErrNotFound, policy, version)
	}
	return v, err
}

type scanner interface{ Scan(dest ...any) error }

func scanVersion(sc scanner) (PolicyVersion, error) {
	var v PolicyVersion
	var state string
	var created, updated, changed int64
	if err := sc.Scan(&v.Policy, &v.Version, &state, &v.Body, &v.Author, &created, &updated, &changed); err != nil {
		return PolicyVersion{}, err
	}
	v.State = State(state)
	v.CreatedAt, v.UpdatedAt, v.StateChangedAt = fromMicros(created), fromMicros(updated), fromMicros(changed)
	return v, nil
}

// Versions returns every version of the policy, oldest first.
func (s *SQLStore) Versions(ctx context.Context, policy string) ([]PolicyVersion, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+versionColumns+` FROM policy_versions WHERE policy = ? ORDER BY version`), policy)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []PolicyVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, v)
	}
	return out, s.wrap(rows.Err())
}

// ListPolicies returns a summary of every policy that has a version.
func (s *SQLStore) ListPolicies(ctx context.Context) ([]PolicySummary, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.policy, v.version, v.state,
		COALESCE((SELECT l.version FROM policy_versions l WHERE l.policy = v.policy AND l.state = 'live'), 0)
		FROM policy_versions v
		WHERE v.version = (SELECT MAX(m.version) FROM policy_versions m WHERE m.policy = v.policy)
		ORDER BY v.policy`)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []PolicySummary
	for rows.Next() {
		var p PolicySummary
		var state string
		if err := rows.Scan(&p.Name, &p.Latest, &state, &p.Live); err != nil {
			return nil, s.wrap(err)
		}
		p.LatestState = State(state)
		out = append(out, p)
	}
	return out, s.wrap(rows.Err())
}

// DeleteVersion removes a Draft version. Its number is not used again.
func (s *SQLStore) DeleteVersion(ctx context.Context, policy string, version int) error {
	return s.wrap(s.inTx(ctx, func(tx *sql.Tx) error {
		v, err := s.versionTx(ctx, tx, policy, version, "")
		if err != nil {
			return err
		}
		if v.State != StateDraft {
			return fmt.Errorf("%w: only a draft can be deleted; %s version %d is %s", ErrImmutable, policy, version, v.State)
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM policy_versions WHERE policy = ? AND version = ? AND state = 'draft'`), policy, version)
		return err
	}))
}

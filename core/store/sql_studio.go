package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

const policyInfoColumns = `name, title, description, category, country, channel, updated_at`

// PolicyInfo returns the policy's metadata.
func (s *SQLStore) PolicyInfo(ctx context.Context, name string) (PolicyInfo, error) {
	if err := s.check(ctx); err != nil {
		return PolicyInfo{}, err
	}
	info, err := scanPolicyInfo(s.db.QueryRowContext(ctx, s.q(`SELECT `+policyInfoColumns+` FROM policy_info WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return info, fmt.Errorf("%w: no metadata for policy %q", ErrNotFound, name)
	}
	return info, s.wrap(err)
}

func scanPolicyInfo(sc scanner) (PolicyInfo, error) {
	var p PolicyInfo
	var updated int64
	if err := sc.Scan(&p.Name, &p.Title, &p.Description, &p.Category, &p.Country, &p.Channel, &updated); err != nil {
		return PolicyInfo{}, err
	}
	p.UpdatedAt = fromMicros(updated)
	return p, nil
}

// PutPolicyInfo creates or replaces the policy's metadata.
func (s *SQLStore) PutPolicyInfo(ctx context.Context, p PolicyInfo) error {
	if err := checkName("policy name", p.Name); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO policy_info (`+policyInfoColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET title = excluded.title, description = excluded.description,
		category = excluded.category, country = excluded.country, channel = excluded.channel, updated_at = excluded.updated_at`),
		p.Name, p.Title, p.Description, p.Category, p.Country, p.Channel, micros(now()))
	return s.wrap(err)
}

// ListPolicyInfos returns the metadata of every policy that has some.
func (s *SQLStore) ListPolicyInfos(ctx context.Context) ([]PolicyInfo, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+policyInfoColumns+` FROM policy_info ORDER BY name`)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []PolicyInfo
	for rows.Next() {
		p, err := scanPolicyInfo(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, p)
	}
	return out, s.wrap(rows.Err())
}

const experimentColumns = `name, policy, enabled, arms, created_by, created_at, updated_at`

// CreateExperiment stores a new experiment.
func (s *SQLStore) CreateExperiment(ctx context.Context, e Experiment) (Experiment, error) {
	if err := checkName("experiment name", e.Name); err != nil {
		return Experiment{}, err
	}
	if err := checkName("experiment policy", e.Policy); err != nil {
		return Experiment{}, err
	}
	if err := s.check(ctx); err != nil {
		return Experiment{}, err
	}
	arms, err := json.Marshal(e.Arms)
	if err != nil {
		return Experiment{}, fmt.Errorf("%w: experiment arms: %v", ErrInvalid, err)
	}
	t := now()
	e.CreatedAt, e.UpdatedAt = t, t
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO experiments (`+experimentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		e.Name, e.Policy, e.Enabled, string(arms), e.CreatedBy, micros(t), micros(t))
	if err != nil && s.d.isUniqueViolation(err) {
		return Experiment{}, fmt.Errorf("%w: experiment %q, or an enabled one of policy %q", ErrExists, e.Name, e.Policy)
	}
	return e, s.wrap(err)
}

func scanExperiment(sc scanner) (Experiment, error) {
	var e Experiment
	var arms string
	var created, updated int64
	if err := sc.Scan(&e.Name, &e.Policy, &e.Enabled, &arms, &e.CreatedBy, &created, &updated); err != nil {
		return Experiment{}, err
	}
	if err := json.Unmarshal([]byte(arms), &e.Arms); err != nil {
		return Experiment{}, fmt.Errorf("experiment %s: stored arms unreadable: %w", e.Name, err)
	}
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	return e, nil
}

// Experiment returns one experiment.
func (s *SQLStore) Experiment(ctx context.Context, name string) (Experiment, error) {
	if err := s.check(ctx); err != nil {
		return Experiment{}, err
	}
	e, err := scanExperiment(s.db.QueryRowContext(ctx, s.q(`SELECT `+experimentColumns+` FROM experiments WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%w: experiment %q", ErrNotFound, name)
	}
	return e, s.wrap(err)
}

// ListExperiments returns the experiments of a policy, or of every policy.
func (s *SQLStore) ListExperiments(ctx context.Context, policy string) ([]Experiment, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	w := &where{}
	w.eq("policy", policy)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+experimentColumns+` FROM experiments`+w.String()+` ORDER BY name`), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []Experiment
	for rows.Next() {
		e, err := scanExperiment(rows)
		if err != nil {
			return nil, s.wrap(err)
		}
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

// SetExperimentEnabled enables or disables an experiment.
func (s *SQLStore) SetExperimentEnabled(ctx context.Context, name string, enabled bool) (Experiment, error) {
	if err := s.check(ctx); err != nil {
		return Experiment{}, err
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE experiments SET enabled = ?, updated_at = ? WHERE name = ?`), enabled, micros(now()), name)
	if err != nil {
		if s.d.isUniqueViolation(err) {
			return Experiment{}, fmt.Errorf("%w: another experiment of the policy is enabled", ErrExists)
		}
		return Experiment{}, s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Experiment{}, fmt.Errorf("%w: experiment %q", ErrNotFound, name)
	}
	return s.Experiment(ctx, name)
}

// PathCounts groups the runs by version and path. Paths are stored as JSON text, so equal
// paths group by plain string equality.
func (s *SQLStore) PathCounts(ctx context.Context, policy string, f RunFilter) ([]PathCount, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	w := runWhere(policy, f)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.version, r.path, COUNT(*), COUNT(r.csat),
		COALESCE(CAST(AVG(r.csat) AS DOUBLE PRECISION), 0)
		FROM runs r`+w.String()+`
		GROUP BY r.version, r.path
		ORDER BY r.version, COUNT(*) DESC, r.path`), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []PathCount
	for rows.Next() {
		var c PathCount
		var path string
		if err := rows.Scan(&c.Version, &path, &c.Runs, &c.CSATRuns, &c.CSATMean); err != nil {
			return nil, s.wrap(err)
		}
		if err := json.Unmarshal([]byte(path), &c.Path); err != nil {
			return nil, fmt.Errorf("store: run path unreadable: %w", err)
		}
		out = append(out, c)
	}
	return out, s.wrap(rows.Err())
}

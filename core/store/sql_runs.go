package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// RecordRun stores a run and the nodes it visited; a run already recorded is left as it is.
func (s *SQLStore) RecordRun(ctx context.Context, r Run) error {
	if err := checkName("run id", r.ID); err != nil {
		return err
	}
	if err := checkName("run policy", r.Policy); err != nil {
		return err
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now()
	}
	path, err := json.Marshal(r.Path)
	if err != nil {
		return fmt.Errorf("store: run %s path: %w", r.ID, err)
	}
	var csat sql.NullInt64
	if r.CSAT != nil {
		csat = sql.NullInt64{Int64: int64(*r.CSAT), Valid: true}
	}
	return s.wrap(s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO runs (run_id, policy, version, channel, path, outcome, handed_off, csat, latency_us, shadow, experiment, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`),
			r.ID, r.Policy, r.Version, r.Channel, string(path), r.Outcome, r.HandedOff, csat, r.Latency.Microseconds(), r.Shadow, r.Experiment, micros(r.StartedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // recorded before: a retry of an at-least-once writer
		}
		nodes := distinct(r.Path)
		if len(nodes) == 0 {
			return nil
		}
		// One multi-row insert instead of a round trip per node.
		var b strings.Builder
		args := make([]any, 0, 2*len(nodes))
		b.WriteString(`INSERT INTO run_nodes (run_id, node) VALUES `)
		for i, n := range nodes {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, r.ID, n)
		}
		_, err = tx.ExecContext(ctx, s.q(b.String()), args...)
		return err
	}))
}

func distinct(path []string) []string {
	seen := make(map[string]bool, len(path))
	out := make([]string, 0, len(path))
	for _, n := range path {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// SetCSAT records the customer's score for a run.
func (s *SQLStore) SetCSAT(ctx context.Context, runID string, score int) error {
	if score < 0 {
		return fmt.Errorf("%w: negative CSAT score %d", ErrInvalid, score)
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE runs SET csat = ? WHERE run_id = ?`), score, runID)
	if err != nil {
		return s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: run %q", ErrNotFound, runID)
	}
	return nil
}

// runWhere turns a policy and filter into conditions on the runs table, aliased r.
func runWhere(policy string, f RunFilter) *where {
	w := &where{}
	w.add("r.policy = ?", policy)
	if f.Version != 0 {
		w.add("r.version = ?", f.Version)
	}
	if f.Shadow != nil {
		w.add("r.shadow = ?", *f.Shadow)
	}
	w.eq("r.experiment", f.Experiment)
	w.between("r.started_at", f.Since, f.Until)
	return w
}

// NodeHits counts, for each node, the runs that visited it.
func (s *SQLStore) NodeHits(ctx context.Context, policy string, f RunFilter) (map[string]int64, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	w := runWhere(policy, f)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT n.node, COUNT(*) FROM run_nodes n JOIN runs r ON r.run_id = n.run_id`+w.String()+` GROUP BY n.node`), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := make(map[string]int64)
	for rows.Next() {
		var node string
		var n int64
		if err := rows.Scan(&node, &n); err != nil {
			return nil, s.wrap(err)
		}
		out[node] = n
	}
	return out, s.wrap(rows.Err())
}

// OutcomeCounts groups the runs by version, outcome and hand-off.
func (s *SQLStore) OutcomeCounts(ctx context.Context, policy string, f RunFilter) ([]OutcomeCount, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	w := runWhere(policy, f)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.version, r.outcome, r.handed_off, COUNT(*), COUNT(r.csat),
		COALESCE(CAST(AVG(r.csat) AS DOUBLE PRECISION), 0), CAST(AVG(r.latency_us) AS DOUBLE PRECISION)
		FROM runs r`+w.String()+`
		GROUP BY r.version, r.outcome, r.handed_off
		ORDER BY r.version, r.outcome, r.handed_off`), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []OutcomeCount
	for rows.Next() {
		var c OutcomeCount
		var latency float64
		if err := rows.Scan(&c.Version, &c.Outcome, &c.HandedOff, &c.Runs, &c.CSATRuns, &c.CSATMean, &latency); err != nil {
			return nil, s.wrap(err)
		}
		c.LatencyMean = time.Duration(latency) * time.Microsecond
		out = append(out, c)
	}
	return out, s.wrap(rows.Err())
}

package store

import (
	"context"
	"fmt"
)

// DefaultAuditLimit is how many entries ListAudit returns when the filter sets no limit.
const DefaultAuditLimit = 100

// AppendAudit stores the entry and returns its ID.
func (s *SQLStore) AppendAudit(ctx context.Context, e AuditEntry) (int64, error) {
	if err := checkName("audit action", e.Action); err != nil {
		return 0, err
	}
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	if e.At.IsZero() {
		e.At = now()
	}
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		micros(e.At), e.Actor, e.Action, e.Subject, e.Details).Scan(&id)
	return id, s.wrap(err)
}

// ListAudit returns matching entries, newest first.
func (s *SQLStore) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if f.Limit < 0 {
		return nil, fmt.Errorf("%w: negative limit %d", ErrInvalid, f.Limit)
	}
	if f.Limit == 0 {
		f.Limit = DefaultAuditLimit
	}
	var w where
	w.eq("actor", f.Actor)
	w.eq("action", f.Action)
	w.eq("subject", f.Subject)
	w.between("at", f.Since, f.Until)
	if f.BeforeID > 0 {
		w.add("id < ?", f.BeforeID)
	}
	// The limit is a number the code formats, never caller text, so it is safe in the query.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, actor, action, subject, details FROM audit_log`+w.String()+
		fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, f.Limit)), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Details); err != nil {
			return nil, s.wrap(err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, s.wrap(rows.Err())
}

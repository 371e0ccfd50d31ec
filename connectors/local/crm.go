package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

const caseColumns = `seq, external_id, subject, status, intent, confidence, category, queue, agent,
	customer_id, created, updated`

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface{ Scan(dest ...any) error }

func scanCase(r rowScanner) (plugin.Case, error) {
	var c plugin.Case
	var seq, created, updated int64
	err := r.Scan(&seq, &c.ExternalID, &c.Subject, &c.Status, &c.Intent, &c.Confidence,
		&c.Category, &c.Queue, &c.Agent, &c.CustomerID, &created, &updated)
	if err != nil {
		return plugin.Case{}, err
	}
	c.ID = formatID(casePrefix, seq)
	c.Created, c.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	return c, nil
}

// EnsureCase implements plugin.CRM: the external id is unique, so a second call with the same
// one returns the first call's case unchanged. A case without a customer id is linked to the
// customer whose email address it was written from, as CRMs link an email-to-case contact.
func (s *Store) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	if req.ExternalID == "" {
		return plugin.Case{}, fmt.Errorf("%w: EnsureCase needs an external id", plugin.ErrInvalidArgument)
	}
	now := s.nowMillis()
	_, err := s.db.ExecContext(ctx, `INSERT INTO cases
		(external_id, subject, description, channel, contact_email, contact_phone, customer_id, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, COALESCE(NULLIF(?, ''),
			(SELECT id FROM customers WHERE ? <> '' AND lower(email) = lower(?) ORDER BY id LIMIT 1), ''), ?, ?)
		ON CONFLICT (external_id) DO NOTHING`,
		req.ExternalID, req.Subject, req.Description, req.Channel, req.ContactEmail,
		req.ContactPhone, req.CustomerID, req.ContactEmail, req.ContactEmail, now, now)
	if err != nil {
		return plugin.Case{}, fmt.Errorf("local: ensure case %q: %w", req.ExternalID, err)
	}
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE external_id = ?`, req.ExternalID))
	if err != nil {
		return plugin.Case{}, fmt.Errorf("local: ensure case %q: %w", req.ExternalID, err)
	}
	return c, nil
}

// GetCase implements plugin.CRM.
func (s *Store) GetCase(ctx context.Context, caseID string) (plugin.Case, error) {
	seq, err := parseID(casePrefix, "case", caseID)
	if err != nil {
		return plugin.Case{}, err
	}
	return s.caseBySeq(ctx, seq, caseID)
}

func (s *Store) caseBySeq(ctx context.Context, seq int64, caseID string) (plugin.Case, error) {
	ctx, err := keyLookup(ctx)
	if err != nil {
		return plugin.Case{}, err
	}
	c, err := scanCase(s.caseBySeqStmt.QueryRowContext(ctx, seq))
	if errors.Is(err, sql.ErrNoRows) {
		return plugin.Case{}, fmt.Errorf("%w: case %q", plugin.ErrNotFound, caseID)
	}
	if err != nil {
		return plugin.Case{}, fmt.Errorf("local: get case %q: %w", caseID, err)
	}
	return c, nil
}

// existingCase returns the sequence number of an existing case, or ErrNotFound.
func (s *Store) existingCase(ctx context.Context, caseID string) (int64, error) {
	seq, err := parseID(casePrefix, "case", caseID)
	if err != nil {
		return 0, err
	}
	var one int
	err = s.db.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE seq = ?`, seq).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: case %q", plugin.ErrNotFound, caseID)
	}
	if err != nil {
		return 0, fmt.Errorf("local: case %q: %w", caseID, err)
	}
	return seq, nil
}

// UpdateCase implements plugin.CRM. Setting values is idempotent by nature, so the key is not
// recorded.
func (s *Store) UpdateCase(ctx context.Context, req plugin.CaseUpdate) (plugin.Case, error) {
	seq, err := s.existingCase(ctx, req.CaseID)
	if err != nil {
		return plugin.Case{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return plugin.Case{}, err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE cases SET
		intent     = CASE WHEN ?1 = '' THEN intent ELSE ?1 END,
		confidence = CASE WHEN ?2 = 0 THEN confidence ELSE ?2 END,
		category   = CASE WHEN ?3 = '' THEN category ELSE ?3 END,
		status     = CASE WHEN ?4 = '' THEN status ELSE ?4 END,
		updated    = ?5
		WHERE seq = ?6`, req.Intent, req.Confidence, req.Category, req.Status, s.nowMillis(), seq)
	if err != nil {
		return plugin.Case{}, fmt.Errorf("local: update case %q: %w", req.CaseID, err)
	}
	for name, value := range req.Fields {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_fields (case_seq, name, value) VALUES (?, ?, ?)
			ON CONFLICT (case_seq, name) DO UPDATE SET value = excluded.value`, seq, name, value); err != nil {
			return plugin.Case{}, fmt.Errorf("local: update case %q field %q: %w", req.CaseID, name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return plugin.Case{}, fmt.Errorf("local: update case %q: %w", req.CaseID, err)
	}
	return s.caseBySeq(ctx, seq, req.CaseID)
}

// AddNote implements plugin.CRM; a note whose key was seen before is not added again.
func (s *Store) AddNote(ctx context.Context, req plugin.Note) error {
	if req.Body == "" {
		return fmt.Errorf("%w: AddNote needs a body", plugin.ErrInvalidArgument)
	}
	seq, err := s.existingCase(ctx, req.CaseID)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO notes (case_seq, body, public, idempotency_key, created)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		seq, req.Body, req.Public, nullable(req.IdempotencyKey), s.nowMillis())
	if err != nil {
		return fmt.Errorf("local: add note to case %q: %w", req.CaseID, err)
	}
	return nil
}

// AssignCase implements plugin.CRM. A queue alone moves the case to the queue's backlog and
// clears the agent; an agent alone keeps the queue. Every assignment is kept as history.
func (s *Store) AssignCase(ctx context.Context, req plugin.Assignment) (plugin.Case, error) {
	if req.Queue == "" && req.Agent == "" {
		return plugin.Case{}, fmt.Errorf("%w: AssignCase needs a queue or an agent", plugin.ErrInvalidArgument)
	}
	seq, err := s.existingCase(ctx, req.CaseID)
	if err != nil {
		return plugin.Case{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return plugin.Case{}, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO assignments (case_seq, queue, agent, idempotency_key, created)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		seq, req.Queue, req.Agent, nullable(req.IdempotencyKey), s.nowMillis())
	if err != nil {
		return plugin.Case{}, fmt.Errorf("local: assign case %q: %w", req.CaseID, err)
	}
	// A replayed key changes nothing, so that a retry cannot undo a later assignment.
	if n, _ := res.RowsAffected(); n > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE cases SET
			queue  = CASE WHEN ?1 = '' THEN queue ELSE ?1 END,
			agent  = CASE WHEN ?1 <> '' AND ?2 = '' THEN '' ELSE ?2 END,
			status = CASE WHEN status = 'new' THEN 'assigned' ELSE status END,
			updated = ?3
			WHERE seq = ?4`, req.Queue, req.Agent, s.nowMillis(), seq)
		if err != nil {
			return plugin.Case{}, fmt.Errorf("local: assign case %q: %w", req.CaseID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return plugin.Case{}, fmt.Errorf("local: assign case %q: %w", req.CaseID, err)
	}
	return s.caseBySeq(ctx, seq, req.CaseID)
}

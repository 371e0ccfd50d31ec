package local

import (
	"context"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// The listings below let a person look inside the stack (`frontdesk local ...`); the plugin
// interfaces have no use for them.

// Cases returns the newest cases first, at most limit.
func (s *Store) Cases(ctx context.Context, limit int) ([]plugin.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("local: list cases: %w", err)
	}
	defer rows.Close()
	var out []plugin.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("local: list cases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LoggedNote is a note as stored, with the time it was added.
type LoggedNote struct {
	plugin.Note
	Created time.Time
}

// Notes returns a case's notes, oldest first.
func (s *Store) Notes(ctx context.Context, caseID string) ([]LoggedNote, error) {
	seq, err := s.existingCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT body, public, coalesce(idempotency_key, ''), created
		FROM notes WHERE case_seq = ? ORDER BY seq`, seq)
	if err != nil {
		return nil, fmt.Errorf("local: notes of %q: %w", caseID, err)
	}
	defer rows.Close()
	var out []LoggedNote
	for rows.Next() {
		n := LoggedNote{Note: plugin.Note{CaseID: caseID}}
		var created int64
		if err := rows.Scan(&n.Body, &n.Public, &n.IdempotencyKey, &created); err != nil {
			return nil, fmt.Errorf("local: notes of %q: %w", caseID, err)
		}
		n.Created = time.UnixMilli(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Customers returns every customer by id.
func (s *Store) Customers(ctx context.Context) ([]plugin.Customer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("local: list customers: %w", err)
	}
	defer rows.Close()
	var out []plugin.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("local: list customers: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Changes returns the newest change requests of every status first, at most limit.
func (s *Store) Changes(ctx context.Context, limit int) ([]plugin.ChangeRequest, error) {
	return s.changes(ctx, `SELECT `+changeColumns+` FROM change_requests ORDER BY seq DESC LIMIT ?`, limit)
}

// OutboxMessage is a text message in the outbox.
type OutboxMessage struct {
	ID      string
	To      string
	Body    string
	Status  string
	Created time.Time
}

// Outbox returns the newest messages first, at most limit.
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, recipient, body, status, created FROM outbox
		ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("local: list outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		var seq, created int64
		if err := rows.Scan(&seq, &m.To, &m.Body, &m.Status, &created); err != nil {
			return nil, fmt.Errorf("local: list outbox: %w", err)
		}
		m.ID = formatID(smsPrefix, seq)
		m.Created = time.UnixMilli(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

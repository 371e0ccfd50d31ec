package local

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// StatusPending is the only status frontdesk gives a change request; people decide the rest.
const StatusPending = "pending"

const customerColumns = `id, name, email, phone, street, city, postcode, country, attributes`

func scanCustomer(r rowScanner) (plugin.Customer, error) {
	var c plugin.Customer
	var attrs string
	if err := r.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Address.Street, &c.Address.City,
		&c.Address.Postcode, &c.Address.Country, &attrs); err != nil {
		return plugin.Customer{}, err
	}
	if err := json.Unmarshal([]byte(attrs), &c.Attributes); err != nil {
		return plugin.Customer{}, fmt.Errorf("customer %s: attributes: %w", c.ID, err)
	}
	return c, nil
}

// GetCustomer implements plugin.BackOffice.
func (s *Store) GetCustomer(ctx context.Context, customerID string) (plugin.Customer, error) {
	ctx, err := keyLookup(ctx)
	if err != nil {
		return plugin.Customer{}, err
	}
	c, err := scanCustomer(s.customerStmt.QueryRowContext(ctx, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return plugin.Customer{}, fmt.Errorf("%w: customer %q", plugin.ErrNotFound, customerID)
	}
	if err != nil {
		return plugin.Customer{}, fmt.Errorf("local: get customer %q: %w", customerID, err)
	}
	return c, nil
}

const changeColumns = `seq, customer_id, kind, fields, status, case_id, coalesce(idempotency_key, ''), created`

func scanChange(r rowScanner) (plugin.ChangeRequest, error) {
	var cr plugin.ChangeRequest
	var seq, created int64
	var fields string
	if err := r.Scan(&seq, &cr.CustomerID, &cr.Kind, &fields, &cr.Status, &cr.CaseID, &cr.IdempotencyKey, &created); err != nil {
		return plugin.ChangeRequest{}, err
	}
	if err := json.Unmarshal([]byte(fields), &cr.Fields); err != nil {
		return plugin.ChangeRequest{}, fmt.Errorf("change request %d: fields: %w", seq, err)
	}
	cr.ID = formatID(changePrefix, seq)
	cr.Created = time.UnixMilli(created)
	return cr, nil
}

// SubmitChangeRequest implements plugin.BackOffice. The request is stored as pending whatever
// else it asks for; a request whose key was seen before returns the first one.
func (s *Store) SubmitChangeRequest(ctx context.Context, req plugin.ChangeRequest) (plugin.ChangeRequest, error) {
	switch {
	case req.Kind == "":
		return plugin.ChangeRequest{}, fmt.Errorf("%w: a change request needs a kind", plugin.ErrInvalidArgument)
	case len(req.Fields) == 0:
		return plugin.ChangeRequest{}, fmt.Errorf("%w: a change request needs fields", plugin.ErrInvalidArgument)
	case req.Status != "" && req.Status != StatusPending:
		return plugin.ChangeRequest{}, fmt.Errorf("%w: change requests are submitted %q, not %q",
			plugin.ErrInvalidArgument, StatusPending, req.Status)
	}
	if _, err := s.GetCustomer(ctx, req.CustomerID); err != nil {
		return plugin.ChangeRequest{}, err
	}
	fields, err := json.Marshal(req.Fields)
	if err != nil {
		return plugin.ChangeRequest{}, err
	}
	if req.IdempotencyKey != "" {
		cr, err := scanChange(s.db.QueryRowContext(ctx,
			`SELECT `+changeColumns+` FROM change_requests WHERE idempotency_key = ?`, req.IdempotencyKey))
		if err == nil {
			return cr, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return plugin.ChangeRequest{}, fmt.Errorf("local: change request by key: %w", err)
		}
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO change_requests
		(customer_id, kind, fields, status, case_id, idempotency_key, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		req.CustomerID, req.Kind, string(fields), StatusPending, req.CaseID, nullable(req.IdempotencyKey), s.nowMillis())
	if err != nil {
		return plugin.ChangeRequest{}, fmt.Errorf("local: submit change request: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return plugin.ChangeRequest{}, err
	}
	return s.changeBySeq(ctx, seq, formatID(changePrefix, seq))
}

// GetChangeRequest implements plugin.BackOffice.
func (s *Store) GetChangeRequest(ctx context.Context, id string) (plugin.ChangeRequest, error) {
	seq, err := parseID(changePrefix, "change request", id)
	if err != nil {
		return plugin.ChangeRequest{}, err
	}
	return s.changeBySeq(ctx, seq, id)
}

func (s *Store) changeBySeq(ctx context.Context, seq int64, id string) (plugin.ChangeRequest, error) {
	cr, err := scanChange(s.db.QueryRowContext(ctx, `SELECT `+changeColumns+` FROM change_requests WHERE seq = ?`, seq))
	if errors.Is(err, sql.ErrNoRows) {
		return plugin.ChangeRequest{}, fmt.Errorf("%w: change request %q", plugin.ErrNotFound, id)
	}
	if err != nil {
		return plugin.ChangeRequest{}, fmt.Errorf("local: get change request %q: %w", id, err)
	}
	return cr, nil
}

// ListChangeRequests implements plugin.BackOffice: the customer's pending requests, oldest first.
func (s *Store) ListChangeRequests(ctx context.Context, customerID string) ([]plugin.ChangeRequest, error) {
	return s.changes(ctx, `SELECT `+changeColumns+` FROM change_requests
		WHERE customer_id = ? AND status = 'pending' ORDER BY seq`, customerID)
}

func (s *Store) changes(ctx context.Context, query string, args ...any) ([]plugin.ChangeRequest, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("local: list change requests: %w", err)
	}
	defer rows.Close()
	out := []plugin.ChangeRequest{}
	for rows.Next() {
		cr, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("local: list change requests: %w", err)
		}
		out = append(out, cr)
	}
	return out, rows.Err()
}

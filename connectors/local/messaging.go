package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// e164 is an international phone number as SMS gateways take it.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// SendSMS implements plugin.Messaging by putting the message in the outbox, where a person (or
// `frontdesk local outbox`) can read it; nothing is sent anywhere. A message whose key was seen
// before is not queued again.
func (s *Store) SendSMS(ctx context.Context, req plugin.SMS) (plugin.SMSReceipt, error) {
	if !e164.MatchString(req.To) {
		return plugin.SMSReceipt{}, fmt.Errorf("%w: %q is no E.164 phone number", plugin.ErrInvalidArgument, req.To)
	}
	if req.Body == "" {
		return plugin.SMSReceipt{}, fmt.Errorf("%w: an SMS needs a body", plugin.ErrInvalidArgument)
	}
	var seq int64
	var status string
	err := s.db.QueryRowContext(ctx, `INSERT INTO outbox (recipient, body, idempotency_key, created)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq, status`,
		req.To, req.Body, nullable(req.IdempotencyKey), s.nowMillis()).Scan(&seq, &status)
	if errors.Is(err, sql.ErrNoRows) { // the key was seen before: answer as the first time
		err = s.db.QueryRowContext(ctx, `SELECT seq, status FROM outbox WHERE idempotency_key = ?`,
			req.IdempotencyKey).Scan(&seq, &status)
	}
	if err != nil {
		return plugin.SMSReceipt{}, fmt.Errorf("local: queue SMS: %w", err)
	}
	return plugin.SMSReceipt{ID: formatID(smsPrefix, seq), Status: status}, nil
}

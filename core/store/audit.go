package store

import (
	"context"
	"time"
)

// AuditEntry is one change or decision worth keeping: who did what to which thing, and when.
type AuditEntry struct {
	// ID is assigned by the store, growing with every entry.
	ID int64
	// At defaults to the time of Append when zero.
	At time.Time
	// Actor is who acted: a user, an API key's owner, or "frontdesk" for automated steps.
	Actor string
	// Action is what was done, such as "policy.set_state".
	Action string
	// Subject is what it was done to, such as "change-address@3".
	Subject string
	// Details is free text, usually JSON, with whatever else explains the entry.
	Details string
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Actor   string
	Action  string
	Subject string
	// Since and Until bound At: Since <= At < Until.
	Since time.Time
	Until time.Time
	// BeforeID pages backwards: only entries with a smaller ID.
	BeforeID int64
	// Limit caps the entries returned; zero means 100.
	Limit int
}

// Audit is the append-only audit log.
type Audit interface {
	// AppendAudit stores the entry and returns its ID.
	AppendAudit(ctx context.Context, e AuditEntry) (int64, error)
	// ListAudit returns matching entries, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

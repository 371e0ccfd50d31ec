// Package store keeps frontdesk's durable state: policies and their versions, policy test
// cases, the audit log, run records for analytics, channel cursors, processed ids for
// idempotency and API keys. A Store is made of one small interface per kind of record; the
// embedded backend is a SQLite file (OpenSQLite) and the shared one PostgreSQL (OpenPostgres).
// Both run the same numbered migrations and pass the conformance suite in package storetest.
package store

import (
	"context"
	"time"
)

// Store is every kind of durable record frontdesk keeps. Its methods are safe for concurrent
// use, also by many processes sharing one database.
type Store interface {
	Policies
	TestCases
	Audit
	Runs
	Cursors
	Processed
	APIKeys
	PolicyInfos
	Experiments
	RunPaths
	// Close releases the database handle.
	Close() error
}

// Migrator is implemented by stores built on numbered schema migrations.
type Migrator interface {
	// SchemaVersion returns the number of the last migration applied.
	SchemaVersion(ctx context.Context) (int, error)
}

// Cursors keep a channel's position between polls, such as a mailbox's UIDVALIDITY and last
// UID, under a key the channel chooses ("email/support@example.com").
type Cursors interface {
	// Cursor returns the value stored under key, or ErrNotFound.
	Cursor(ctx context.Context, key string) (string, error)
	// SetCursor stores value under key, replacing what was there.
	SetCursor(ctx context.Context, key, value string) error
	// SetCursorFenced stores value under key only if token is at least the largest token a
	// fenced write of key has carried, and gives ErrFenced otherwise. A poller passes the
	// fencing token of the session.Lease it polls under, so that a poller that lost its
	// lease while stalled cannot overwrite the cursor of the one that took over.
	SetCursorFenced(ctx context.Context, key, value string, token uint64) error
}

// Processed remembers the ids of work already done, so that a redelivered message or a
// retried call is recognized.
type Processed interface {
	// MarkProcessed records key and reports whether this call was the first to do so. Of many
	// concurrent calls with one key, across processes too, exactly one sees first == true.
	MarkProcessed(ctx context.Context, key string) (first bool, err error)
	// ForgetProcessed removes the keys recorded before t and returns how many went; ids older
	// than any possible redelivery need not be kept.
	ForgetProcessed(ctx context.Context, before time.Time) (int64, error)
}

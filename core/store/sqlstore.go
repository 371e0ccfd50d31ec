package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"
)

// dialect is what differs between the SQL databases a SQLStore runs on. Queries are written
// once with ? placeholders; rebind turns them into the database's own.
type dialect struct {
	name string
	// migrations holds the numbered NNNN_name.sql files of this dialect.
	migrations fs.FS
	// rebind rewrites ? placeholders; nil keeps them.
	rebind func(string) string
	// forUpdate is appended to a SELECT that must lock the rows it reads; SQLite locks the
	// whole database for a write transaction instead and has no such clause.
	forUpdate string
	// lockMigrations runs first in every migration transaction, so that instances starting
	// together apply each migration once; "" when the transaction itself is exclusive.
	lockMigrations string
	// isUniqueViolation reports whether err is a unique or primary-key violation.
	isUniqueViolation func(error) bool
}

// SQLStore is the Store on a SQL database: SQLite (OpenSQLite) or PostgreSQL (OpenPostgres).
type SQLStore struct {
	db     *sql.DB
	d      dialect
	closed atomic.Bool
	// rebound caches queries rewritten for the dialect, keyed by their ? form.
	rebound sync.Map
}

func newSQLStore(ctx context.Context, db *sql.DB, d dialect) (*SQLStore, error) {
	s := &SQLStore{db: db, d: d}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// DB returns the underlying database handle, for tools and tests that need plain SQL.
func (s *SQLStore) DB() *sql.DB { return s.db }

// Close closes the database handle. Closing twice is not an error.
func (s *SQLStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.db.Close()
}

// q returns the query in the dialect's placeholder syntax.
func (s *SQLStore) q(query string) string {
	if s.d.rebind == nil {
		return query
	}
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	r := s.d.rebind(query)
	s.rebound.Store(query, r)
	return r
}

// check fails fast on a closed store or a cancelled context, so every backend answers both
// the same way.
func (s *SQLStore) check(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *SQLStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return s.wrap(tx.Commit())
}

// wrap names the backend in database errors and maps a closed database to ErrClosed.
func (s *SQLStore) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrConnDone) || s.closed.Load():
		return ErrClosed
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, ErrNotFound) || errors.Is(err, ErrImmutable) || errors.Is(err, ErrTransition) ||
		errors.Is(err, ErrExists) || errors.Is(err, ErrInvalid) || errors.Is(err, ErrFenced):
		return err
	}
	return fmt.Errorf("store (%s): %w", s.d.name, err)
}

// micros converts a time to the BIGINT microseconds the schema keeps.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts stored microseconds back to a UTC time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// now is the current time at the schema's precision, so values read back compare equal.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

var _ Store = (*SQLStore)(nil)
var _ Migrator = (*SQLStore)(nil)

// Package local is a complete development stack on one SQLite file: a CRM (cases with notes and
// assignments), a back office (customers seeded with demo data, change requests) and an SMS
// outbox. It serves as a plugin through cmd/frontdesk-local and is what `make run` uses; tests of
// other packages can use it in-process as a plugin.CRM, plugin.BackOffice and plugin.Messaging.
package local

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Where the stack's file is when nobody says otherwise: the plugin and `frontdesk local` take
// the environment variable EnvDB, else DefaultDB, so both find the same file.
const (
	EnvDB     = "FRONTDESK_LOCAL_DB"
	DefaultDB = "build/local.db"
)

// DBPath returns the path in the environment variable EnvDB, else DefaultDB.
func DBPath() string {
	if p := os.Getenv(EnvDB); p != "" {
		return p
	}
	return DefaultDB
}

//go:embed schema.sql
var schema string

// Store is the local stack on one SQLite file. It is safe for concurrent use, also by several
// processes on the same file (the plugin and `frontdesk local`).
type Store struct {
	db *sql.DB
	// The lookups on the hot path, prepared once: parsing the SQL would cost as much as
	// running it.
	caseBySeqStmt, customerStmt *sql.Stmt
	// now is the clock, replaceable in tests.
	now func() time.Time
}

// Open opens or creates the SQLite file at path, creates the tables when missing and seeds the
// demo customers when there are none. ":memory:" gives a private in-memory stack.
func Open(path string) (*Store, error) {
	params := url.Values{}
	params.Add("_pragma", "busy_timeout(5000)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("local: open %s: %w", path, err)
	}
	// One connection serializes writers, so no call ever sees SQLITE_BUSY from this process;
	// statements take microseconds, so it costs little.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, now: time.Now}
	if err := s.init(context.Background()); err != nil {
		db.Close() // closes the statements prepared so far
		return nil, fmt.Errorf("local: %s: %w", path, err)
	}
	return s, nil
}

// Close closes the file.
func (s *Store) Close() error {
	return errors.Join(s.caseBySeqStmt.Close(), s.customerStmt.Close(), s.db.Close())
}

func (s *Store) init(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	var err error
	if s.caseBySeqStmt, err = s.db.PrepareContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE seq = ?`); err != nil {
		return err
	}
	if s.customerStmt, err = s.db.PrepareContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`); err != nil {
		return err
	}
	if err := s.seed(ctx); err != nil {
		return err
	}
	return s.seedRides(ctx)
}

// keyLookup returns the context for one of the prepared lookups by key: ctx's values without its
// end, once ctx is checked. Given a context that can end, database/sql and the driver each start
// a goroutine per query to watch it, which costs more than the lookup itself (BenchmarkGetCase
// with a call's deadline: 9 µs instead of 16 µs). A lookup by key takes microseconds and waits
// for the one connection no longer than a write holds it; the host bounds the call anyway.
func keyLookup(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// Ids are a prefix and the row's sequence number, so they read well in a demo and need no
// column of their own.
const (
	casePrefix   = "CASE-"
	changePrefix = "CR-"
	smsPrefix    = "SMS-"
)

func formatID(prefix string, seq int64) string { return fmt.Sprintf("%s%06d", prefix, seq) }

// parseID returns the sequence number in id, or ErrNotFound naming what was looked for.
func parseID(prefix, what, id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, prefix), 10, 64)
	if !strings.HasPrefix(id, prefix) || err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: %s %q", plugin.ErrNotFound, what, id)
	}
	return n, nil
}

// nullable stores an empty idempotency key as NULL, which the unique indexes ignore.
func nullable(key string) any {
	if key == "" {
		return nil
	}
	return key
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

var (
	_ plugin.CRM        = (*Store)(nil)
	_ plugin.BackOffice = (*Store)(nil)
	_ plugin.Messaging  = (*Store)(nil)
)

package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migration is one numbered schema change, from a file named NNNN_what.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the dialect's migrations and checks they are numbered 1, 2, 3... with
// no gap, so that a missing file fails loudly instead of leaving a schema half-built.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("store: reading migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_what.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations not yet applied, each in its own transaction together with
// its row in schema_migrations, so a failed migration leaves the schema as it was.
func (s *SQLStore) migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.d.migrations)
	if err != nil {
		return err
	}
	// Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
	// concurrent one.
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return s.wrap(fmt.Errorf("creating schema_migrations: %w", err))
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("store (%s): database schema is at version %d, newer than this frontdesk knows (%d)", s.d.name, current, len(ms))
	}
	for _, m := range ms[current:] {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if err := s.lockMigrations(ctx, tx); err != nil {
				return err
			}
			// Another instance may have applied it while this one waited for the lock.
			var done int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, micros(now()))
			return err
		})
		if err != nil {
			return s.wrap(fmt.Errorf("migration %s: %w", m.name, err))
		}
	}
	return nil
}

// SchemaVersion returns the number of the last migration applied.
func (s *SQLStore) SchemaVersion(ctx context.Context) (int, error) {
	if err := s.check(ctx); err != nil {
		return 0, err
	}
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, s.wrap(err)
	}
	return int(v.Int64), nil
}

// lockMigrations takes the dialect's migration lock for the rest of the transaction.
func (s *SQLStore) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	if s.d.lockMigrations == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.d.lockMigrations)
	return err
}

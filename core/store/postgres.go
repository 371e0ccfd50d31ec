package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// PostgresMaxConns is how many connections one instance opens to PostgreSQL at most.
const PostgresMaxConns = 16

// postgresMigrationLock is the advisory-lock key under which instances apply migrations.
const postgresMigrationLock = 0x66726f6e74 // "front"

// OpenPostgres connects to the PostgreSQL database at url (postgres://user@host:port/db?...,
// a search_path parameter selects a schema) and applies the migrations it lacks. Many
// instances may open one database at once; an advisory lock makes them migrate one at a time.
func OpenPostgres(ctx context.Context, url string) (*SQLStore, error) {
	if url == "" {
		return nil, fmt.Errorf("%w: empty PostgreSQL URL", ErrInvalid)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store (postgres): %w", err)
	}
	// Bounded, so that many instances stay under the server's max_connections (100 by
	// default); DB().SetMaxOpenConns changes it.
	db.SetMaxOpenConns(PostgresMaxConns)
	db.SetMaxIdleConns(PostgresMaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store (postgres): connect: %w", err)
	}
	sub, _ := fs.Sub(migrationFiles, "migrations/postgres")
	return newSQLStore(ctx, db, dialect{
		name:              "postgres",
		migrations:        sub,
		rebind:            dollarPlaceholders,
		forUpdate:         " FOR UPDATE",
		lockMigrations:    "SELECT pg_advisory_xact_lock(" + strconv.Itoa(postgresMigrationLock) + ")",
		isUniqueViolation: postgresUniqueViolation,
	})
}

// dollarPlaceholders rewrites ? placeholders as $1, $2, ..., leaving quoted text alone.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func postgresUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

package store

import (
	"context"
	"strings"
)

// Open opens the store a configuration names: a postgres:// or postgresql:// URL opens
// PostgreSQL, anything else is the path of a SQLite file (a "sqlite:" prefix is allowed).
func Open(ctx context.Context, target string) (*SQLStore, error) {
	if strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://") {
		return OpenPostgres(ctx, target)
	}
	return OpenSQLite(ctx, strings.TrimPrefix(target, "sqlite:"))
}

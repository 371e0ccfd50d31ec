package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

func TestOpenChoosesBackend(t *testing.T) {
	ctx := context.Background()
	for _, target := range []string{filepath.Join(t.TempDir(), "a.db"), "sqlite:" + filepath.Join(t.TempDir(), "b.db")} {
		s, err := store.Open(ctx, target)
		if err != nil {
			t.Fatalf("Open(%q): %v", target, err)
		}
		var mode string
		if err := s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("Open(%q) is not the SQLite store: %q, %v", target, mode, err)
		}
		s.Close()
	}
	if _, err := store.Open(ctx, ""); err == nil {
		t.Error("Open of an empty target succeeded")
	}
}

func TestOpenPostgresURL(t *testing.T) {
	s, err := store.Open(context.Background(), testservers.URL(t, testservers.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v string
	if err := s.DB().QueryRow("SELECT version()").Scan(&v); err != nil {
		t.Fatalf("not PostgreSQL: %v", err)
	}
}

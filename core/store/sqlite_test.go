package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/core/store/storetest"
)

func openSQLite(t testing.TB) *store.SQLStore {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "frontdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSQLiteConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openSQLite(t) })
}

// TestSQLiteReopen checks that data survives a reopen and migrations are not applied twice.
func TestSQLiteReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "frontdesk.db")
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateVersion(ctx, "p", "body", "ana"); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.SchemaVersion(ctx)
	s.Close()
	s, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	v2, _ := s.SchemaVersion(ctx)
	if v1 != v2 || v1 < 1 {
		t.Fatalf("schema version %d, then %d after reopen", v1, v2)
	}
	if v, err := s.Version(ctx, "p", 1); err != nil || v.Body != "body" {
		t.Fatalf("after reopen: %+v, %v", v, err)
	}
	var mode string
	if err := s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestSQLiteRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "frontdesk.db")
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := store.OpenSQLite(ctx, path); err == nil {
		s.Close()
		t.Fatal("opened a database whose schema is newer than the code")
	}
}

// TestSQLiteTwoHandles writes through two handles on one file at once, as `frontdesk serve`
// and a `frontdesk policy` command do: writers queue on the busy timeout instead of failing,
// and MarkProcessed still has exactly one first caller per key.
func TestSQLiteTwoHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "frontdesk.db")
	a := openSQLiteAt(t, path)
	b := openSQLiteAt(t, path)
	const keys, each = 50, 4
	var firsts atomic.Int32
	var wg sync.WaitGroup
	for i := range each {
		for _, s := range []*store.SQLStore{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range keys {
					first, err := s.MarkProcessed(ctx, fmt.Sprintf("<%d@example.com>", k))
					if err != nil {
						t.Errorf("MarkProcessed: %v", err)
						return
					}
					if first {
						firsts.Add(1)
					}
				}
				if _, err := s.CreateVersion(ctx, "p", fmt.Sprint(i), "ana"); err != nil {
					t.Errorf("CreateVersion: %v", err)
				}
			}()
		}
	}
	wg.Wait()
	if firsts.Load() != keys {
		t.Fatalf("%d first callers for %d keys", firsts.Load(), keys)
	}
	if vs, err := a.Versions(ctx, "p"); err != nil || len(vs) != 2*each {
		t.Fatalf("%d versions (%v), want %d", len(vs), err, 2*each)
	}
}

func openSQLiteAt(t *testing.T, path string) *store.SQLStore {
	s, err := store.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/core/store/storetest"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// openPostgres opens a store in a schema of its own, dropped when the test ends, so tests
// share one server without seeing each other's rows.
func openPostgres(t testing.TB) *store.SQLStore {
	base := testservers.URL(t, testservers.PostgresEnv)
	schema := fmt.Sprintf("t_%x", rand.Uint64())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := store.OpenPostgres(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresConformance(t *testing.T) {
	testservers.URL(t, testservers.PostgresEnv) // skip or fail once, not in every subtest
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgres(t) })
}

// TestPostgresConcurrentMigrations opens one fresh schema from many goroutines at once, as
// instances starting together do: every open succeeds and each migration runs once.
func TestPostgresConcurrentMigrations(t *testing.T) {
	first := openPostgres(t)
	want, err := first.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := first.DB().QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if _, err := first.DB().Exec("DROP TABLE schema_migrations, policy_versions, policies, policy_tests, audit_log, run_nodes, runs, channel_cursors, processed_ids, api_keys, policy_info, experiments"); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(testservers.URL(t, testservers.PostgresEnv))
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.OpenPostgres(context.Background(), u.String())
			if err != nil {
				t.Errorf("concurrent open: %v", err)
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	var n int
	if err := first.DB().QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != want {
		t.Fatalf("schema_migrations has %d rows (%v), want %d", n, err, want)
	}
}

func BenchmarkPostgres(b *testing.B) {
	runStoreBenchmarks(b, openPostgres(b))
}

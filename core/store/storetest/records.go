package storetest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/store"
)

var testCaseTests = []test{{"PutListDelete", testTestCases}}

func testTestCases(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, tc := range []store.TestCase{
		{Policy: "p", Name: "happy", Body: "a"},
		{Policy: "p", Name: "blocked", Body: "b"},
		{Policy: "q", Name: "other", Body: "c"},
		{Policy: "p", Name: "happy", Body: "a2"},
	} {
		if err := s.PutTestCase(ctx, tc); err != nil {
			t.Fatal(err)
		}
	}
	got := must(s.TestCases(ctx, "p"))(t)
	if len(got) != 2 || got[0].Name != "blocked" || got[1].Name != "happy" || got[1].Body != "a2" || got[1].UpdatedAt.IsZero() {
		t.Fatalf("TestCases(p) = %+v", got)
	}
	if err := s.DeleteTestCase(ctx, "p", "happy"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTestCase(ctx, "p", "happy"); err != nil {
		t.Fatalf("deleting a missing case = %v", err)
	}
	if got := must(s.TestCases(ctx, "p"))(t); len(got) != 1 {
		t.Fatalf("after delete: %+v", got)
	}
	if err := s.PutTestCase(ctx, store.TestCase{Policy: "p"}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("a case with no name = %v, want ErrInvalid", err)
	}
}

var cursorTests = []test{{"GetSet", testCursors}, {"Fenced", testCursorsFenced}}

func testCursorsFenced(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.SetCursorFenced(ctx, "email/a", "uid=10", 3); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursorFenced(ctx, "email/a", "uid=11", 3); err != nil {
		t.Fatalf("the same holder writing again: %v", err)
	}
	if err := s.SetCursorFenced(ctx, "email/a", "uid=5", 2); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("a write with an older token = %v, want ErrFenced", err)
	}
	if err := s.SetCursorFenced(ctx, "email/a", "uid=12", 4); err != nil {
		t.Fatalf("a newer holder: %v", err)
	}
	if err := s.SetCursorFenced(ctx, "email/a", "uid=11", 3); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("the previous holder after a newer one wrote = %v, want ErrFenced", err)
	}
	if v := must(s.Cursor(ctx, "email/a"))(t); v != "uid=12" {
		t.Fatalf("Cursor = %q, want the newest holder's", v)
	}
	if err := s.SetCursorFenced(ctx, "email/b", "x", 1); err != nil {
		t.Fatalf("fences are per key: %v", err)
	}
}

func testCursors(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Cursor(ctx, "email/a"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing cursor = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"uidvalidity=7 uid=10", "uidvalidity=7 uid=12"} {
		if err := s.SetCursor(ctx, "email/a", v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetCursor(ctx, "email/b", "x"); err != nil {
		t.Fatal(err)
	}
	if v := must(s.Cursor(ctx, "email/a"))(t); v != "uidvalidity=7 uid=12" {
		t.Fatalf("Cursor = %q", v)
	}
	if err := s.SetCursor(ctx, "", "x"); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("empty cursor key = %v, want ErrInvalid", err)
	}
}

var processedTests = []test{
	{"FirstOnce", testMarkProcessed},
	{"ConcurrentFirst", testMarkProcessedConcurrent},
	{"Forget", testForgetProcessed},
}

func testMarkProcessed(t *testing.T, s store.Store) {
	ctx := context.Background()
	if first := must(s.MarkProcessed(ctx, "<m1@example.com>"))(t); !first {
		t.Fatal("first MarkProcessed reported false")
	}
	if first := must(s.MarkProcessed(ctx, "<m1@example.com>"))(t); first {
		t.Fatal("second MarkProcessed reported true")
	}
	if first := must(s.MarkProcessed(ctx, "<m2@example.com>"))(t); !first {
		t.Fatal("another key reported false")
	}
	if _, err := s.MarkProcessed(ctx, ""); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("empty key = %v, want ErrInvalid", err)
	}
}

func testMarkProcessedConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const callers = 16
	for _, key := range []string{"k1", "k2", "k3"} {
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				first, err := s.MarkProcessed(ctx, key)
				if err != nil {
					t.Errorf("MarkProcessed: %v", err)
				}
				if first {
					firsts.Add(1)
				}
			}()
		}
		wg.Wait()
		if firsts.Load() != 1 {
			t.Fatalf("key %s: %d callers were first, want 1", key, firsts.Load())
		}
	}
}

func testForgetProcessed(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(s.MarkProcessed(ctx, "old"))(t)
	time.Sleep(5 * time.Millisecond)
	cut := time.Now()
	time.Sleep(5 * time.Millisecond)
	must(s.MarkProcessed(ctx, "new"))(t)
	if n := must(s.ForgetProcessed(ctx, cut))(t); n != 1 {
		t.Fatalf("ForgetProcessed removed %d, want 1", n)
	}
	if first := must(s.MarkProcessed(ctx, "old"))(t); !first {
		t.Fatal("a forgotten key is still known")
	}
	if first := must(s.MarkProcessed(ctx, "new"))(t); first {
		t.Fatal("a kept key was forgotten")
	}
}

var apiKeyTests = []test{
	{"CreateAuthenticateRevoke", testAPIKeys},
	{"StoredHashed", testAPIKeysHashed},
}

const secret1 = "fdk_live_0123456789abcdefghijklmnop"
const secret2 = "fdk_live_qrstuvwxyz9876543210ABCDEF"

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.CreateAPIKey(ctx, store.APIKey{ID: "k1", Owner: "ops@example.com", Role: "admin"}, secret1); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAPIKey(ctx, store.APIKey{ID: "k2", Owner: "app", Role: "author"}, secret2); err != nil {
		t.Fatal(err)
	}
	k := must(s.AuthenticateAPIKey(ctx, secret1))(t)
	if k.ID != "k1" || k.Owner != "ops@example.com" || k.Role != "admin" || k.CreatedAt.IsZero() || k.RevokedAt != nil {
		t.Fatalf("AuthenticateAPIKey = %+v", k)
	}
	if _, err := s.AuthenticateAPIKey(ctx, secret1+"x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("wrong secret = %v, want ErrNotFound", err)
	}
	if err := s.CreateAPIKey(ctx, store.APIKey{ID: "k1", Role: "admin"}, "fdk_live_another_secret_long_enough"); !errors.Is(err, store.ErrExists) {
		t.Fatalf("duplicate id = %v, want ErrExists", err)
	}
	if err := s.CreateAPIKey(ctx, store.APIKey{ID: "k3", Role: "admin"}, "short"); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("short secret = %v, want ErrInvalid", err)
	}
	if err := s.RevokeAPIKey(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateAPIKey(ctx, secret1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked key authenticated: %v", err)
	}
	if err := s.RevokeAPIKey(ctx, "k1"); err != nil {
		t.Fatalf("revoking twice = %v", err)
	}
	if err := s.RevokeAPIKey(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking a missing key = %v, want ErrNotFound", err)
	}
	keys := must(s.ListAPIKeys(ctx))(t)
	if len(keys) != 2 || keys[0].ID != "k1" || keys[0].RevokedAt == nil || keys[1].RevokedAt != nil {
		t.Fatalf("ListAPIKeys = %+v", keys)
	}
}

// testAPIKeysHashed looks into the database of backends that expose it and checks that no
// secret is stored as it was given.
func testAPIKeysHashed(t *testing.T, s store.Store) {
	withDB, ok := s.(interface{ DB() *sql.DB })
	if !ok {
		t.Skip("backend does not expose its database")
	}
	ctx := context.Background()
	if err := s.CreateAPIKey(ctx, store.APIKey{ID: "k1", Role: "admin"}, secret1); err != nil {
		t.Fatal(err)
	}
	var hash []byte
	if err := withDB.DB().QueryRowContext(ctx, "SELECT hash FROM api_keys WHERE id = 'k1'").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(hash), secret1) || len(hash) != 32 {
		t.Fatalf("stored key is not a SHA-256 hash: %q", hash)
	}
}

var lifecycleTests = []test{
	{"Migrated", testMigrated},
	{"ContextCancelled", testStoreContextCancelled},
	{"Closed", testStoreClosed},
}

func testMigrated(t *testing.T, s store.Store) {
	m, ok := s.(store.Migrator)
	if !ok {
		t.Skip("backend has no migrations")
	}
	if v := must(m.SchemaVersion(context.Background()))(t); v < 1 {
		t.Fatalf("SchemaVersion = %d, want >= 1", v)
	}
}

func testStoreContextCancelled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.CreateVersion(ctx, "p", "x", "ana"); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateVersion = %v", err)
	}
	if _, err := s.MarkProcessed(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("MarkProcessed = %v", err)
	}
	if _, err := s.ListAudit(ctx, store.AuditFilter{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ListAudit = %v", err)
	}
	if err := s.RecordRun(ctx, store.Run{ID: "r", Policy: "p"}); !errors.Is(err, context.Canceled) {
		t.Errorf("RecordRun = %v", err)
	}
	if first := must(s.MarkProcessed(context.Background(), "k"))(t); !first {
		t.Error("a cancelled MarkProcessed recorded its key")
	}
}

func testStoreClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateVersion(ctx, "p", "x", "ana"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("CreateVersion after Close = %v", err)
	}
	if _, err := s.Cursor(ctx, "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Cursor after Close = %v", err)
	}
	if _, err := s.MarkProcessed(ctx, "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("MarkProcessed after Close = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

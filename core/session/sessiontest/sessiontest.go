// Package sessiontest is the conformance suite every session.Store backend passes, so that the
// embedded store and the shared ones behave the same to the router.
package sessiontest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// Open returns a new, empty store for one test. The suite closes it when the test ends;
// backends that share a server isolate tests by key prefix.
type Open func(t *testing.T) session.Store

// Run runs the conformance suite against the backend that open creates.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s session.Store)
	}{
		{"GetMissing", testGetMissing},
		{"PutGet", testPutGet},
		{"ValuesAreCopied", testValuesAreCopied},
		{"EmptyAndBinaryValues", testEmptyAndBinaryValues},
		{"TTLExpiry", testTTLExpiry},
		{"ZeroTTLKeeps", testZeroTTLKeeps},
		{"CompareAndSet", testCompareAndSet},
		{"CompareAndSetAfterExpiry", testCompareAndSetAfterExpiry},
		{"CompareAndSetTTL", testCompareAndSetTTL},
		{"Delete", testDelete},
		{"InvalidArguments", testInvalidArguments},
		{"KeysAreIndependent", testKeysAreIndependent},
		{"ConcurrentCASOneWinner", testConcurrentCASOneWinner},
		{"ConcurrentCounter", testConcurrentCounter},
		{"ContextCancelled", testContextCancelled},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { _ = s.Close() })
			tc.fn(t, s)
		})
	}
}

func testGetMissing(t *testing.T, s session.Store) {
	_, _, err := s.Get(context.Background(), "missing")
	if !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Get(missing) = %v, want ErrNotFound", err)
	}
}

func testPutGet(t *testing.T, s session.Store) {
	mustPut(t, s, "k", "one", 0)
	expect(t, s, "k", "one", 1)
	mustPut(t, s, "k", "two", time.Minute)
	expect(t, s, "k", "two", 2)
}

func testValuesAreCopied(t *testing.T, s session.Store) {
	ctx := context.Background()
	in := []byte("abc")
	if err := s.Put(ctx, "k", in, 0); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X'
	out, _, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "abc" {
		t.Fatalf("stored value changed with the caller's slice: %q", out)
	}
	out[0] = 'Y'
	expect(t, s, "k", "abc", 1)
}

func testEmptyAndBinaryValues(t *testing.T, s session.Store) {
	ctx := context.Background()
	mustPut(t, s, "empty", "", 0)
	expect(t, s, "empty", "", 1)
	bin := []byte{0, 1, 2, 0xff, 0, '\n', 0x80}
	if err := s.Put(ctx, "bin", bin, 0); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Get(ctx, "bin")
	if err != nil || !bytes.Equal(got, bin) {
		t.Fatalf("Get(bin) = %v, %v; want %v", got, err, bin)
	}
}

func testTTLExpiry(t *testing.T, s session.Store) {
	mustPut(t, s, "k", "v", 150*time.Millisecond)
	expect(t, s, "k", "v", 1)
	waitGone(t, s, "k", 2*time.Second)
}

func testZeroTTLKeeps(t *testing.T, s session.Store) {
	mustPut(t, s, "k", "v", 100*time.Millisecond)
	// A later write with no ttl removes the expiry.
	mustPut(t, s, "k", "w", 0)
	time.Sleep(300 * time.Millisecond)
	expect(t, s, "k", "w", 2)
}

func testCompareAndSet(t *testing.T, s session.Store) {
	ctx := context.Background()
	v, err := s.CompareAndSet(ctx, "k", []byte("a"), 0, 0)
	if err != nil || v != 1 {
		t.Fatalf("create-only CAS = %d, %v; want 1, nil", v, err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("b"), 0, 0); !errors.Is(err, session.ErrConflict) {
		t.Fatalf("CAS version 0 on an existing key = %v, want ErrConflict", err)
	}
	v, err = s.CompareAndSet(ctx, "k", []byte("b"), 1, 0)
	if err != nil || v != 2 {
		t.Fatalf("CAS(1) = %d, %v; want 2, nil", v, err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("c"), 1, 0); !errors.Is(err, session.ErrConflict) {
		t.Fatalf("CAS with a stale version = %v, want ErrConflict", err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("c"), 7, 0); !errors.Is(err, session.ErrConflict) {
		t.Fatalf("CAS with a future version = %v, want ErrConflict", err)
	}
	expect(t, s, "k", "b", 2)
	if _, err := s.CompareAndSet(ctx, "other", []byte("x"), 3, 0); !errors.Is(err, session.ErrConflict) {
		t.Fatalf("CAS(3) on a missing key = %v, want ErrConflict", err)
	}
	mustPut(t, s, "k", "p", 0)
	expect(t, s, "k", "p", 3)
}

func testCompareAndSetAfterExpiry(t *testing.T, s session.Store) {
	ctx := context.Background()
	mustPut(t, s, "k", "old", 0)
	mustPut(t, s, "k", "old", 100*time.Millisecond)
	waitGone(t, s, "k", 2*time.Second)
	if _, err := s.CompareAndSet(ctx, "k", []byte("stale"), 2, 0); !errors.Is(err, session.ErrConflict) {
		t.Fatalf("CAS with the version of an expired key = %v, want ErrConflict", err)
	}
	v, err := s.CompareAndSet(ctx, "k", []byte("new"), 0, 0)
	if err != nil || v != 1 {
		t.Fatalf("create-only CAS after expiry = %d, %v; want 1, nil", v, err)
	}
}

func testCompareAndSetTTL(t *testing.T, s session.Store) {
	ctx := context.Background()
	if _, err := s.CompareAndSet(ctx, "k", []byte("a"), 0, 150*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	expect(t, s, "k", "a", 1)
	waitGone(t, s, "k", 2*time.Second)
}

func testDelete(t *testing.T, s session.Store) {
	ctx := context.Background()
	mustPut(t, s, "k", "v", 0)
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, "k"); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete of a missing key = %v, want nil", err)
	}
	v, err := s.CompareAndSet(ctx, "k", []byte("again"), 0, 0)
	if err != nil || v != 1 {
		t.Fatalf("create-only CAS after Delete = %d, %v; want 1, nil", v, err)
	}
}

func testInvalidArguments(t *testing.T, s session.Store) {
	ctx := context.Background()
	if err := s.Put(ctx, "", []byte("v"), 0); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("Put with an empty key = %v, want ErrInvalid", err)
	}
	if err := s.Put(ctx, "k", []byte("v"), -time.Second); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("Put with a negative ttl = %v, want ErrInvalid", err)
	}
	if _, err := s.CompareAndSet(ctx, "", []byte("v"), 0, 0); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("CompareAndSet with an empty key = %v, want ErrInvalid", err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("v"), 0, -time.Second); !errors.Is(err, session.ErrInvalid) {
		t.Errorf("CompareAndSet with a negative ttl = %v, want ErrInvalid", err)
	}
	if _, _, err := s.Get(ctx, "k"); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("a rejected write stored something: Get = %v", err)
	}
}

func testKeysAreIndependent(t *testing.T, s session.Store) {
	mustPut(t, s, "a", "1", 0)
	mustPut(t, s, "a", "2", 0)
	mustPut(t, s, "b", "x", 0)
	expect(t, s, "a", "2", 2)
	expect(t, s, "b", "x", 1)
	// Keys that look like prefixes or carry separators are still separate keys.
	mustPut(t, s, "a:b", "y", 0)
	mustPut(t, s, "conv/é 1", "z", 0)
	expect(t, s, "a:b", "y", 1)
	expect(t, s, "conv/é 1", "z", 1)
}

func testConcurrentCASOneWinner(t *testing.T, s session.Store) {
	ctx := context.Background()
	mustPut(t, s, "k", "start", 0)
	const writers = 32
	for version := uint64(1); version <= 3; version++ {
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.CompareAndSet(ctx, "k", fmt.Appendf(nil, "w%d", i), version, 0)
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, session.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("CAS: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || conflicts.Load() != writers-1 {
			t.Fatalf("version %d: %d winners and %d conflicts, want 1 and %d", version, wins.Load(), conflicts.Load(), writers-1)
		}
		if _, v, err := s.Get(ctx, "k"); err != nil || v != version+1 {
			t.Fatalf("after the race at version %d: Get = version %d, %v", version, v, err)
		}
	}
}

// testConcurrentCounter increments a counter from many goroutines with read-modify-CAS loops;
// no increment may be lost and every successful write adds exactly one version.
func testConcurrentCounter(t *testing.T, s session.Store) {
	ctx := context.Background()
	const workers, each = 8, 25
	if _, err := s.CompareAndSet(ctx, "n", []byte("0"), 0, 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					b, v, err := s.Get(ctx, "n")
					if err != nil {
						t.Errorf("Get: %v", err)
						return
					}
					var n int
					fmt.Sscan(string(b), &n)
					_, err = s.CompareAndSet(ctx, "n", fmt.Append(nil, n+1), v, 0)
					if err == nil {
						break
					}
					if !errors.Is(err, session.ErrConflict) {
						t.Errorf("CAS: %v", err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	expect(t, s, "n", fmt.Sprint(workers*each), workers*each+1)
}

func testContextCancelled(t *testing.T, s session.Store) {
	mustPut(t, s, "k", "v", 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Get(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context = %v", err)
	}
	if err := s.Put(ctx, "k", []byte("w"), 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context = %v", err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("w"), 1, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("CompareAndSet with a cancelled context = %v", err)
	}
	if err := s.Delete(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context = %v", err)
	}
	expect(t, s, "k", "v", 1)
}

func testClosed(t *testing.T, s session.Store) {
	ctx := context.Background()
	mustPut(t, s, "k", "v", 0)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, _, err := s.Get(ctx, "k"); !errors.Is(err, session.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
	if err := s.Put(ctx, "k", []byte("w"), 0); !errors.Is(err, session.ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	if _, err := s.CompareAndSet(ctx, "k", []byte("w"), 1, 0); !errors.Is(err, session.ErrClosed) {
		t.Errorf("CompareAndSet after Close = %v, want ErrClosed", err)
	}
	if err := s.Delete(ctx, "k"); !errors.Is(err, session.ErrClosed) {
		t.Errorf("Delete after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}

func mustPut(t *testing.T, s session.Store, key, value string, ttl time.Duration) {
	t.Helper()
	if err := s.Put(context.Background(), key, []byte(value), ttl); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func expect(t *testing.T, s session.Store, key, value string, version uint64) {
	t.Helper()
	got, v, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if string(got) != value || v != version {
		t.Fatalf("Get(%q) = %q version %d, want %q version %d", key, got, v, value, version)
	}
}

// waitGone polls until the key reads as missing; expiry is checked against a deadline rather
// than one sleep so that slow machines do not fail the suite.
func waitGone(t *testing.T, s session.Store, key string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, _, err := s.Get(context.Background(), key)
		if errors.Is(err, session.ErrNotFound) {
			return
		}
		if err != nil {
			t.Fatalf("Get(%q): %v", key, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("key %q still present %s after its ttl", key, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

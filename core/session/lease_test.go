package session_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

func TestLeaseMemory(t *testing.T) {
	testLease(t, func(t *testing.T) session.Store {
		m := session.NewMemoryWithSweep(10 * time.Millisecond)
		t.Cleanup(func() { m.Close() })
		return m
	})
}

func TestLeaseRedis(t *testing.T) {
	c, prefix := redisClient(t)
	testLease(t, func(t *testing.T) session.Store { return session.NewRedis(c, prefix+t.Name()+":") })
}

func testLease(t *testing.T, open func(t *testing.T) session.Store) {
	t.Run("OneHolder", func(t *testing.T) {
		s := open(t)
		ctx := context.Background()
		var held atomic.Int32
		var wg sync.WaitGroup
		for _, holder := range []string{"a", "b", "c", "d", "e", "f"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := session.AcquireLease(ctx, s, "mailbox/support", holder, time.Minute)
				switch {
				case err == nil:
					held.Add(1)
				case !errors.Is(err, session.ErrLeaseHeld):
					t.Errorf("AcquireLease: %v", err)
				}
			}()
		}
		wg.Wait()
		if held.Load() != 1 {
			t.Fatalf("%d holders of one lease, want 1", held.Load())
		}
	})
	t.Run("TakeoverAfterCrashWithFencing", func(t *testing.T) {
		s := open(t)
		ctx := context.Background()
		const ttl = 200 * time.Millisecond
		a, err := session.AcquireLease(ctx, s, "mailbox/support", "a", ttl)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Renew(ctx); err != nil {
			t.Fatalf("Renew by the holder: %v", err)
		}
		if _, err := session.AcquireLease(ctx, s, "mailbox/support", "b", ttl); !errors.Is(err, session.ErrLeaseHeld) {
			t.Fatalf("second holder = %v, want ErrLeaseHeld", err)
		}
		// a crashes: it stops renewing. b gets the lease within the ttl.
		start := time.Now()
		var b *session.Lease
		for b == nil {
			if b, err = session.AcquireLease(ctx, s, "mailbox/support", "b", ttl); err != nil && !errors.Is(err, session.ErrLeaseHeld) {
				t.Fatal(err)
			}
			if time.Since(start) > 5*ttl {
				t.Fatal("the lease of a crashed holder was never taken over")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if b.Token() <= a.Token() {
			t.Fatalf("the new holder's token %d is not above the old one's %d", b.Token(), a.Token())
		}
		if err := a.Renew(ctx); !errors.Is(err, session.ErrLeaseLost) {
			t.Fatalf("Renew by the crashed holder = %v, want ErrLeaseLost", err)
		}
		if err := a.Release(ctx); err != nil {
			t.Fatalf("Release of a lost lease = %v", err)
		}
		if err := b.Renew(ctx); err != nil {
			t.Fatalf("the old holder's Release freed the new holder's lease: %v", err)
		}
	})
	t.Run("KeepAndRelease", func(t *testing.T) {
		s := open(t)
		const ttl = 150 * time.Millisecond
		a, err := session.AcquireLease(context.Background(), s, "m", "a", ttl)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		kept := make(chan error, 1)
		go func() { kept <- a.Keep(ctx) }()
		time.Sleep(3 * ttl) // well past the ttl: only renewals keep it
		if _, err := session.AcquireLease(context.Background(), s, "m", "b", ttl); !errors.Is(err, session.ErrLeaseHeld) {
			t.Fatalf("a kept lease was taken: %v", err)
		}
		cancel()
		if err := <-kept; err != nil {
			t.Fatalf("Keep = %v", err)
		}
		time.Sleep(20 * time.Millisecond) // the release's 1ms ttl runs out
		if _, err := session.AcquireLease(context.Background(), s, "m", "b", ttl); err != nil {
			t.Fatalf("after release: %v", err)
		}
	})
	t.Run("KeepReportsLoss", func(t *testing.T) {
		s := open(t)
		a, err := session.AcquireLease(context.Background(), s, "m", "a", 150*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		// Someone removes the lease (an operator, or expiry during a long pause).
		if err := s.Delete(context.Background(), "lease/m"); err != nil {
			t.Fatal(err)
		}
		if err := a.Keep(context.Background()); !errors.Is(err, session.ErrLeaseLost) {
			t.Fatalf("Keep = %v, want ErrLeaseLost", err)
		}
	})
}

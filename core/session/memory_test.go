package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/session/sessiontest"
)

func TestMemoryConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return session.NewMemory() })
}

func TestMemorySweepsExpiredKeys(t *testing.T) {
	m := session.NewMemoryWithSweep(20 * time.Millisecond)
	defer m.Close()
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if err := m.Put(ctx, k, []byte("v"), 30*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Put(ctx, "kept", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for m.Len() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("expired keys never swept: %d keys held", m.Len())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMemoryNonPositiveSweep(t *testing.T) {
	m := session.NewMemoryWithSweep(0) // a zero interval would make the ticker panic
	defer m.Close()
	if err := m.Put(context.Background(), "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
}

package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// BenchmarkSQLite measures the embedded store's hot writes: the idempotency check every
// inbound message makes and the run record every finished run writes.
func BenchmarkSQLite(b *testing.B) {
	s := openSQLite(b)
	defer s.Close()
	runStoreBenchmarks(b, s)
}

func runStoreBenchmarks(b *testing.B, s store.Store) {
	ctx := context.Background()
	b.Run("MarkProcessed", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := s.MarkProcessed(ctx, "<"+strconv.Itoa(i)+"@bench.example>"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RecordRun", func(b *testing.B) {
		b.ReportAllocs()
		path := []string{"check", "confirm", "collect", "verify", "submit", "approval", "done"}
		for i := 0; b.Loop(); i++ {
			err := s.RecordRun(ctx, store.Run{ID: "run-" + strconv.Itoa(i), Policy: "change-address", Version: 3, Channel: "webchat",
				Path: path, Outcome: "submitted_for_approval", Latency: 12 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

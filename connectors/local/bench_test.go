package local

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// BenchmarkGetCase measures the SQLite lookup behind the plugin's GetCase, without any protocol,
// under a deadline as every call to the plugin has one.
func BenchmarkGetCase(b *testing.B) {
	s := open(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	c, err := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetCase(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddNote measures a write: one note with a fresh idempotency key.
func BenchmarkAddNote(b *testing.B) {
	s := open(b)
	ctx := context.Background()
	c, err := s.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := s.AddNote(ctx, plugin.Note{CaseID: c.ID, Body: "decision", IdempotencyKey: "k" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

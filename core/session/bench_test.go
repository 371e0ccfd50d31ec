package session_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// BenchmarkMemory measures the embedded store on a conversation-sized value.
func BenchmarkMemory(b *testing.B) {
	m := session.NewMemory()
	defer m.Close()
	runStoreBenchmarks(b, m)
}

func runStoreBenchmarks(b *testing.B, s session.Store) {
	ctx := context.Background()
	value := make([]byte, 512)
	const keys = 1024
	for i := range keys {
		if err := s.Put(ctx, "k"+strconv.Itoa(i), value, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, _, err := s.Get(ctx, "k"+strconv.Itoa(i%keys)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
	b.Run("Put", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if err := s.Put(ctx, "k"+strconv.Itoa(i%keys), value, 0); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
	b.Run("CAS", func(b *testing.B) {
		// One goroutine: every CAS reads the version it then writes, so none conflicts and
		// the figure is the cost of a successful read-modify-write.
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			key := "k" + strconv.Itoa(i%keys)
			_, v, err := s.Get(ctx, key)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.CompareAndSet(ctx, key, value, v, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

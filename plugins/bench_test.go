package plugins

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// BenchmarkPluginCall measures the round trip of a small CRM call (GetCase) from the host to the
// local plugin process over gRPC with mTLS, SQLite lookup included. It reports the median
// latency of single calls and the calls per second, one caller at a time and with
// GOMAXPROCS*4 callers at once.
func BenchmarkPluginCall(b *testing.B) {
	h, err := Start(context.Background(), []Config{localConfig(b, "crm")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	crm, _ := h.CRM("crm")
	ctx := context.Background()
	c, err := crm.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "bench", Subject: "benchmark"})
	if err != nil {
		b.Fatal(err)
	}

	b.Run("serial", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			t0 := time.Now()
			if _, err := crm.GetCase(ctx, c.ID); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		elapsed := time.Since(start)
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(4)
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := crm.GetCase(ctx, c.ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	})
}

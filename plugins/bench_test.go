package plugins

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// BenchmarkPluginCall measures the round trip of a small CRM call (GetCase) from the host to the
// local plugin process over gRPC with mTLS, SQLite lookup included. It reports the median
// latency of single calls and the calls per second, one caller at a time and with
// GOMAXPROCS*4 callers at once.
func BenchmarkPluginCall(b *testing.B) { benchmarkGetCase(b, localConfig(b, "crm")) }

// BenchmarkPluginCallInMemory measures the same call to the test plugin, which answers from a
// map: the protocol and the process boundary without the local plugin's SQLite.
func BenchmarkPluginCallInMemory(b *testing.B) { benchmarkGetCase(b, testConfig("crm", nil)) }

func benchmarkGetCase(b *testing.B, cfg Config) {
	h, err := Start(context.Background(), []Config{cfg}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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

	pid := h.byName["crm"].pid()
	b.Run("serial", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		hostCPU0, pluginCPU0 := cpuTime(b, 0), cpuTime(b, pid)
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
		// The fastest call shows the path's cost when nothing else competes for the cores.
		b.ReportMetric(float64(lat[0].Microseconds()), "min-us")
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
		// CPU time spent per call on each side, a second view beside latency, which on a busy
		// machine is mostly waiting to be scheduled.
		b.ReportMetric(float64((cpuTime(b, 0)-hostCPU0).Microseconds())/float64(b.N), "host-cpu-us/op")
		b.ReportMetric(float64((cpuTime(b, pid)-pluginCPU0).Microseconds())/float64(b.N), "plugin-cpu-us/op")
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

// cpuTime returns the user and system CPU time of a process so far (0: this one), from
// /proc/<pid>/stat, in clock ticks of 10ms.
func cpuTime(b *testing.B, pid int) time.Duration {
	path := "/proc/self/stat"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no CPU times: %v", err)
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// After the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	// utime stime, so utime and stime are fields 11 and 12 here.
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

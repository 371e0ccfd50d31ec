package queue_test

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/queue"
)

func BenchmarkMemory(b *testing.B) {
	runQueueBenchmarks(b, func(b *testing.B) queue.Queue { return queue.NewMemory(queue.Options{MaxLen: 1 << 30}) })
}

// runQueueBenchmarks measures Publish alone and end-to-end throughput: every op is one
// message published and handled (acked) by a subscriber.
func runQueueBenchmarks(b *testing.B, open func(b *testing.B) queue.Queue) {
	payload := make([]byte, 256)
	ctx := context.Background()
	b.Run("Publish", func(b *testing.B) {
		q := open(b)
		defer q.Close()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := q.Publish(ctx, "bench", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PublishConsume", func(b *testing.B) {
		q := open(b)
		defer q.Close()
		done := make(chan struct{}, 1024)
		if err := q.Subscribe(ctx, "bench", func(context.Context, queue.Message) error {
			done <- struct{}{}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		go func() {
			for range b.N {
				if _, err := q.Publish(ctx, "bench", payload); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		for range b.N {
			<-done
		}
	})
}

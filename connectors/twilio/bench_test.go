package twilio

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkSendSMS is one SendSMS with a fresh idempotency key against the fake Messages
// endpoint on loopback: validation, the form, the round trip, decoding and the sent log.
func BenchmarkSendSMS(b *testing.B) {
	f := newFakeTwilio(b)
	c := newClient(b, f.config())
	ctx := context.Background()
	m := sms
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		m.IdempotencyKey = "bench-" + strconv.Itoa(i)
		if _, err := c.SendSMS(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

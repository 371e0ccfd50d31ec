package email_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/email"
)

// BenchmarkEmailIngest measures mails per second from the IMAP server to a CRM case with its
// decision (the local stack's plugin as the CRM, over gRPC), half of them routed to a team,
// half answered with a link through the outbox. Run it with -benchtime=1000x.
func BenchmarkEmailIngest(b *testing.B) {
	r := newRig(b, rigOptions{processed: "Processed"})
	r.intake.RateLimit.Max = b.N + 1
	for i := range b.N {
		body := []string{"I lost my card on the train.", "We moved, please change my address."}[i%2]
		r.receive(mailText(fmt.Sprintf("b%d@example.com", i), "request", fmt.Sprintf("bench-%d@example.com", i), body))
	}
	var handled atomic.Int64
	p := r.poller(func(ctx context.Context, mb email.MailboxConfig, raw []byte) error {
		if _, err := r.intake.Handle(ctx, mb, raw); err != nil {
			return err
		}
		handled.Add(1)
		return nil
	})
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	r.run(p)
	for handled.Load() < int64(b.N) {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "mails/s")
}

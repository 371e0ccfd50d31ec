package queue_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/queue"
)

// A handler acks by returning nil and nacks by returning an error: the message comes back
// after the backoff, with its delivery count.
func ExampleHandler() {
	q := queue.NewMemory(queue.Options{Backoff: func(int) time.Duration { return time.Millisecond }})
	defer q.Close()
	done := make(chan struct{})
	_ = q.Subscribe(context.Background(), "intake", func(_ context.Context, m queue.Message) error {
		if m.Delivery == 1 {
			fmt.Println("delivery 1 of", string(m.Payload), "fails")
			return errors.New("CRM unavailable")
		}
		fmt.Println("delivery", m.Delivery, "of", string(m.Payload), "is acked")
		close(done)
		return nil
	})
	_, _ = q.Publish(context.Background(), "intake", []byte("mail-42"))
	<-done
	// Output:
	// delivery 1 of mail-42 fails
	// delivery 2 of mail-42 is acked
}

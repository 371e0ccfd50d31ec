package router

import (
	"context"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Timeout bounds the handling of one message; hydrations, actions and executors see the
// deadline through the context.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, msg message.Message) ([]message.Reply, error) {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, msg)
		}
	}
}

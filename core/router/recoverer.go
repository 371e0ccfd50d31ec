package router

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Recoverer turns a panic in a handler into an error, so one bad message cannot take the
// process down. The stack goes to the log, not to the customer.
func Recoverer(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, msg message.Message) (replies []message.Reply, err error) {
			defer func() {
				if p := recover(); p != nil {
					log.ErrorContext(ctx, "panic while handling a message", "conversation", msg.ConversationID,
						"channel", msg.Channel, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					replies, err = nil, fmt.Errorf("internal error handling the message")
				}
			}()
			return next(ctx, msg)
		}
	}
}

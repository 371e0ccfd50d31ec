package router

import (
	"context"
	"log/slog"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Logging logs each message by ids and outcome. Texts and contact details are logged only
// at debug level, so production logs carry no personal data.
func Logging(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, msg message.Message) ([]message.Reply, error) {
			start := time.Now()
			replies, err := next(ctx, msg)
			attrs := []any{"channel", msg.Channel, "conversation", msg.ConversationID, "message", msg.ID,
				"replies", len(replies), "took", time.Since(start)}
			if err != nil {
				log.WarnContext(ctx, "message failed", append(attrs, "err", err)...)
				return replies, err
			}
			log.InfoContext(ctx, "message handled", attrs...)
			log.DebugContext(ctx, "message content", "conversation", msg.ConversationID, "text", msg.Text, "contact", msg.Contact)
			return replies, nil
		}
	}
}

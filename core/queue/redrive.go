package queue

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Redrive moves up to limit dead letters of the topic, oldest first, back onto the topic as
// new messages (delivery counts start again), and returns how many it moved. Each move is one
// transaction, so a message is never on both streams nor on neither. Run it once the cause of
// the failures is fixed.
func (q *RedisStreams) Redrive(ctx context.Context, topic string, limit int) (int, error) {
	if err := CheckTopic(topic); err != nil {
		return 0, err
	}
	if limit <= 0 {
		return 0, fmt.Errorf("%w: redrive limit %d", ErrInvalid, limit)
	}
	if q.isClosed() {
		return 0, ErrClosed
	}
	dead, stream := q.key(DeadTopic(topic)), q.key(topic)
	entries, err := q.c.XRangeN(ctx, dead, "-", "+", int64(limit)).Result()
	if err != nil {
		return 0, q.wrap("redrive "+topic, err)
	}
	for i, e := range entries {
		_, err := q.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{payloadField, e.Values[payloadField]}})
			p.XDel(ctx, dead, e.ID)
			return nil
		})
		if err != nil {
			return i, q.wrap("redrive "+topic, err)
		}
	}
	return len(entries), nil
}

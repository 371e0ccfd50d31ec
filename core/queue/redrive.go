package queue

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Redrive moves up to limit dead letters of the topic, oldest first, back onto the topic as
// new messages (delivery counts start again), and returns how many it moved. Each move is one
// script, so a message is never on both streams nor on neither, nor moved twice. Run it once the cause of
// the failures is fixed.
func (q *RedisStreams) Redrive(ctx context.Context, topic string, limit int) (int, error) {
	if err := checkRedrive(ctx, topic, limit, q.isClosed()); err != nil {
		return 0, err
	}
	dead, stream := q.key(DeadTopic(topic)), q.key(topic)
	entries, err := q.c.XRangeN(ctx, dead, "-", "+", int64(limit)).Result()
	if err != nil {
		return 0, q.wrap("redrive "+topic, err)
	}
	moved := 0
	for _, e := range entries {
		n, err := redriveScript.Run(ctx, q.c, []string{dead, stream}, e.ID, e.Values[payloadField]).Int()
		if err != nil {
			return moved, q.wrap("redrive "+topic, err)
		}
		moved += n
	}
	return moved, nil
}

// checkRedrive makes the checks every backend's Redrive starts with.
func checkRedrive(ctx context.Context, topic string, limit int, closed bool) error {
	if limit <= 0 && CheckTopic(topic) == nil {
		return fmt.Errorf("%w: redrive limit %d", ErrInvalid, limit)
	}
	return checkCall(ctx, topic, closed)
}

// redriveScript moves one dead letter back only if this call removed it, so that two redrives
// running at once do not publish it twice.
var redriveScript = redis.NewScript(`
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
	return 0
end
redis.call('XADD', KEYS[2], '*', '` + payloadField + `', ARGV[2])
return 1
`)

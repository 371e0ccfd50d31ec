package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions tune the Redis Streams queue. Zero fields take the defaults named.
type RedisOptions struct {
	Options
	// Prefix is put before every stream key; default "frontdesk:queue:".
	Prefix string
	// Group is the consumer group every instance joins, so that instances compete for
	// entries; default "frontdesk".
	Group string
	// Consumer names this process in the group; default host-pid-random. Each Subscribe
	// adds a sequence number.
	Consumer string
	// ClaimIdle is how long an entry may stay pending and untouched before another consumer
	// takes it over: how long the work of a dead consumer waits. Live consumers touch the
	// entries they handle every ClaimIdle/3, so slow handlers keep theirs. Default 30s.
	ClaimIdle time.Duration
	// ClaimInterval is how often each subscription looks for entries to take over; default
	// ClaimIdle/4.
	ClaimInterval time.Duration
	// Block is how long one read waits for new entries, which bounds how long Close and a
	// cancelled Subscribe take to stop reading; default 1s.
	Block time.Duration
	// ConsumerExpiry is how long a consumer with nothing pending may stay silent before it
	// is removed from the group, so that restarts do not pile up dead consumer names. Live
	// consumers read every Block, so they never come near it. Default 1h.
	ConsumerExpiry time.Duration
	// Logger receives errors that no caller can receive (a failed ack); default slog.Default().
	Logger *slog.Logger
}

// minInterval is the shortest claim interval and touch period the options allow.
const minInterval = 10 * time.Millisecond

func (o RedisOptions) withDefaults() RedisOptions {
	o.Options = o.Options.WithDefaults()
	if o.Prefix == "" {
		o.Prefix = "frontdesk:queue:"
	}
	if o.Group == "" {
		o.Group = "frontdesk"
	}
	if o.Consumer == "" {
		host, _ := os.Hostname()
		o.Consumer = fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.IntN(1<<16))
	}
	if o.ClaimIdle <= 0 {
		o.ClaimIdle = 30 * time.Second
	}
	if o.ClaimInterval <= 0 {
		o.ClaimInterval = o.ClaimIdle / 4
	}
	// Reads block for at most ClaimInterval, and a zero BLOCK would wait forever.
	o.ClaimInterval = max(o.ClaimInterval, minInterval)
	o.ClaimIdle = max(o.ClaimIdle, 3*minInterval)
	if o.Block <= 0 {
		o.Block = time.Second
	}
	if o.ConsumerExpiry <= 0 {
		o.ConsumerExpiry = time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// RedisStreams is the Queue shared by many instances, on Redis Streams. A topic is a stream;
// every instance joins one consumer group, so each entry goes to one consumer. An entry stays
// in the group's pending list until its handler acks it; then it is acknowledged and deleted
// in one transaction, so the stream holds exactly the unacknowledged backlog and MaxLen bounds
// it without trimming accepted work. A nack is retried by the same consumer after the backoff
// (XCLAIM, which counts the delivery); entries of a consumer that died are taken over by
// another after ClaimIdle (XAUTOCLAIM); the last failed delivery moves the entry to the
// topic's dead-letter stream in the same transaction as its acknowledgement. Keys carry a
// hash tag ({topic}), so a topic and its dead-letter stream share a Cluster slot.
type RedisStreams struct {
	c redis.UniversalClient
	o RedisOptions

	subs atomic.Uint64

	mu      sync.Mutex
	closed  bool
	cancels []context.CancelFunc
	timers  map[*time.Timer]struct{}
	groups  map[string]bool

	loops    sync.WaitGroup // read, claim and touch loops
	handlers sync.WaitGroup // handlers in flight and retries waiting for their backoff
}

// NewRedisStreams returns a queue on client, which may be a single server, a Sentinel
// failover client or a Cluster client (see redis.NewUniversalClient). The caller owns the
// client: Close leaves it open.
func NewRedisStreams(client redis.UniversalClient, opts RedisOptions) *RedisStreams {
	return &RedisStreams{c: client, o: opts.withDefaults(), timers: make(map[*time.Timer]struct{}), groups: make(map[string]bool)}
}

// Field names of stream entries.
const payloadField = "p"

// key returns the stream key of a topic. The hash tag is the topic without its dead-letter
// suffixes, so that a topic and its dead letters live in one Cluster slot.
func (q *RedisStreams) key(topic string) string {
	root := topic
	for strings.HasSuffix(root, ".dead") && len(root) > len(".dead") {
		root = strings.TrimSuffix(root, ".dead")
	}
	return q.o.Prefix + "{" + root + "}" + topic[len(root):]
}

// publishScript appends an entry unless the stream already holds maxLen entries: refusing is
// better than trimming, which would drop accepted work.
var publishScript = redis.NewScript(`
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
	return false
end
return redis.call('XADD', KEYS[1], '*', 'p', ARGV[2])
`)

func (q *RedisStreams) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Publish appends payload to the topic's stream.
func (q *RedisStreams) Publish(ctx context.Context, topic string, payload []byte) (string, error) {
	if err := checkCall(ctx, topic, q.isClosed()); err != nil {
		return "", err
	}
	id, err := publishScript.Run(ctx, q.c, []string{q.key(topic)}, q.o.MaxLen, payload).Text()
	if errors.Is(err, redis.Nil) {
		return "", ErrFull
	}
	if err != nil {
		return "", q.wrap("publish to "+topic, err)
	}
	return id, nil
}

// Stats reports the topic's counts: Pending from the group's pending list, Backlog as the
// rest of the stream (acknowledged entries are deleted), Dead as the dead-letter stream's
// length.
func (q *RedisStreams) Stats(ctx context.Context, topic string) (Stats, error) {
	if err := checkCall(ctx, topic, q.isClosed()); err != nil {
		return Stats{}, err
	}
	pipe := q.c.Pipeline()
	length := pipe.XLen(ctx, q.key(topic))
	dead := pipe.XLen(ctx, q.key(DeadTopic(topic)))
	groups := pipe.XInfoGroups(ctx, q.key(topic))
	_, _ = pipe.Exec(ctx)
	if err := errors.Join(length.Err(), dead.Err()); err != nil {
		return Stats{}, q.wrap("stats of "+topic, err)
	}
	s := Stats{Backlog: length.Val(), Dead: dead.Val()}
	// A missing stream or group has no pending entries.
	if gs, err := groups.Result(); err == nil {
		for _, g := range gs {
			if g.Name == q.o.Group {
				s.Pending = g.Pending
				s.Backlog -= g.Pending
			}
		}
	}
	return s, nil
}

// Close stops reading, cancels waiting retries (their entries stay pending for another
// consumer), waits for handlers in flight and settles their results.
func (q *RedisStreams) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	for _, cancel := range q.cancels {
		cancel()
	}
	for t := range q.timers {
		if t.Stop() {
			q.handlers.Done()
		}
	}
	q.timers = nil
	q.mu.Unlock()
	q.loops.Wait()
	q.handlers.Wait()
	return nil
}

// ensureGroup creates the consumer group of a stream (and the stream) once. The group starts
// at the stream's beginning, so entries published before the first consumer are delivered.
func (q *RedisStreams) ensureGroup(ctx context.Context, stream string) error {
	q.mu.Lock()
	done := q.groups[stream]
	q.mu.Unlock()
	if done {
		return nil
	}
	err := q.c.XGroupCreateMkStream(ctx, stream, q.o.Group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	q.mu.Lock()
	q.groups[stream] = true
	q.mu.Unlock()
	return nil
}

func (q *RedisStreams) wrap(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("queue (redis): %s: %w", what, err)
}

var _ Queue = (*RedisStreams)(nil)

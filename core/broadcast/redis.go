package broadcast

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the bus of many instances sharing a Redis server. Publish increments a sequence
// number, stores the payload and publishes both on a pub/sub channel; subscribers act on
// pub/sub messages at once and also compare the sequence number every PollInterval, so a
// change published while their connection was down still reaches them.
type Redis struct {
	client redis.UniversalClient
	prefix string
	// PollInterval is how often subscribers check the sequence number; 10 s when zero.
	PollInterval time.Duration
	log          *slog.Logger
	stop         context.CancelFunc
	ctx          context.Context
	wg           sync.WaitGroup
}

// NewRedis returns a bus on client whose keys and channels start with prefix.
func NewRedis(client redis.UniversalClient, prefix string, log *slog.Logger) *Redis {
	ctx, stop := context.WithCancel(context.Background())
	return &Redis{client: client, prefix: prefix, log: log, ctx: ctx, stop: stop}
}

func (r *Redis) channel(topic string) string { return r.prefix + "broadcast:" + topic }

// publishScript stores the payload, increments the sequence and publishes in one step, so a
// subscriber that sees a sequence number also finds its payload.
var publishScript = redis.NewScript(`
local seq = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('PUBLISH', KEYS[3], seq)
return seq`)

// Publish announces a change on topic.
func (r *Redis) Publish(ctx context.Context, topic string, payload []byte) error {
	ch := r.channel(topic)
	return publishScript.Run(ctx, r.client, []string{ch + ":seq", ch + ":payload", ch}, payload).Err()
}

// Subscribe calls fn for each change on topic published after the call, until ctx ends or
// the bus closes. It fails when Redis cannot be reached at subscription time.
func (r *Redis) Subscribe(ctx context.Context, topic string, fn func([]byte)) error {
	ch := r.channel(topic)
	seen, err := r.sequence(ctx, ch)
	if err != nil {
		return err
	}
	sub := r.client.Subscribe(ctx, ch)
	if _, err := sub.Receive(ctx); err != nil {
		sub.Close()
		return err
	}
	interval := r.PollInterval
	if interval == 0 {
		interval = 10 * time.Second
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer sub.Close()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		msgs := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.ctx.Done():
				return
			case <-msgs:
			case <-tick.C:
			}
			seen = r.deliver(ctx, ch, seen, fn)
		}
	}()
	return nil
}

// deliver calls fn with the latest payload when the sequence moved past seen, and returns the
// sequence it has now seen.
func (r *Redis) deliver(ctx context.Context, ch string, seen int64, fn func([]byte)) int64 {
	seq, err := r.sequence(ctx, ch)
	if err != nil || seq <= seen {
		if err != nil && !errors.Is(err, context.Canceled) {
			r.log.Warn("broadcast: cannot read the change sequence; retrying", "topic", ch, "err", err)
		}
		return seen
	}
	payload, err := r.client.Get(ctx, ch+":payload").Bytes()
	if err != nil && !errors.Is(err, redis.Nil) {
		r.log.Warn("broadcast: cannot read the change; retrying", "topic", ch, "err", err)
		return seen
	}
	fn(payload)
	return seq
}

func (r *Redis) sequence(ctx context.Context, ch string) (int64, error) {
	v, err := r.client.Get(ctx, ch+":seq").Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// Close stops every subscription and waits for them; the client stays open.
func (r *Redis) Close() error {
	r.stop()
	r.wg.Wait()
	return nil
}

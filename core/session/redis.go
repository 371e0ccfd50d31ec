package session

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store shared by many frontdesk instances. Each key is a Redis hash under
// Prefix+key holding the value (field d) and its version (field v); writes are Lua scripts, so
// a compare-and-set reads and writes in one atomic step and works the same on one server,
// behind Sentinel and on a Cluster (a script touches one key, so one slot).
type Redis struct {
	client redis.UniversalClient
	prefix string
	closed atomic.Bool
}

// NewRedis returns a store on client with every key under prefix (such as "frontdesk:s:"),
// so that several deployments or tests can share one Redis. The client may be a single
// server, a Sentinel failover client or a Cluster client, as redis.NewUniversalClient builds
// from its options (MasterName set: Sentinel; several Addrs: Cluster). The caller owns the
// client: Close does not close it, because the work queue may share it.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// writeScript sets the value, bumps the version and sets or clears the expiry. When ARGV[3]
// is a version, the write happens only if the stored version (0 when absent) equals it;
// otherwise it returns -1. An expired key reads as absent in Redis, so it restarts at 1.
var writeScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
if ARGV[3] ~= '' and cur ~= tonumber(ARGV[3]) then
	return -1
end
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', cur + 1)
local ttl = tonumber(ARGV[2])
if ttl > 0 then
	redis.call('PEXPIRE', KEYS[1], ttl)
else
	redis.call('PERSIST', KEYS[1])
end
return cur + 1
`)

func (r *Redis) check(ctx context.Context) error {
	if r.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

// Get returns the value and its version.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, uint64, error) {
	if err := r.check(ctx); err != nil {
		return nil, 0, err
	}
	vals, err := r.client.HMGet(ctx, r.prefix+key, "d", "v").Result()
	if err != nil {
		return nil, 0, r.wrap(err)
	}
	data, ok1 := vals[0].(string)
	ver, ok2 := vals[1].(string)
	if !ok1 || !ok2 {
		return nil, 0, ErrNotFound
	}
	v, err := strconv.ParseUint(ver, 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("session (redis): key %q has a bad version %q", key, ver)
	}
	return []byte(data), v, nil
}

// Put writes the value unconditionally.
func (r *Redis) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := r.write(ctx, key, value, "", ttl)
	return err
}

// CompareAndSet writes the value only if the stored version equals version (0: absent).
func (r *Redis) CompareAndSet(ctx context.Context, key string, value []byte, version uint64, ttl time.Duration) (uint64, error) {
	return r.write(ctx, key, value, strconv.FormatUint(version, 10), ttl)
}

func (r *Redis) write(ctx context.Context, key string, value []byte, version string, ttl time.Duration) (uint64, error) {
	if err := CheckArgs(key, ttl); err != nil {
		return 0, err
	}
	if err := r.check(ctx); err != nil {
		return 0, err
	}
	// Round a sub-millisecond ttl up: PEXPIRE counts milliseconds and 0 would mean forever.
	ms := ttl.Milliseconds()
	if ttl > 0 && ms == 0 {
		ms = 1
	}
	n, err := writeScript.Run(ctx, r.client, []string{r.prefix + key}, value, ms, version).Int64()
	if err != nil {
		return 0, r.wrap(err)
	}
	if n < 0 {
		return 0, ErrConflict
	}
	return uint64(n), nil
}

// Delete removes the key.
func (r *Redis) Delete(ctx context.Context, key string) error {
	if err := r.check(ctx); err != nil {
		return err
	}
	return r.wrap(r.client.Del(ctx, r.prefix+key).Err())
}

// Close marks the store closed; the client stays open for its owner.
func (r *Redis) Close() error {
	r.closed.Store(true)
	return nil
}

func (r *Redis) wrap(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("session (redis): %w", err)
}

var _ Store = (*Redis)(nil)

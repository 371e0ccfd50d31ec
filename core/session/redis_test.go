package session_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/session/sessiontest"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// redisClient connects to the test server; keys of each test live under a prefix of their
// own, removed when the test ends.
func redisClient(t testing.TB) (redis.UniversalClient, string) {
	opts, err := redis.ParseURL(testservers.URL(t, testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	prefix := fmt.Sprintf("test:%x:", rand.Uint64())
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := c.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
		c.Close()
	})
	return c, prefix
}

func TestRedisConformance(t *testing.T) {
	testservers.URL(t, testservers.RedisEnv) // skip or fail once, not in every subtest
	sessiontest.Run(t, func(t *testing.T) session.Store {
		c, prefix := redisClient(t)
		return session.NewRedis(c, prefix)
	})
}

// TestRedisPrefixIsolates checks that stores with different prefixes on one server do not
// see each other's keys.
func TestRedisPrefixIsolates(t *testing.T) {
	c, prefix := redisClient(t)
	a, b := session.NewRedis(c, prefix+"a:"), session.NewRedis(c, prefix+"b:")
	ctx := context.Background()
	if err := a.Put(ctx, "k", []byte("from a"), 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Get(ctx, "k"); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("b sees a's key: %v", err)
	}
}

func BenchmarkRedis(b *testing.B) {
	c, prefix := redisClient(b)
	runStoreBenchmarks(b, session.NewRedis(c, prefix))
}

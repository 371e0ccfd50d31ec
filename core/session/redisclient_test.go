package session_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

func TestNewRedisClientKinds(t *testing.T) {
	for _, c := range []struct {
		url, kind string
	}{
		{"redis://127.0.0.1:6379/2", "*redis.Client"},
		{"rediss://user:pw@cache.internal:6380/0", "*redis.Client"},
		{"redis://10.0.0.1:26379?master_name=frontdesk&addr=10.0.0.2:26379", "*redis.Client"}, // a failover client is a *Client
		{"redis://10.0.0.1:7000?addr=10.0.0.2:7000&addr=10.0.0.3:7000", "*redis.ClusterClient"},
	} {
		cl, err := session.NewRedisClient(c.url)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if got := fmt.Sprintf("%T", cl); got != c.kind {
			t.Errorf("%s: a %s, want %s", c.url, got, c.kind)
		}
		cl.Close()
	}
	for _, bad := range []string{"http://x", "redis://h:1?no_such_option=1", "redis://%zz"} {
		if cl, err := session.NewRedisClient(bad); err == nil {
			cl.Close()
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestNewRedisClientConnects(t *testing.T) {
	cl, err := session.NewRedisClient(testservers.URL(t, testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
}

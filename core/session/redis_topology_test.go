package session_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/session/sessiontest"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// TestRedisClusterConformance runs the suite on a three-node Redis Cluster reached through
// the URL form NewRedisClient reads, so the Lua scripts are proven on one slot per key.
func TestRedisClusterConformance(t *testing.T) {
	addrs := testservers.StartRedisCluster(t, 3)
	url := "redis://" + addrs[0] + "?addr=" + strings.Join(addrs[1:], "&addr=")
	c, err := session.NewRedisClient(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sessiontest.Run(t, func(t *testing.T) session.Store {
		return session.NewRedis(c, fmt.Sprintf("t%x:", rand.Uint64()))
	})
}

// TestRedisSentinelConformance runs the suite through a Sentinel that names the master.
func TestRedisSentinelConformance(t *testing.T) {
	sentinel := testservers.StartRedisSentinel(t, "frontdesk")
	c, err := session.NewRedisClient("redis://" + sentinel + "?master_name=frontdesk")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sessiontest.Run(t, func(t *testing.T) session.Store {
		return session.NewRedis(c, fmt.Sprintf("t%x:", rand.Uint64()))
	})
}

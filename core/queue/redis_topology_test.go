package queue_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/queue/queuetest"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// TestRedisStreamsClusterConformance runs the suite on a three-node Redis Cluster: the
// transactions that ack or dead-letter span a topic and its dead-letter stream, which the
// {topic} hash tag keeps in one slot.
func TestRedisStreamsClusterConformance(t *testing.T) {
	addrs := testservers.StartRedisCluster(t, 3)
	c, err := session.NewRedisClient("redis://" + addrs[0] + "?addr=" + strings.Join(addrs[1:], "&addr="))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	queuetest.Run(t, func(t *testing.T, opts queue.Options) queue.Queue {
		return queue.NewRedisStreams(c, queue.RedisOptions{
			Options: opts, Prefix: fmt.Sprintf("t%x:", rand.Uint64()),
			ClaimIdle: 500 * time.Millisecond, ClaimInterval: 100 * time.Millisecond, Block: 200 * time.Millisecond,
		})
	})
}

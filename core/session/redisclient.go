package session

import (
	"fmt"
	"net/url"

	"github.com/redis/go-redis/v9"
)

// NewRedisClient builds the Redis client that the Redis session store and the Redis Streams
// queue share, from one URL in go-redis' syntax:
//
//	redis://[user:password@]host:port/db              one server (rediss:// for TLS)
//	redis://host1:port?master_name=mymaster&addr=host2:port
//	                                                  Sentinel: the addresses are sentinels
//	redis://host1:port?addr=host2:port&addr=host3:port
//	                                                  Cluster: the addresses are seed nodes
//
// Other query parameters set client options (dial_timeout=3s, pool_size=20, ...). It does no
// I/O; the first command connects.
func NewRedisClient(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("session: redis URL: %w", err)
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		opts, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("session: redis sentinel URL: %w", err)
		}
		return redis.NewFailoverClient(opts), nil
	case q.Has("addr"):
		opts, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("session: redis cluster URL: %w", err)
		}
		return redis.NewClusterClient(opts), nil
	default:
		opts, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("session: redis URL: %w", err)
		}
		return redis.NewClient(opts), nil
	}
}

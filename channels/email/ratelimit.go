package email

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// RateLimit bounds the automatic replies one sender gets in a window, shared by every
// instance through the session store. It is the last guard against a loop with an
// auto-responder that marks its mail as nothing of the kind.
type RateLimit struct {
	Sessions session.Store
	// Max replies per sender per Window; 5 per hour when zero.
	Max    int
	Window time.Duration
}

// Allow counts a reply to sender and reports whether it is within the limit.
func (r RateLimit) Allow(ctx context.Context, sender string) (bool, error) {
	limit, window := r.Max, r.Window
	if limit <= 0 {
		limit = 5
	}
	if window <= 0 {
		window = time.Hour
	}
	key := "email/replies/" + sender
	for {
		// The value is "count start": a fixed window from the first reply, whose key
		// expires when the window ends.
		n, start := 0, time.Now()
		val, version, err := r.Sessions.Get(ctx, key)
		switch {
		case errors.Is(err, session.ErrNotFound):
			version = 0
		case err != nil:
			return false, err
		default:
			count, ms, _ := strings.Cut(string(val), " ")
			n, _ = strconv.Atoi(count)
			if t, err := strconv.ParseInt(ms, 10, 64); err == nil {
				start = time.UnixMilli(t)
			}
		}
		if n >= limit {
			return false, nil
		}
		ttl := window - time.Since(start)
		if ttl <= 0 {
			n, start, ttl = 0, time.Now(), window
		}
		next := strconv.Itoa(n+1) + " " + strconv.FormatInt(start.UnixMilli(), 10)
		_, err = r.Sessions.CompareAndSet(ctx, key, []byte(next), version, ttl)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, session.ErrConflict) {
			return false, err
		}
	}
}

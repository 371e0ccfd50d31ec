package queue

import (
	"testing"
	"time"
)

func TestExponentialBackoff(t *testing.T) {
	b := ExponentialBackoff(100*time.Millisecond, time.Second)
	for _, c := range []struct {
		delivery int
		want     time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{60, time.Second},
	} {
		if got := b(c.delivery); got != c.want {
			t.Errorf("backoff(%d) = %s, want %s", c.delivery, got, c.want)
		}
	}
}

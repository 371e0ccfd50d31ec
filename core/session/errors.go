package session

import (
	"errors"
	"fmt"
	"time"
)

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("session: store closed")

// ErrInvalid is returned for arguments no backend accepts: an empty key or a negative ttl.
var ErrInvalid = errors.New("session: invalid argument")

// CheckArgs validates the arguments every write takes, so backends reject the same input
// with the same error.
func CheckArgs(key string, ttl time.Duration) error {
	if key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalid)
	}
	if ttl < 0 {
		return fmt.Errorf("%w: negative ttl %s for key %q", ErrInvalid, ttl, key)
	}
	return nil
}

// Package session keeps short-lived state shared by every frontdesk instance: conversations,
// one-time codes and link nonces. Values are opaque bytes with a time to live; writers that race
// use compare-and-set on a version number.
package session

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by Get when the key does not exist or has expired.
var ErrNotFound = errors.New("session: not found")

// ErrConflict is returned by CompareAndSet when the stored version is not the expected one.
var ErrConflict = errors.New("session: version conflict")

// Store is a key-value store with expiry and optimistic concurrency. Every backend passes the
// conformance suite in package sessiontest.
type Store interface {
	// Get returns the value and its version. Versions start at 1 and grow with every write.
	Get(ctx context.Context, key string) (value []byte, version uint64, err error)
	// Put writes the value unconditionally. A ttl of zero means no expiry.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// CompareAndSet writes the value only if the stored version equals version; version 0
	// means the key must not exist. It returns the new version, or ErrConflict.
	CompareAndSet(ctx context.Context, key string, value []byte, version uint64, ttl time.Duration) (uint64, error)
	// Delete removes the key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// Close releases the backend's resources.
	Close() error
}

package session

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// memoryShards spreads keys over independent locks so that conversations on different keys
// never wait for each other.
const memoryShards = 64

// DefaultSweepInterval is how often a Memory store removes expired keys in the background.
const DefaultSweepInterval = time.Second

// Memory is the in-process Store: the embedded default for one machine. Expired keys read as
// missing at once and are removed by a background sweep, so memory does not grow with keys
// nobody reads again.
type Memory struct {
	seed   maphash.Seed
	shards [memoryShards]memoryShard
	closed atomic.Bool
	stop   chan struct{}
	done   chan struct{}
}

type memoryShard struct {
	mu      sync.RWMutex
	entries map[string]memoryEntry
}

type memoryEntry struct {
	value   []byte
	version uint64
	expires time.Time // zero: never
}

func (e memoryEntry) expired(now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}

// NewMemory returns an in-process store that sweeps expired keys every DefaultSweepInterval.
func NewMemory() *Memory { return NewMemoryWithSweep(DefaultSweepInterval) }

// NewMemoryWithSweep returns an in-process store that sweeps expired keys at the given
// interval (DefaultSweepInterval when not positive). Close stops the sweeper.
func NewMemoryWithSweep(interval time.Duration) *Memory {
	if interval <= 0 {
		interval = DefaultSweepInterval
	}
	m := &Memory{seed: maphash.MakeSeed(), stop: make(chan struct{}), done: make(chan struct{})}
	for i := range m.shards {
		m.shards[i].entries = make(map[string]memoryEntry)
	}
	go m.sweepLoop(interval)
	return m
}

func (m *Memory) shard(key string) *memoryShard {
	return &m.shards[maphash.String(m.seed, key)%memoryShards]
}

func (m *Memory) check(ctx context.Context) error {
	if m.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

// Get returns a copy of the value and its version.
func (m *Memory) Get(ctx context.Context, key string) ([]byte, uint64, error) {
	if err := m.check(ctx); err != nil {
		return nil, 0, err
	}
	s := m.shard(key)
	s.mu.RLock()
	e, ok := s.entries[key]
	s.mu.RUnlock()
	if !ok || e.expired(time.Now()) {
		return nil, 0, ErrNotFound
	}
	return clone(e.value), e.version, nil
}

// Put writes the value unconditionally, one version above the live one.
func (m *Memory) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := CheckArgs(key, ttl); err != nil {
		return err
	}
	if err := m.check(ctx); err != nil {
		return err
	}
	now := time.Now()
	s := m.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = memoryEntry{value: clone(value), version: liveVersion(s.entries[key], now) + 1, expires: deadline(now, ttl)}
	return nil
}

// CompareAndSet writes the value only if the live version equals version (0: absent).
func (m *Memory) CompareAndSet(ctx context.Context, key string, value []byte, version uint64, ttl time.Duration) (uint64, error) {
	if err := CheckArgs(key, ttl); err != nil {
		return 0, err
	}
	if err := m.check(ctx); err != nil {
		return 0, err
	}
	now := time.Now()
	s := m.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if liveVersion(s.entries[key], now) != version {
		return 0, ErrConflict
	}
	s.entries[key] = memoryEntry{value: clone(value), version: version + 1, expires: deadline(now, ttl)}
	return version + 1, nil
}

// Delete removes the key.
func (m *Memory) Delete(ctx context.Context, key string) error {
	if err := m.check(ctx); err != nil {
		return err
	}
	s := m.shard(key)
	s.mu.Lock()
	delete(s.entries, key)
	s.mu.Unlock()
	return nil
}

// Len returns the number of keys held, expired ones not yet swept included.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.RLock()
		n += len(s.entries)
		s.mu.RUnlock()
	}
	return n
}

// Close stops the sweeper and drops every key. Closing twice is not an error.
func (m *Memory) Close() error {
	if m.closed.Swap(true) {
		return nil
	}
	close(m.stop)
	<-m.done
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		s.entries = nil
		s.mu.Unlock()
	}
	return nil
}

func (m *Memory) sweepLoop(interval time.Duration) {
	defer close(m.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case now := <-t.C:
			m.sweep(now)
		}
	}
}

// sweep removes expired keys one shard at a time, so readers of other shards never wait.
func (m *Memory) sweep(now time.Time) {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		for k, e := range s.entries {
			if e.expired(now) {
				delete(s.entries, k)
			}
		}
		s.mu.Unlock()
	}
}

// liveVersion is the entry's version, or 0 when it is missing or expired: an expired key is
// gone, and the next write starts it again at version 1.
func liveVersion(e memoryEntry, now time.Time) uint64 {
	if e.version == 0 || e.expired(now) {
		return 0
	}
	return e.version
}

func deadline(now time.Time, ttl time.Duration) time.Time {
	if ttl == 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}

// clone copies b so that callers can neither change stored values nor see later writes.
func clone(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return append(make([]byte, 0, len(b)), b...)
}

var _ Store = (*Memory)(nil)

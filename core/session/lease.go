package session

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrLeaseHeld is returned by AcquireLease when another holder has the lease.
var ErrLeaseHeld = errors.New("session: lease held by another holder")

// ErrLeaseLost is returned by Renew and Keep when the lease expired or was taken over.
var ErrLeaseLost = errors.New("session: lease lost")

// Lease is a named lock that one holder has at a time across every instance sharing a Store:
// one IMAP poller per mailbox, for example. It expires unless renewed, so the lease of a
// crashed holder passes to another within its ttl. Each new holder gets a fencing token larger
// than every earlier holder's; writes made under the lease carry the token, and the storage
// refuses writes with a smaller token than it has seen (store.Cursors.SetCursorFenced), so a
// holder that stalled past its expiry cannot overwrite its successor's work.
type Lease struct {
	s       Store
	name    string
	holder  string
	ttl     time.Duration
	token   uint64
	version uint64
}

// leaseKey and fenceKey are where a lease and its token counter live in the store.
func leaseKey(name string) string { return "lease/" + name }
func fenceKey(name string) string { return "lease/" + name + "/fence" }

// AcquireLease takes the named lease for holder (an instance id) for ttl, or returns
// ErrLeaseHeld while another holder has it.
func AcquireLease(ctx context.Context, s Store, name, holder string, ttl time.Duration) (*Lease, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return nil, fmt.Errorf("%w: lease needs a name, a holder and a positive ttl", ErrInvalid)
	}
	if cur, _, err := s.Get(ctx, leaseKey(name)); err == nil {
		return nil, fmt.Errorf("%w: %s has %q", ErrLeaseHeld, leaseHolder(cur), name)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	token, err := nextFence(ctx, s, name)
	if err != nil {
		return nil, err
	}
	version, err := s.CompareAndSet(ctx, leaseKey(name), leaseValue(holder, token), 0, ttl)
	if errors.Is(err, ErrConflict) {
		return nil, fmt.Errorf("%w: %q taken concurrently", ErrLeaseHeld, name)
	}
	if err != nil {
		return nil, err
	}
	return &Lease{s: s, name: name, holder: holder, ttl: ttl, token: token, version: version}, nil
}

// nextFence increments the lease's token counter, which never expires, and returns it.
func nextFence(ctx context.Context, s Store, name string) (uint64, error) {
	for {
		var n uint64
		b, version, err := s.Get(ctx, fenceKey(name))
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return 0, err
		default:
			if n, err = strconv.ParseUint(string(b), 10, 64); err != nil {
				return 0, fmt.Errorf("session: lease %q has a bad fencing counter %q", name, b)
			}
		}
		_, err = s.CompareAndSet(ctx, fenceKey(name), strconv.AppendUint(nil, n+1, 10), version, 0)
		if err == nil {
			return n + 1, nil
		}
		if !errors.Is(err, ErrConflict) {
			return 0, err
		}
	}
}

func leaseValue(holder string, token uint64) []byte {
	return []byte(strconv.FormatUint(token, 10) + " " + holder)
}

func leaseHolder(value []byte) string {
	_, holder, _ := strings.Cut(string(value), " ")
	return holder
}

// Token is the fencing token of this holding: larger than any earlier holder's.
func (l *Lease) Token() uint64 { return l.token }

// Renew extends the lease by its ttl, or returns ErrLeaseLost when it expired or was taken.
func (l *Lease) Renew(ctx context.Context) error {
	v, err := l.s.CompareAndSet(ctx, leaseKey(l.name), leaseValue(l.holder, l.token), l.version, l.ttl)
	if errors.Is(err, ErrConflict) {
		return fmt.Errorf("%w: %q (token %d)", ErrLeaseLost, l.name, l.token)
	}
	if err != nil {
		return err
	}
	l.version = v
	return nil
}

// Release gives the lease up so another holder need not wait for it to expire. Only this
// holding is released: a lease already taken over is left to its new holder.
func (l *Lease) Release(ctx context.Context) error {
	// The Store has no compare-and-delete; a compare-and-set to the shortest ttl is one.
	_, err := l.s.CompareAndSet(ctx, leaseKey(l.name), leaseValue(l.holder, l.token), l.version, time.Millisecond)
	if errors.Is(err, ErrConflict) {
		return nil
	}
	return err
}

// Keep renews the lease every ttl/3 until ctx is done, then releases it and returns nil; it
// returns ErrLeaseLost as soon as a renewal finds the lease gone, so the caller stops the
// work the lease guards. A renewal that fails for another reason (Redis restarting) is
// retried until the lease would have expired.
func (l *Lease) Keep(ctx context.Context) error {
	t := time.NewTicker(l.ttl / 3)
	defer t.Stop()
	renewed := time.Now()
	for {
		select {
		case <-ctx.Done():
			release, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.ttl)
			defer cancel()
			return l.Release(release)
		case <-t.C:
		}
		err := l.Renew(ctx)
		switch {
		case err == nil:
			renewed = time.Now()
		case errors.Is(err, ErrLeaseLost):
			return err
		case ctx.Err() != nil:
		case time.Since(renewed) >= l.ttl:
			return fmt.Errorf("%w: %q not renewed within its ttl: %v", ErrLeaseLost, l.name, err)
		}
	}
}

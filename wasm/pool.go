package wasm

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Pool keeps a module's ready instances. An instance serves one call at a time and goes back
// to the pool after it; one that trapped, ran over its deadline or served MaxCalls calls is
// closed and replaced in the background, so the caller that hit the fault is not kept waiting
// for a new instance and the pool keeps its size.
type Pool struct {
	m    *Module
	idle chan *instance

	mu     sync.Mutex
	all    map[*instance]struct{} // every live instance, idle or busy, for the watchdog
	closed bool
	done   atomic.Bool    // closed, readable without the lock on the hot path
	wg     sync.WaitGroup // replacements under way
	stop   chan struct{}
}

// newPool instantiates size instances up front, so the hot path never instantiates.
func newPool(ctx context.Context, m *Module, size int) (*Pool, error) {
	p := &Pool{m: m, idle: make(chan *instance, size), all: make(map[*instance]struct{}, size), stop: make(chan struct{})}
	for range size {
		in, err := m.newInstance(ctx)
		if err != nil {
			p.close(ctx)
			return nil, err
		}
		p.all[in] = struct{}{}
		p.idle <- in
	}
	return p, nil
}

// get takes an idle instance, waiting for one while every instance is busy.
func (p *Pool) get(ctx context.Context) (*instance, error) {
	if p.done.Load() {
		return nil, ErrClosed
	}
	select {
	case in := <-p.idle:
		return in, nil
	default:
	}
	select {
	case in := <-p.idle:
		return in, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for a free instance: %v", ErrDeadline, ctx.Err())
	case <-p.stop:
		return nil, ErrClosed
	}
}

// put returns an instance after a call, or retires it.
func (p *Pool) put(in *instance) {
	if p.done.Load() {
		in.close(context.Background())
		return
	}
	if in.broken || (p.m.maxCalls > 0 && in.calls >= p.m.maxCalls) {
		p.retire(in)
		return
	}
	p.idle <- in
}

// retire closes an instance and starts its replacement.
func (p *Pool) retire(in *instance) {
	p.mu.Lock()
	delete(p.all, in)
	closed := p.closed
	if !closed {
		p.wg.Add(1)
	}
	p.mu.Unlock()
	in.close(context.Background())
	if !closed {
		go p.replace()
	}
}

// replace instantiates a new instance, retrying with backoff: a module that instantiated
// before can fail only for passing reasons such as memory pressure.
func (p *Pool) replace() {
	defer p.wg.Done()
	backoff := 10 * time.Millisecond
	for {
		in, err := p.m.newInstance(context.Background())
		if err == nil {
			p.mu.Lock()
			if p.closed {
				p.mu.Unlock()
				in.close(context.Background())
				return
			}
			p.all[in] = struct{}{}
			p.mu.Unlock()
			p.idle <- in
			return
		}
		if p.m.logger != nil {
			p.m.logger.Error("executor instance replacement failed", "executor", p.m.name, "err", err, "retry_in", backoff)
		}
		select {
		case <-p.stop:
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// expire lets the watchdog stop calls past their deadline.
func (p *Pool) expire(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for in := range p.all {
		in.expire(now)
	}
}

// Size returns the number of live instances, busy or idle.
func (p *Pool) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.all)
}

// close stops replacements and closes every instance; callers waiting in get fail.
func (p *Pool) close(ctx context.Context) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.done.Store(true)
	close(p.stop)
	p.mu.Unlock()
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	for in := range p.all {
		in.close(ctx)
	}
	p.all = nil
}

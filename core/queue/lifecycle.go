package queue

import (
	"sync"
	"time"
)

// lifecycle is what the in-process and SQLite queues share: their lock, the closed flag, the
// timers of nacked messages waiting out their backoff, and the consumers Close waits for.
type lifecycle struct {
	mu        sync.Mutex
	closed    bool
	timers    map[*time.Timer]struct{}
	stop      chan struct{} // closed by Close, for consumers waiting for work
	consumers sync.WaitGroup
}

// init prepares a lifecycle for use.
func (l *lifecycle) init() {
	l.timers = make(map[*time.Timer]struct{})
	l.stop = make(chan struct{})
}

// afterFunc runs f, with l.mu held, once d has passed, unless the queue closes first. The
// caller holds l.mu.
func (l *lifecycle) afterFunc(d time.Duration, f func()) {
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.timers, t)
		if !l.closed {
			f()
		}
	})
	l.timers[t] = struct{}{}
}

// subscribe starts n consumers of the topic, unless the queue is closed. consumer is called
// with l.mu held, to take what the consumers share; the function it returns is one consumer.
func (l *lifecycle) subscribe(topic string, n int, consumer func() func()) error {
	if err := CheckTopic(topic); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	run := consumer()
	for range n {
		l.consumers.Add(1)
		go func() {
			defer l.consumers.Done()
			run()
		}()
	}
	return nil
}

// isClosed reports whether Close was called.
func (l *lifecycle) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Close stops taking deliveries and cancels the waiting backoffs, then waits for the handlers
// in flight to return and their results to be settled. What happens to unacknowledged
// messages is the backend's: see its type.
func (l *lifecycle) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	for t := range l.timers {
		t.Stop()
	}
	l.timers = nil
	close(l.stop)
	l.mu.Unlock()
	l.consumers.Wait()
	return nil
}

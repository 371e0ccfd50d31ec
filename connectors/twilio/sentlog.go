package twilio

import (
	"context"
	"sync"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// sentLog remembers the receipts of recently sent messages by idempotency key, because the
// Messages API has no idempotency key of its own: a call frontdesk retries after a lost answer
// gets the first receipt instead of sending the SMS again. Concurrent sends with one key wait
// for the first. It lives in memory, so it protects for the life of the plugin process.
type sentLog struct {
	mu      sync.Mutex
	max     int
	entries map[string]*sending
	order   []string // keys of finished sends, oldest first, for eviction
}

// sending is one send, in flight until done is closed.
type sending struct {
	done    chan struct{}
	receipt plugin.SMSReceipt
	err     error
}

func newSentLog(max int) *sentLog {
	return &sentLog{max: max, entries: map[string]*sending{}}
}

// begin returns the send for the key and whether the caller is the one to do it.
func (l *sentLog) begin(key string) (*sending, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.entries[key]; ok {
		return s, false
	}
	s := &sending{done: make(chan struct{})}
	l.entries[key] = s
	return s, true
}

// finish records the outcome. A failed send is forgotten, so that a retry sends again.
func (l *sentLog) finish(key string, s *sending, r plugin.SMSReceipt, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.receipt, s.err = r, err
	close(s.done)
	if err != nil {
		delete(l.entries, key)
		return
	}
	l.order = append(l.order, key)
	for len(l.order) > l.max {
		delete(l.entries, l.order[0])
		l.order = l.order[1:]
	}
}

// wait returns the outcome of a send another call is doing.
func (s *sending) wait(ctx context.Context) (plugin.SMSReceipt, error) {
	select {
	case <-s.done:
		return s.receipt, s.err
	case <-ctx.Done():
		return plugin.SMSReceipt{}, context.Cause(ctx)
	}
}

package broadcast

import (
	"context"
	"sync"
)

// Memory is the bus of a single process: subscribers are called in-process.
type Memory struct {
	mu   sync.Mutex
	subs map[string][]chan []byte
	done chan struct{}
	once sync.Once
}

// NewMemory returns an in-process bus.
func NewMemory() *Memory {
	return &Memory{subs: map[string][]chan []byte{}, done: make(chan struct{})}
}

// Publish hands payload to every subscriber of topic. A subscriber still busy with an earlier
// change gets this one after it; a change nobody has taken yet is replaced by the newer one,
// because subscribers reload the latest state anyway.
func (m *Memory) Publish(_ context.Context, topic string, payload []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ch := range m.subs[topic] {
		select {
		case ch <- payload:
		default:
			select {
			case <-ch:
			default:
			}
			ch <- payload
		}
	}
	return nil
}

// Subscribe calls fn for each change on topic until ctx ends or the bus closes.
func (m *Memory) Subscribe(ctx context.Context, topic string, fn func([]byte)) error {
	ch := make(chan []byte, 1)
	m.mu.Lock()
	m.subs[topic] = append(m.subs[topic], ch)
	m.mu.Unlock()
	go func() {
		defer m.remove(topic, ch)
		for {
			select {
			case p := <-ch:
				fn(p)
			case <-ctx.Done():
				return
			case <-m.done:
				return
			}
		}
	}()
	return nil
}

func (m *Memory) remove(topic string, ch chan []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	subs := m.subs[topic]
	for i, c := range subs {
		if c == ch {
			m.subs[topic] = append(subs[:i], subs[i+1:]...)
			return
		}
	}
}

// Close stops every subscription.
func (m *Memory) Close() error {
	m.once.Do(func() { close(m.done) })
	return nil
}

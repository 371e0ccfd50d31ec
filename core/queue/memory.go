package queue

import (
	"context"
	"strconv"
	"sync/atomic"
)

// Memory is the in-process Queue. Messages live in this process only, so they are lost with
// it: work that must survive the process uses the SQLite or Redis Streams queue.
type Memory struct {
	lifecycle // its mu guards topics too
	opts      Options
	seq       atomic.Uint64
	topics    map[string]*memoryTopic
}

type memoryTopic struct {
	ready   []*memoryMessage // published or due again, oldest first
	pending int64            // delivered and not yet acknowledged
	// wake is signalled when ready gains a message; each consumer that takes one passes the
	// signal on while more remain, so one Publish never wakes every consumer.
	wake chan struct{}
}

type memoryMessage struct {
	id       string
	payload  []byte
	delivery int
	metadata map[string]string
}

// NewMemory returns an in-process queue.
func NewMemory(opts Options) *Memory {
	q := &Memory{opts: opts.WithDefaults(), topics: make(map[string]*memoryTopic)}
	q.init()
	return q
}

// topic returns the named topic, creating it; the caller holds q.mu.
func (q *Memory) topic(name string) *memoryTopic {
	t := q.topics[name]
	if t == nil {
		t = &memoryTopic{wake: make(chan struct{}, 1)}
		q.topics[name] = t
	}
	return t
}

// Publish appends payload to the topic.
func (q *Memory) Publish(ctx context.Context, topic string, payload []byte) (string, error) {
	if err := CheckTopic(topic); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m := &memoryMessage{id: strconv.FormatUint(q.seq.Add(1), 10), payload: append([]byte(nil), payload...)}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return "", ErrClosed
	}
	t := q.topic(topic)
	if len(t.ready)+int(t.pending) >= q.opts.MaxLen {
		return "", ErrFull
	}
	q.push(t, m)
	return m.id, nil
}

// push makes m ready on t; the caller holds q.mu.
func (q *Memory) push(t *memoryTopic, m *memoryMessage) {
	t.ready = append(t.ready, m)
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Subscribe starts consumers of the topic.
func (q *Memory) Subscribe(ctx context.Context, topic string, h Handler) error {
	return q.subscribe(topic, q.opts.Concurrency, func() func() {
		t := q.topic(topic)
		return func() { q.consume(ctx, topic, t, h) }
	})
}

func (q *Memory) consume(ctx context.Context, name string, t *memoryTopic, h Handler) {
	for {
		m := q.take(t)
		if m == nil {
			select {
			case <-t.wake:
				continue
			case <-ctx.Done():
				return
			case <-q.stop:
				return
			}
		}
		err := Run(ctx, h, Message{ID: m.id, Topic: name, Payload: m.payload, Delivery: m.delivery, Metadata: m.metadata})
		q.settle(name, t, m, err)
		if ctx.Err() != nil {
			return
		}
	}
}

// take pops the oldest ready message, or nil when the topic is empty or the queue closed.
func (q *Memory) take(t *memoryTopic) *memoryMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(t.ready) == 0 {
		return nil
	}
	m := t.ready[0]
	t.ready[0] = nil
	t.ready = t.ready[1:]
	t.pending++
	m.delivery++
	if len(t.ready) > 0 {
		select {
		case t.wake <- struct{}{}:
		default:
		}
	}
	return m
}

// settle acts on a handler's result: ack, redelivery after backoff, or dead letter.
func (q *Memory) settle(name string, t *memoryTopic, m *memoryMessage, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case err == nil:
		t.pending--
	case m.delivery >= q.opts.MaxDeliveries:
		t.pending--
		q.push(q.topic(DeadTopic(name)), deadLetter(m.id, name, m.payload, m.delivery, err, q.seq.Add(1)))
	case q.closed:
		t.pending-- // the process is going away, and the message with it
	default:
		q.afterFunc(q.opts.Backoff(m.delivery), func() {
			t.pending--
			q.push(t, m)
		})
	}
}

// deadLetter is the message a dead-lettered one becomes on its dead-letter topic.
func deadLetter(id, topic string, payload []byte, deliveries int, cause error, seq uint64) *memoryMessage {
	return &memoryMessage{
		id:      strconv.FormatUint(seq, 10),
		payload: payload,
		metadata: map[string]string{
			DeadLetterID:         id,
			DeadLetterTopic:      topic,
			DeadLetterDeliveries: strconv.Itoa(deliveries),
			DeadLetterError:      cause.Error(),
		},
	}
}

// Stats reports the topic's counts.
func (q *Memory) Stats(ctx context.Context, topic string) (Stats, error) {
	if err := CheckTopic(topic); err != nil {
		return Stats{}, err
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return Stats{}, ErrClosed
	}
	var s Stats
	if t := q.topics[topic]; t != nil {
		s.Backlog, s.Pending = int64(len(t.ready)), t.pending
	}
	if d := q.topics[DeadTopic(topic)]; d != nil {
		s.Dead = int64(len(d.ready)) + d.pending
	}
	return s, nil
}

var _ Queue = (*Memory)(nil)

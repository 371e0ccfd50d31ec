package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// settleTimeout bounds the Redis calls that settle a handler's result; they run after the
// handler even when its context is done, so that work done is not redone.
const settleTimeout = 5 * time.Second

// redisSubscription is one Subscribe call: a consumer of the group with its own name, reading
// new entries, taking over idle ones, and touching the ones its handlers hold.
type redisSubscription struct {
	q        *RedisStreams
	topic    string
	stream   string
	consumer string
	h        Handler
	ctx      context.Context // the handlers' context: Subscribe's
	loopCtx  context.Context // cancelled by Subscribe's context or Close
	slots    chan struct{}   // one per handler allowed to run

	mu sync.Mutex
	// owned holds the entries this subscription handles or waits to retry: it touches them
	// so no other consumer takes them, and never dispatches one twice.
	owned map[string]struct{}

	cursor string // where the next XAUTOCLAIM scan starts; read loop only
}

// Subscribe joins the topic's consumer group and starts reading.
func (q *RedisStreams) Subscribe(ctx context.Context, topic string, h Handler) error {
	if err := CheckTopic(topic); err != nil {
		return err
	}
	if q.isClosed() {
		return ErrClosed
	}
	stream := q.key(topic)
	if err := q.ensureGroup(ctx, stream); err != nil {
		return q.wrap("subscribe to "+topic, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	loopCtx, cancel := context.WithCancel(ctx)
	q.cancels = append(q.cancels, cancel)
	s := &redisSubscription{
		q: q, topic: topic, stream: stream, h: h, ctx: ctx, loopCtx: loopCtx,
		consumer: q.o.Consumer + "-" + strconv.FormatUint(q.subs.Add(1), 10),
		slots:    make(chan struct{}, q.o.Concurrency),
		owned:    make(map[string]struct{}),
		cursor:   "0-0",
	}
	q.loops.Add(2)
	go s.readLoop()
	go s.touchLoop()
	return nil
}

// takeSlots waits for one free handler slot, then takes as many more as are free.
func (s *redisSubscription) takeSlots() int {
	select {
	case s.slots <- struct{}{}:
	case <-s.loopCtx.Done():
		return 0
	}
	n := 1
	for n < cap(s.slots) {
		select {
		case s.slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

func (s *redisSubscription) releaseSlots(n int) {
	for range n {
		<-s.slots
	}
}

// readLoop feeds the handlers: every ClaimInterval it first takes over entries left idle past
// ClaimIdle by consumers that died (XAUTOCLAIM), then reads new entries (XREADGROUP), each
// time as many as handlers are free. One loop does both so that neither starves the other.
func (s *redisSubscription) readLoop() {
	defer s.q.loops.Done()
	pause := newPause()
	block := min(s.q.o.Block, s.q.o.ClaimInterval)
	var lastClaim, lastPrune time.Time
	for {
		n := s.takeSlots()
		if n == 0 {
			return
		}
		if time.Since(lastPrune) >= s.q.o.ConsumerExpiry/10 {
			lastPrune = time.Now()
			if err := s.pruneConsumers(); err != nil && s.loopCtx.Err() == nil {
				s.q.o.Logger.Warn("queue: removing expired consumers failed", "topic", s.topic, "err", err)
			}
		}
		if time.Since(lastClaim) >= s.q.o.ClaimInterval {
			lastClaim = time.Now()
			claimed, err := s.claim(n)
			if err != nil && s.loopCtx.Err() == nil {
				s.q.o.Logger.Warn("queue: claim failed", "topic", s.topic, "err", err)
			}
			if n -= claimed; n == 0 {
				continue
			}
		}
		res, err := s.q.c.XReadGroup(s.loopCtx, &redis.XReadGroupArgs{
			Group: s.q.o.Group, Consumer: s.consumer, Streams: []string{s.stream, ">"}, Count: int64(n), Block: block,
		}).Result()
		if s.loopCtx.Err() != nil {
			// Entries read now stay pending under this consumer; another takes them over
			// after ClaimIdle.
			s.releaseSlots(n)
			return
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			s.releaseSlots(n)
			s.q.o.Logger.Warn("queue: read failed", "topic", s.topic, "err", err)
			if strings.HasPrefix(err.Error(), "NOGROUP") {
				s.q.mu.Lock()
				delete(s.q.groups, s.stream) // the stream was deleted; make it again
				s.q.mu.Unlock()
				_ = s.q.ensureGroup(s.loopCtx, s.stream)
			}
			pause.wait(s.loopCtx)
			continue
		}
		pause.reset()
		var msgs []redis.XMessage
		if len(res) > 0 {
			msgs = res[0].Messages
		}
		s.releaseSlots(n - len(msgs))
		for _, m := range msgs {
			s.own(m.ID)
			s.dispatch(m, 1)
		}
	}
}

// claim takes over up to free idle entries, using the free slots the caller holds; it
// returns how many of them it used or gave back (the rest stay with the caller).
func (s *redisSubscription) claim(free int) (int, error) {
	msgs, next, err := s.q.c.XAutoClaim(s.loopCtx, &redis.XAutoClaimArgs{
		Stream: s.stream, Group: s.q.o.Group, Consumer: s.consumer, MinIdle: s.q.o.ClaimIdle, Start: s.cursor, Count: int64(free),
	}).Result()
	if err != nil {
		return 0, err
	}
	s.cursor = next
	if len(msgs) == 0 {
		return 0, nil
	}
	// XAUTOCLAIM does not say how often an entry was delivered; the pending list does.
	pipe := s.q.c.Pipeline()
	counts := make([]*redis.XPendingExtCmd, len(msgs))
	for i, m := range msgs {
		counts[i] = pipe.XPendingExt(s.loopCtx, &redis.XPendingExtArgs{Stream: s.stream, Group: s.q.o.Group, Start: m.ID, End: m.ID, Count: 1})
	}
	if _, err := pipe.Exec(s.loopCtx); err != nil && s.loopCtx.Err() != nil {
		// Stopping: the entries stay pending under this consumer for another to take over.
		s.releaseSlots(len(msgs))
		return len(msgs), nil
	}
	for i, m := range msgs {
		if !s.own(m.ID) {
			// Ours already, waiting for its retry: a touch came late on a loaded machine.
			<-s.slots
			continue
		}
		delivery := 0
		if p, err := counts[i].Result(); err == nil && len(p) == 1 {
			delivery = int(p[0].RetryCount)
		}
		if delivery > s.q.o.MaxDeliveries {
			// Its handlers died or hung MaxDeliveries times: do not let it take down more.
			s.deadLetter(m, delivery-1, errors.New("queue: consumer stopped while handling it"))
			<-s.slots
			continue
		}
		s.dispatch(m, max(delivery, 1))
	}
	return len(msgs), nil
}

// pruneConsumers removes the group's consumers that have nothing pending and were silent for
// ConsumerExpiry: consumers of processes that stopped. One with pending entries stays until
// XAUTOCLAIM has taken them, or they would never be delivered again.
func (s *redisSubscription) pruneConsumers() error {
	consumers, err := s.q.c.XInfoConsumers(s.loopCtx, s.stream, s.q.o.Group).Result()
	if err != nil {
		return err
	}
	for _, c := range consumers {
		if c.Pending == 0 && c.Idle >= s.q.o.ConsumerExpiry && c.Name != s.consumer {
			if err := s.q.c.XGroupDelConsumer(s.loopCtx, s.stream, s.q.o.Group, c.Name).Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// touchLoop resets the idle time of the entries this subscription's handlers hold, so that
// no other consumer takes over work that is still being done.
func (s *redisSubscription) touchLoop() {
	defer s.q.loops.Done()
	t := time.NewTicker(s.q.o.ClaimIdle / 3)
	defer t.Stop()
	for {
		select {
		case <-s.loopCtx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		ids := make([]string, 0, len(s.owned))
		for id := range s.owned {
			ids = append(ids, id)
		}
		s.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		// JUSTID claims do not count as deliveries.
		err := s.q.c.XClaimJustID(s.loopCtx, &redis.XClaimArgs{Stream: s.stream, Group: s.q.o.Group, Consumer: s.consumer, Messages: ids}).Err()
		if err != nil && s.loopCtx.Err() == nil {
			s.q.o.Logger.Warn("queue: touching entries failed", "topic", s.topic, "err", err)
		}
	}
}

// own marks an entry as this subscription's; it reports false when it already was.
func (s *redisSubscription) own(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.owned[id]; ok {
		return false
	}
	s.owned[id] = struct{}{}
	return true
}

func (s *redisSubscription) disown(id string) {
	s.mu.Lock()
	delete(s.owned, id)
	s.mu.Unlock()
}

// dispatch runs the handler for an entry the subscription owns, in a slot the caller took.
func (s *redisSubscription) dispatch(m redis.XMessage, delivery int) {
	s.q.handlers.Add(1)
	go func() {
		defer s.q.handlers.Done()
		err := Run(s.ctx, s.h, s.message(m, delivery))
		<-s.slots
		s.settle(m, delivery, err)
	}()
}

func (s *redisSubscription) message(m redis.XMessage, delivery int) Message {
	msg := Message{ID: m.ID, Topic: s.topic, Delivery: delivery}
	for k, v := range m.Values {
		str, _ := v.(string)
		if k == payloadField {
			msg.Payload = []byte(str)
			continue
		}
		if msg.Metadata == nil {
			msg.Metadata = make(map[string]string, len(m.Values)-1)
		}
		msg.Metadata[k] = str
	}
	if msg.Payload == nil {
		msg.Payload = []byte{}
	}
	return msg
}

// settle acks, schedules a retry, or dead-letters, as the handler's result says.
func (s *redisSubscription) settle(m redis.XMessage, delivery int, err error) {
	switch {
	case err == nil:
		ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
		defer cancel()
		_, err := s.q.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.XAck(ctx, s.stream, s.q.o.Group, m.ID)
			p.XDel(ctx, s.stream, m.ID)
			return nil
		})
		if err != nil {
			// The entry stays pending and is delivered again: at least once.
			s.q.o.Logger.Warn("queue: ack failed", "topic", s.topic, "id", m.ID, "err", err)
		}
		s.disown(m.ID)
	case delivery >= s.q.o.MaxDeliveries:
		s.deadLetter(m, delivery, err)
	default:
		s.retryAfter(m.ID, delivery, s.q.o.Backoff(delivery))
	}
}

// retryAfter delivers the entry to this consumer again after the backoff. The entry stays
// owned meanwhile, so touches keep other consumers off it; the XCLAIM counts the delivery.
func (s *redisSubscription) retryAfter(id string, delivery int, backoff time.Duration) {
	q := s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		s.disown(id)
		return // stays pending; another instance takes it over
	}
	q.handlers.Add(1)
	var t *time.Timer
	t = time.AfterFunc(backoff, func() {
		q.mu.Lock()
		delete(q.timers, t)
		q.mu.Unlock()
		defer q.handlers.Done()
		select {
		case s.slots <- struct{}{}:
		case <-s.loopCtx.Done():
			s.disown(id)
			return
		}
		msgs, err := q.c.XClaim(s.loopCtx, &redis.XClaimArgs{
			Stream: s.stream, Group: q.o.Group, Consumer: s.consumer, Messages: []string{id},
		}).Result()
		if err != nil || len(msgs) == 0 {
			// Gone (redriven, deleted) or Redis unreachable: pending entries come back
			// through XAUTOCLAIM.
			s.disown(id)
			<-s.slots
			if err != nil && s.loopCtx.Err() == nil {
				q.o.Logger.Warn("queue: retry claim failed", "topic", s.topic, "id", id, "err", err)
			}
			return
		}
		s.dispatch(msgs[0], delivery+1)
	})
	q.timers[t] = struct{}{}
}

// deadLetterScript acknowledges the entry and, only if this call acknowledged it, moves it to
// the dead-letter stream: a message is dead-lettered once, even by racing consumers.
var deadLetterScript = redis.NewScript(fmt.Sprintf(`
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
	return 0
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', '%s', ARGV[4], '%s', ARGV[2], '%s', ARGV[5], '%s', ARGV[6], '%s', ARGV[7])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`, payloadField, DeadLetterID, DeadLetterTopic, DeadLetterDeliveries, DeadLetterError))

// deadLetter moves the entry to the dead-letter stream and acknowledges it, atomically, so it
// is neither lost nor left behind.
func (s *redisSubscription) deadLetter(m redis.XMessage, deliveries int, cause error) {
	defer s.disown(m.ID)
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	err := deadLetterScript.Run(ctx, s.q.c, []string{s.stream, s.q.key(DeadTopic(s.topic))},
		s.q.o.Group, m.ID, s.q.o.MaxLen, m.Values[payloadField], s.topic, deliveries, cause.Error()).Err()
	if err != nil {
		s.q.o.Logger.Warn("queue: dead-lettering failed", "topic", s.topic, "id", m.ID, "err", fmt.Errorf("%w (after %v)", err, cause))
	}
}

// pause backs off between failed reads, from 50ms to 2s, so a Redis outage is not a busy loop.
type pause struct{ d time.Duration }

func newPause() *pause { return &pause{d: 50 * time.Millisecond} }

func (p *pause) reset() { p.d = 50 * time.Millisecond }

func (p *pause) wait(ctx context.Context) {
	select {
	case <-time.After(p.d):
	case <-ctx.Done():
	}
	p.d = min(2*p.d, 2*time.Second)
}

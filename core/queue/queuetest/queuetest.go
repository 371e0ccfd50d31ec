// Package queuetest is the conformance suite every queue.Queue backend passes, so that the
// in-process, SQLite and Redis Streams queues deliver, retry and dead-letter alike.
package queuetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/queue"
)

// Open returns a new queue with the given options on an empty backend for one test. The suite
// closes it when the test ends.
type Open func(t *testing.T, opts queue.Options) queue.Queue

// Run runs the conformance suite against the backend that open creates.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Open)
	}{
		{"PublishThenSubscribe", testPublishThenSubscribe},
		{"SubscribeThenPublish", testSubscribeThenPublish},
		{"CompetingConsumers", testCompetingConsumers},
		{"NackRedelivers", testNackRedelivers},
		{"DeadLetter", testDeadLetter},
		{"PanicNacks", testPanicNacks},
		{"Concurrency", testConcurrency},
		{"Full", testFull},
		{"Stats", testStats},
		{"SubscribeContextStops", testSubscribeContextStops},
		{"CloseWaitsForHandlers", testCloseWaitsForHandlers},
		{"Closed", testClosed},
		{"InvalidAndCancelled", testInvalidAndCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, func(t *testing.T, opts queue.Options) queue.Queue {
				q := open(t, opts)
				t.Cleanup(func() { _ = q.Close() })
				return q
			})
		})
	}
}

// fastRetry keeps redelivery quick so the suite runs in seconds.
var fastRetry = queue.Options{Backoff: func(int) time.Duration { return 20 * time.Millisecond }}

// collector records what handlers received.
type collector struct {
	mu   sync.Mutex
	got  map[string]int // payload -> deliveries seen
	msgs []queue.Message
	done chan struct{}
	want int
}

func newCollector(want int) *collector {
	return &collector{got: map[string]int{}, done: make(chan struct{}), want: want}
}

func (c *collector) handle(_ context.Context, m queue.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got[string(m.Payload)]++
	c.msgs = append(c.msgs, m)
	if len(c.got) == c.want && len(c.msgs) == c.want {
		close(c.done)
	}
	return nil
}

func (c *collector) wait(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(within):
		c.mu.Lock()
		defer c.mu.Unlock()
		t.Fatalf("received %d distinct payloads in %d deliveries within %s, want %d", len(c.got), len(c.msgs), within, c.want)
	}
}

func publishN(t *testing.T, q queue.Queue, topic string, n int) {
	t.Helper()
	for i := range n {
		if _, err := q.Publish(context.Background(), topic, []byte("m"+strconv.Itoa(i))); err != nil {
			t.Fatalf("Publish %d: %v", i, err)
		}
	}
}

func testPublishThenSubscribe(t *testing.T, open Open) {
	q := open(t, queue.Options{})
	ctx := context.Background()
	bin := []byte{0, 1, 0xff, '\n', 0}
	id, err := q.Publish(ctx, "intake", bin)
	if err != nil || id == "" {
		t.Fatalf("Publish = %q, %v", id, err)
	}
	publishN(t, q, "intake", 49)
	c := newCollector(50)
	if err := q.Subscribe(ctx, "intake", c.handle); err != nil {
		t.Fatal(err)
	}
	c.wait(t, 10*time.Second)
	time.Sleep(100 * time.Millisecond) // room for a wrong extra delivery to show
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.msgs) != 50 {
		t.Fatalf("%d deliveries of 50 messages acked at once", len(c.msgs))
	}
	var first *queue.Message
	for i := range c.msgs {
		m := &c.msgs[i]
		if m.Delivery != 1 || m.Topic != "intake" || m.ID == "" {
			t.Fatalf("delivery %+v", m)
		}
		if m.ID == id {
			first = m
		}
	}
	if first == nil || !bytes.Equal(first.Payload, bin) {
		t.Fatalf("the binary payload came back as %+v", first)
	}
}

func testSubscribeThenPublish(t *testing.T, open Open) {
	q := open(t, queue.Options{})
	c := newCollector(20)
	if err := q.Subscribe(context.Background(), "intake", c.handle); err != nil {
		t.Fatal(err)
	}
	other := newCollector(1)
	if err := q.Subscribe(context.Background(), "other", other.handle); err != nil {
		t.Fatal(err)
	}
	publishN(t, q, "intake", 20)
	c.wait(t, 10*time.Second)
	if len(other.msgs) != 0 {
		t.Fatalf("a consumer of another topic got %d messages", len(other.msgs))
	}
}

// testCompetingConsumers checks that two subscriptions share one topic's messages: each
// message goes to one of them.
func testCompetingConsumers(t *testing.T, open Open) {
	q := open(t, queue.Options{Concurrency: 1})
	const n = 60
	var mu sync.Mutex
	seen := map[string]int{}
	perSub := [2]int{}
	done := make(chan struct{})
	for i := range 2 {
		h := func(_ context.Context, m queue.Message) error {
			time.Sleep(time.Millisecond) // let the other consumer take its share
			mu.Lock()
			defer mu.Unlock()
			seen[string(m.Payload)]++
			perSub[i]++
			if perSub[0]+perSub[1] == n {
				close(done)
			}
			return nil
		}
		if err := q.Subscribe(context.Background(), "intake", h); err != nil {
			t.Fatal(err)
		}
	}
	publishN(t, q, "intake", n)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("consumers handled %v of %d", perSub, n)
	}
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != n || perSub[0]+perSub[1] != n {
		t.Fatalf("%d distinct of %d handled in %d deliveries", len(seen), n, perSub[0]+perSub[1])
	}
	if perSub[0] == 0 || perSub[1] == 0 {
		t.Fatalf("one consumer took everything: %v", perSub)
	}
}

func testNackRedelivers(t *testing.T, open Open) {
	const backoff = 50 * time.Millisecond
	q := open(t, queue.Options{MaxDeliveries: 5, Backoff: func(int) time.Duration { return backoff }})
	var mu sync.Mutex
	var deliveries []int
	var times []time.Time
	done := make(chan struct{})
	h := func(_ context.Context, m queue.Message) error {
		mu.Lock()
		defer mu.Unlock()
		deliveries = append(deliveries, m.Delivery)
		times = append(times, time.Now())
		if m.Delivery < 3 {
			return fmt.Errorf("backend down (delivery %d)", m.Delivery)
		}
		close(done)
		return nil
	}
	if err := q.Subscribe(context.Background(), "intake", h); err != nil {
		t.Fatal(err)
	}
	publishN(t, q, "intake", 1)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("deliveries %v: never acked", deliveries)
	}
	time.Sleep(3 * backoff)
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(deliveries) != "[1 2 3]" {
		t.Fatalf("deliveries = %v, want [1 2 3]", deliveries)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < backoff {
			t.Fatalf("redelivered after %s, before the %s backoff", gap, backoff)
		}
	}
	s, err := q.Stats(context.Background(), "intake")
	if err != nil || s != (queue.Stats{}) {
		t.Fatalf("Stats after the ack = %+v, %v", s, err)
	}
}

func testDeadLetter(t *testing.T, open Open) {
	opts := fastRetry
	opts.MaxDeliveries = 3
	q := open(t, opts)
	var calls atomic.Int32
	failing := func(context.Context, queue.Message) error {
		calls.Add(1)
		return errors.New("customer record locked")
	}
	if err := q.Subscribe(context.Background(), "intake", failing); err != nil {
		t.Fatal(err)
	}
	id, err := q.Publish(context.Background(), "intake", []byte("poison"))
	if err != nil {
		t.Fatal(err)
	}
	dead := newCollector(1)
	if err := q.Subscribe(context.Background(), queue.DeadTopic("intake"), dead.handle); err != nil {
		t.Fatal(err)
	}
	dead.wait(t, 10*time.Second)
	time.Sleep(150 * time.Millisecond)
	if n := calls.Load(); n != 3 {
		t.Fatalf("handler called %d times, want MaxDeliveries = 3", n)
	}
	m := dead.msgs[0]
	want := map[string]string{
		queue.DeadLetterID:         id,
		queue.DeadLetterTopic:      "intake",
		queue.DeadLetterDeliveries: "3",
		queue.DeadLetterError:      "customer record locked",
	}
	if string(m.Payload) != "poison" || fmt.Sprint(m.Metadata) != fmt.Sprint(want) || m.Topic != queue.DeadTopic("intake") {
		t.Fatalf("dead letter = %+v, want payload poison and metadata %v", m, want)
	}
}

func testPanicNacks(t *testing.T, open Open) {
	q := open(t, fastRetry)
	done := make(chan int, 1)
	h := func(_ context.Context, m queue.Message) error {
		if m.Delivery == 1 {
			panic("nil map in handler")
		}
		done <- m.Delivery
		return nil
	}
	if err := q.Subscribe(context.Background(), "intake", h); err != nil {
		t.Fatal(err)
	}
	publishN(t, q, "intake", 1)
	select {
	case d := <-done:
		if d != 2 {
			t.Fatalf("acked on delivery %d, want 2", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a message whose handler panicked was never delivered again")
	}
}

func testConcurrency(t *testing.T, open Open) {
	q := open(t, queue.Options{Concurrency: 3})
	var running, peak atomic.Int32
	var handled atomic.Int32
	done := make(chan struct{})
	h := func(context.Context, queue.Message) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
		if handled.Add(1) == 15 {
			close(done)
		}
		return nil
	}
	publishN(t, q, "intake", 15)
	if err := q.Subscribe(context.Background(), "intake", h); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("handled %d of 15", handled.Load())
	}
	if p := peak.Load(); p != 3 {
		t.Fatalf("peak concurrency %d, want Concurrency = 3", p)
	}
}

func testFull(t *testing.T, open Open) {
	q := open(t, queue.Options{MaxLen: 3})
	publishN(t, q, "intake", 3)
	if _, err := q.Publish(context.Background(), "intake", []byte("one too many")); !errors.Is(err, queue.ErrFull) {
		t.Fatalf("Publish beyond MaxLen = %v, want ErrFull", err)
	}
	if _, err := q.Publish(context.Background(), "other", []byte("x")); err != nil {
		t.Fatalf("MaxLen is per topic, yet: %v", err)
	}
	c := newCollector(3)
	if err := q.Subscribe(context.Background(), "intake", c.handle); err != nil {
		t.Fatal(err)
	}
	c.wait(t, 10*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := q.Publish(context.Background(), "intake", []byte("room again"))
		if err == nil {
			break
		}
		if !errors.Is(err, queue.ErrFull) || time.Now().After(deadline) {
			t.Fatalf("Publish after the backlog drained = %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testStats(t *testing.T, open Open) {
	opts := fastRetry
	opts.Concurrency, opts.MaxDeliveries = 2, 1
	q := open(t, opts)
	ctx := context.Background()
	if s, err := q.Stats(ctx, "intake"); err != nil || s != (queue.Stats{}) {
		t.Fatalf("Stats of an unknown topic = %+v, %v", s, err)
	}
	publishN(t, q, "intake", 5)
	if s, err := q.Stats(ctx, "intake"); err != nil || s.Backlog != 5 || s.Pending != 0 {
		t.Fatalf("Stats before consuming = %+v, %v; want backlog 5", s, err)
	}
	release := make(chan struct{})
	var handled atomic.Int32
	h := func(_ context.Context, m queue.Message) error {
		<-release
		handled.Add(1)
		if string(m.Payload) == "m0" {
			return errors.New("dies")
		}
		return nil
	}
	if err := q.Subscribe(ctx, "intake", h); err != nil {
		t.Fatal(err)
	}
	waitStats(t, q, "intake", func(s queue.Stats) bool { return s.Backlog == 3 && s.Pending == 2 })
	close(release)
	waitStats(t, q, "intake", func(s queue.Stats) bool { return s == queue.Stats{Dead: 1} })
}

func waitStats(t *testing.T, q queue.Queue, topic string, ok func(queue.Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var s queue.Stats
	for {
		var err error
		if s, err = q.Stats(context.Background(), topic); err != nil {
			t.Fatal(err)
		}
		if ok(s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Stats stuck at %+v", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testSubscribeContextStops(t *testing.T, open Open) {
	q := open(t, queue.Options{Concurrency: 1})
	ctx, cancel := context.WithCancel(context.Background())
	first := newCollector(1)
	if err := q.Subscribe(ctx, "intake", first.handle); err != nil {
		t.Fatal(err)
	}
	publishN(t, q, "intake", 1)
	first.wait(t, 10*time.Second)
	cancel()
	time.Sleep(200 * time.Millisecond) // the consumer sees the cancellation
	if _, err := q.Publish(context.Background(), "intake", []byte("later")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	first.mu.Lock()
	n := len(first.msgs)
	first.mu.Unlock()
	if n != 1 {
		t.Fatalf("a cancelled subscription still received messages: %d", n)
	}
	second := newCollector(1)
	if err := q.Subscribe(context.Background(), "intake", second.handle); err != nil {
		t.Fatal(err)
	}
	second.wait(t, 10*time.Second)
	if string(second.msgs[0].Payload) != "later" {
		t.Fatalf("the next subscription got %q", second.msgs[0].Payload)
	}
}

func testCloseWaitsForHandlers(t *testing.T, open Open) {
	q := open(t, queue.Options{Concurrency: 2})
	started := make(chan struct{}, 2)
	var finished atomic.Int32
	h := func(ctx context.Context, _ queue.Message) error {
		started <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		finished.Add(1)
		return nil
	}
	if err := q.Subscribe(context.Background(), "intake", h); err != nil {
		t.Fatal(err)
	}
	publishN(t, q, "intake", 2)
	<-started
	<-started
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if n := finished.Load(); n != 2 {
		t.Fatalf("Close returned with %d of 2 handlers finished", n)
	}
}

func testClosed(t *testing.T, open Open) {
	q := open(t, queue.Options{})
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := q.Publish(ctx, "intake", []byte("x")); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Publish after Close = %v, want ErrClosed", err)
	}
	if err := q.Subscribe(ctx, "intake", newCollector(1).handle); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Subscribe after Close = %v, want ErrClosed", err)
	}
	if _, err := q.Stats(ctx, "intake"); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Stats after Close = %v, want ErrClosed", err)
	}
	if err := q.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func testInvalidAndCancelled(t *testing.T, open Open) {
	q := open(t, queue.Options{})
	ctx := context.Background()
	if _, err := q.Publish(ctx, "", []byte("x")); !errors.Is(err, queue.ErrInvalid) {
		t.Errorf("Publish to an empty topic = %v, want ErrInvalid", err)
	}
	if err := q.Subscribe(ctx, "", newCollector(1).handle); !errors.Is(err, queue.ErrInvalid) {
		t.Errorf("Subscribe to an empty topic = %v, want ErrInvalid", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := q.Publish(cancelled, "intake", []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Publish with a cancelled context = %v", err)
	}
	if s, err := q.Stats(ctx, "intake"); err != nil || s.Backlog != 0 {
		t.Errorf("a cancelled Publish left %+v, %v", s, err)
	}
}

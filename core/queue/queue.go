// Package queue is frontdesk's work queue: email replies, asynchronous runs and retries. It
// delivers at least once: a message is handed to one consumer at a time and delivered again
// until a handler acknowledges it, or it has failed too often and is moved to a dead-letter
// topic. The SQLite queue, in the embedded store's file, is the durable embedded default; the
// Redis Streams one is shared by many instances; the in-process Memory queue dies with its
// process. All pass the conformance suite in package queuetest.
package queue

import (
	"context"
	"fmt"
	"time"
)

// Message is one delivery of a published payload.
type Message struct {
	// ID identifies the published message across its deliveries.
	ID    string
	Topic string
	// Payload is what was published. Handlers must not modify it: a redelivery may share it.
	Payload []byte
	// Delivery counts the deliveries of this message, from 1; a handler that sees more than
	// one knows an earlier attempt failed or its consumer died.
	Delivery int
	// Metadata is set on dead letters: DeadLetterID, DeadLetterTopic, DeadLetterDeliveries
	// and DeadLetterError say where the message came from and why it died.
	Metadata map[string]string
}

// Keys of Message.Metadata on dead letters.
const (
	DeadLetterID         = "dead_letter_id"
	DeadLetterTopic      = "dead_letter_topic"
	DeadLetterDeliveries = "dead_letter_deliveries"
	DeadLetterError      = "dead_letter_error"
)

// Handler handles one delivery of a message.
//
// Returning nil acknowledges (acks) the message: it is removed and not delivered again.
// Returning an error negatively acknowledges (nacks) it: it is delivered again after
// Options.Backoff, to this or another consumer, until it has been delivered
// Options.MaxDeliveries times; the last failure moves it to the topic DeadTopic(topic).
// A panicking handler nacks. A consumer that dies while handling leaves the message
// unacknowledged, and it is delivered again (on Redis, once it has been idle for
// ClaimIdle). Because delivery is at least once, handlers must be idempotent: use the
// message's own key (Message-ID, case id) with store.Processed.
//
// The context is the one given to Subscribe; Close does not cancel it, it waits for the
// handler to return.
type Handler func(ctx context.Context, m Message) error

// Queue publishes messages to topics and delivers them to handlers.
type Queue interface {
	// Publish appends payload to the topic and returns the message's ID. It fails with
	// ErrFull when the topic already holds Options.MaxLen unacknowledged messages, so that
	// accepted work is never dropped to make room.
	Publish(ctx context.Context, topic string, payload []byte) (id string, err error)
	// Subscribe starts Options.Concurrency consumers of the topic that run h until ctx is
	// done or the queue is closed. Consumers of one topic compete: every message goes to one
	// of them, whichever Subscribe call, process or machine they belong to.
	Subscribe(ctx context.Context, topic string, h Handler) error
	// Stats reports the topic's backlog, pending and dead-letter counts.
	Stats(ctx context.Context, topic string) (Stats, error)
	// Close stops taking new deliveries, waits for the handlers in flight to return and
	// settles their results, then releases the queue. Unacknowledged messages stay in a
	// shared backend for other instances.
	Close() error
}

// Stats describes a topic at one moment.
type Stats struct {
	// Backlog counts messages published and not yet delivered: the consumers' lag.
	Backlog int64
	// Pending counts messages delivered and not yet acknowledged, those waiting to be
	// delivered again included.
	Pending int64
	// Dead counts the messages in the topic's dead-letter topic.
	Dead int64
}

// DeadTopic returns the dead-letter topic of a topic.
func DeadTopic(topic string) string { return topic + ".dead" }

// Options tune a queue. Zero fields take the defaults below.
type Options struct {
	// Concurrency is the number of handlers each Subscribe runs at once; default 4.
	Concurrency int
	// MaxDeliveries is how many times a message is delivered before it is dead-lettered;
	// default 5.
	MaxDeliveries int
	// Backoff is the wait before delivery n+1 of a message whose delivery n failed; default
	// ExponentialBackoff(100ms, 30s).
	Backoff func(delivery int) time.Duration
	// MaxLen bounds the unacknowledged messages of a topic; default 100000.
	MaxLen int
}

// Defaults of Options.
const (
	DefaultConcurrency   = 4
	DefaultMaxDeliveries = 5
	DefaultMaxLen        = 100_000
)

// WithDefaults returns the options with every zero field set to its default.
func (o Options) WithDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxDeliveries <= 0 {
		o.MaxDeliveries = DefaultMaxDeliveries
	}
	if o.Backoff == nil {
		o.Backoff = ExponentialBackoff(100*time.Millisecond, 30*time.Second)
	}
	if o.MaxLen <= 0 {
		o.MaxLen = DefaultMaxLen
	}
	return o
}

// ExponentialBackoff doubles the wait after every failed delivery, from first up to max.
func ExponentialBackoff(first, max time.Duration) func(delivery int) time.Duration {
	return func(delivery int) time.Duration {
		d := first
		for i := 1; i < delivery && d < max; i++ {
			d *= 2
		}
		return min(d, max)
	}
}

// checkCall makes the checks Publish and Stats start with, in the order every backend makes
// them: the topic, the caller's context, then whether the queue is closed.
func checkCall(ctx context.Context, topic string, closed bool) error {
	if err := CheckTopic(topic); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if closed {
		return ErrClosed
	}
	return nil
}

// CheckTopic rejects topic names no backend accepts, so every backend answers alike.
func CheckTopic(topic string) error {
	if topic == "" {
		return fmt.Errorf("%w: empty topic", ErrInvalid)
	}
	return nil
}

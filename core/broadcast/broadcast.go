// Package broadcast tells every frontdesk instance about a change one of them made, such as a
// reloaded intent model or a promoted policy version, so that reloads reach all instances.
//
// A Bus delivers each published change to every subscriber of its topic at least once while
// the subscriber runs. Subscribers treat a change as "reload now": receiving one twice is
// harmless, and missing one is not possible on the Redis bus, which also polls a sequence
// number in case a pub/sub message was lost while a connection was down.
package broadcast

import "context"

// Bus publishes changes to all instances.
type Bus interface {
	// Publish announces a change on topic to every subscriber, this process's included.
	Publish(ctx context.Context, topic string, payload []byte) error
	// Subscribe calls fn for every change on topic until ctx ends. fn runs on one goroutine per
	// subscription, so calls to it never overlap.
	Subscribe(ctx context.Context, topic string, fn func(payload []byte)) error
	// Close stops every subscription.
	Close() error
}

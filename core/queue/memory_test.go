package queue_test

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/queue/queuetest"
)

func TestMemoryConformance(t *testing.T) {
	queuetest.Run(t, func(t *testing.T, opts queue.Options) queue.Queue { return queue.NewMemory(opts) })
}

package webchat

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/session"
)

// lostAnswer is a session store whose next compare-and-set of a chat record is applied but
// answered with a conflict, as when Redis applied a write and the connection broke before
// its answer, so that the client's retry found the version already moved on.
type lostAnswer struct {
	session.Store
	armed bool
}

func (s *lostAnswer) CompareAndSet(ctx context.Context, key string, value []byte, version uint64, ttl time.Duration) (uint64, error) {
	v, err := s.Store.CompareAndSet(ctx, key, value, version, ttl)
	if err == nil && s.armed && !strings.Contains(key, "/batch/") {
		s.armed = false
		return 0, session.ErrConflict
	}
	return v, err
}

// TestPushWhoseAnswerWasLostKeepsItsMessages: the push sees its own frame id handled, by its
// own applied write, and must return and keep its messages rather than drop them as another
// connection's.
func TestPushWhoseAnswerWasLostKeepsItsMessages(t *testing.T) {
	ctx := context.Background()
	store := &lostAnswer{Store: session.NewMemory()}
	c := chats{store: store, ttl: time.Hour}
	token, err := c.create(ctx, &chat{ConversationID: "webchat-lost"})
	if err != nil {
		t.Fatal(err)
	}
	store.armed = true
	frames, err := c.push(ctx, token, "3", []Message{{From: "bot", Text: "Your card is reported lost."}})
	if err != nil || len(frames) != 1 || frames[0].Seq != 1 {
		t.Fatalf("push: %+v, %v; want the one message as seq 1", frames, err)
	}
	ch, _, err := c.get(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := c.since(ctx, token, ch, 0)
	if err != nil || len(resumed) != 1 || resumed[0].Message.Text != "Your card is reported lost." {
		t.Fatalf("a resumed client gets %+v, %v; want the message", resumed, err)
	}
}

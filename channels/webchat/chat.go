package webchat

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// chat is one chat's state, kept in the session store under its session token so that a
// reconnect may land on any instance: who the customer is, the conversation it feeds, and the
// outbox of message frames a resuming client may have missed.
type chat struct {
	ConversationID string          `json:"conversation_id"`
	CaseID         string          `json:"case_id,omitempty"`
	Contact        message.Contact `json:"contact"`
	// Intent is the valet key's intent, named to the router on the first turn.
	Intent string `json:"intent,omitempty"`
	// Started is set once the first turn (the bot's opening) is done.
	Started bool `json:"started"`
	// Seq is the Seq of the last message frame; Outbox keeps the latest of them.
	Seq    uint64        `json:"seq"`
	Outbox []ServerFrame `json:"outbox,omitempty"`
	// Handled are the ids of the latest client frames handled, so a frame sent again after a
	// reconnect is not handled twice.
	Handled []string `json:"handled,omitempty"`
}

// Bounds of a chat's saved state.
const (
	maxOutbox  = 200
	maxHandled = 32
)

// errNoChat reports a resume of a session that does not exist (or expired).
var errNoChat = errors.New("no chat with this session; it may have expired")

// chats reads and writes chat state.
type chats struct {
	store session.Store
	ttl   time.Duration
}

func chatKey(token string) string { return "webchat/" + token }

// newSessionToken is 128 random bits: the chat's session token is its only credential.
func newSessionToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// create saves a new chat and returns its session token.
func (c chats) create(ctx context.Context, ch *chat) (string, error) {
	token := newSessionToken()
	data, err := json.Marshal(ch)
	if err != nil {
		return "", err
	}
	if _, err := c.store.CompareAndSet(ctx, chatKey(token), data, 0, c.ttl); err != nil {
		return "", fmt.Errorf("save chat: %w", err)
	}
	return token, nil
}

func (c chats) get(ctx context.Context, token string) (*chat, uint64, error) {
	data, version, err := c.store.Get(ctx, chatKey(token))
	if errors.Is(err, session.ErrNotFound) {
		return nil, 0, errNoChat
	}
	if err != nil {
		return nil, 0, fmt.Errorf("load chat: %w", err)
	}
	var ch chat
	if err := json.Unmarshal(data, &ch); err != nil {
		return nil, 0, fmt.Errorf("chat state unreadable: %w", err)
	}
	return &ch, version, nil
}

// update applies change to the chat and saves it, retrying when another connection of the
// same chat saved in between. change returns false to leave the chat as it is.
func (c chats) update(ctx context.Context, token string, change func(*chat) bool) (*chat, error) {
	for attempt := 0; attempt < 5; attempt++ {
		ch, version, err := c.get(ctx, token)
		if err != nil {
			return nil, err
		}
		if !change(ch) {
			return ch, nil
		}
		data, err := json.Marshal(ch)
		if err != nil {
			return nil, err
		}
		_, err = c.store.CompareAndSet(ctx, chatKey(token), data, version, c.ttl)
		if err == nil {
			return ch, nil
		}
		if !errors.Is(err, session.ErrConflict) {
			return nil, fmt.Errorf("save chat: %w", err)
		}
	}
	return nil, errors.New("chat kept changing under other connections")
}

// push numbers message frames, adds them to the outbox and remembers the client frame id
// they answer, all in one write, and marks the chat started. It returns the frames as
// numbered; none when the chat already handled clientID (another connection was faster).
func (c chats) push(ctx context.Context, token, clientID string, msgs []Message) ([]ServerFrame, error) {
	var out []ServerFrame
	_, err := c.update(ctx, token, func(ch *chat) bool {
		out = nil
		if slices.Contains(ch.Handled, clientID) {
			return false
		}
		for i := range msgs {
			ch.Seq++
			out = append(out, ServerFrame{Type: TypeMessage, Seq: ch.Seq, Message: &msgs[i]})
		}
		ch.Outbox = append(ch.Outbox, out...)
		if len(ch.Outbox) > maxOutbox {
			ch.Outbox = slices.Clone(ch.Outbox[len(ch.Outbox)-maxOutbox:])
		}
		ch.Handled = append(ch.Handled, clientID)
		if len(ch.Handled) > maxHandled {
			ch.Handled = slices.Clone(ch.Handled[len(ch.Handled)-maxHandled:])
		}
		ch.Started = true
		return true
	})
	return out, err
}

// since returns the outbox frames after seq.
func (ch *chat) since(seq uint64) []ServerFrame {
	i, _ := slices.BinarySearchFunc(ch.Outbox, seq+1, func(f ServerFrame, s uint64) int {
		return cmp.Compare(f.Seq, s)
	})
	return ch.Outbox[i:]
}

// choiceLabel is the label of value in the latest question with quick replies, so the
// customer sees their answer in their own words; the value itself when none matches.
func (ch *chat) choiceLabel(value string) string {
	for i := len(ch.Outbox) - 1; i >= 0; i-- {
		m := ch.Outbox[i].Message
		if m == nil || len(m.QuickReplies) == 0 {
			continue
		}
		for _, q := range m.QuickReplies {
			if q.Value == value {
				return q.Label
			}
		}
		break
	}
	return value
}

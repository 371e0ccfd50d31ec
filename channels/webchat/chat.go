package webchat

import (
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
// reconnect may land on any instance: who the customer is, the conversation it feeds, and
// where the numbered messages a resuming client may have missed are saved.
//
// The messages of each turn are one session value of their own (a batch), and the chat
// lists the batches: a turn then writes its own messages and this small record, instead of
// rewriting the whole transcript (a 200-message transcript cost 1 to 2 ms a turn).
type chat struct {
	ConversationID string          `json:"conversation_id"`
	CaseID         string          `json:"case_id,omitempty"`
	Contact        message.Contact `json:"contact"`
	// Intent is the valet key's intent, named to the router on the first turn.
	Intent string `json:"intent,omitempty"`
	// Started is set once the first turn (the bot's opening) is done.
	Started bool `json:"started"`
	// Seq is the Seq of the last message; Batches locate the latest messages.
	Seq     uint64  `json:"seq"`
	Batches []batch `json:"batches,omitempty"`
	// Handled are the ids of the latest client frames handled, so a frame sent again after a
	// reconnect is not handled twice.
	Handled []string `json:"handled,omitempty"`
	// Choices are the quick replies of the latest question, to echo a choice by its label.
	Choices []QuickReply `json:"choices,omitempty"`
}

// batch is the messages of one turn: Count messages numbered from First, saved under the
// chat's key and ID (batchKey).
type batch struct {
	First uint64 `json:"f"`
	Count int    `json:"n"`
	ID    string `json:"id"`
}

func batchKey(token, id string) string { return chatKey(token) + "/batch/" + id }

// newBatchID is 64 random bits: unique within one chat.
func newBatchID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Bounds of a chat's saved state.
const (
	maxBatches = 64
	maxHandled = 16
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

// push saves the messages of one turn, answering the client frame clientID, and returns
// them numbered; none when the chat already handled clientID (another connection was
// faster). The batch is written first under a key of its own and then listed in the chat
// with compare-and-set, so a crash between the two leaves an unlisted batch that expires,
// never a listed one that is missing.
func (c chats) push(ctx context.Context, token, clientID string, msgs []Message) ([]ServerFrame, error) {
	data, err := json.Marshal(msgs)
	if err != nil {
		return nil, err
	}
	id := newBatchID()
	key := batchKey(token, id)
	if err := c.store.Put(ctx, key, data, c.ttl); err != nil {
		return nil, fmt.Errorf("save messages: %w", err)
	}
	for attempt := 0; attempt < 5; attempt++ {
		ch, version, err := c.get(ctx, token)
		if err != nil {
			return nil, err
		}
		if slices.Contains(ch.Handled, clientID) {
			if b, ok := ch.batch(id); ok {
				// This very push was applied by an attempt whose answer was lost (a Redis
				// connection cut after the write; the client's retry then saw the new
				// version): these are its messages, and its batch must stay.
				return numbered(b.First, msgs), nil
			}
			// Another connection handled the frame: this push adds nothing.
			_ = c.store.Delete(ctx, key)
			return nil, nil
		}
		first := ch.Seq + 1
		ch.addBatch(batch{First: first, Count: len(msgs), ID: id}, clientID, msgs)
		state, err := json.Marshal(ch)
		if err != nil {
			return nil, err
		}
		_, err = c.store.CompareAndSet(ctx, chatKey(token), state, version, c.ttl)
		if errors.Is(err, session.ErrConflict) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("save chat: %w", err)
		}
		return numbered(first, msgs), nil
	}
	return nil, errors.New("chat kept changing under other connections")
}

// batch finds a recorded batch by its id.
func (ch *chat) batch(id string) (batch, bool) {
	for _, b := range ch.Batches {
		if b.ID == id {
			return b, true
		}
	}
	return batch{}, false
}

// addBatch records a pushed batch in the chat.
func (ch *chat) addBatch(b batch, clientID string, msgs []Message) {
	ch.Seq += uint64(b.Count)
	ch.Batches = append(ch.Batches, b)
	if len(ch.Batches) > maxBatches {
		// The dropped batches' values expire with their ttl.
		ch.Batches = slices.Clone(ch.Batches[len(ch.Batches)-maxBatches:])
	}
	ch.Handled = append(ch.Handled, clientID)
	if len(ch.Handled) > maxHandled {
		ch.Handled = slices.Clone(ch.Handled[len(ch.Handled)-maxHandled:])
	}
	for _, m := range msgs {
		if m.From == "bot" && (len(m.QuickReplies) > 0 || m.Form != nil) {
			ch.Choices = m.QuickReplies
		}
	}
	ch.Started = true
}

func numbered(first uint64, msgs []Message) []ServerFrame {
	out := make([]ServerFrame, len(msgs))
	for i := range msgs {
		out[i] = ServerFrame{Type: TypeMessage, Seq: first + uint64(i), Message: &msgs[i]}
	}
	return out
}

// since returns the saved messages after seq, in order. A batch whose value expired (a chat
// idle for longer than the ttl of its early turns) is skipped.
func (c chats) since(ctx context.Context, token string, ch *chat, seq uint64) ([]ServerFrame, error) {
	var out []ServerFrame
	for _, b := range ch.Batches {
		if b.First+uint64(b.Count) <= seq+1 {
			continue
		}
		data, _, err := c.store.Get(ctx, batchKey(token, b.ID))
		if errors.Is(err, session.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load messages: %w", err)
		}
		var msgs []Message
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, fmt.Errorf("messages unreadable: %w", err)
		}
		for _, f := range numbered(b.First, msgs) {
			if f.Seq > seq {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// choiceLabel is the label of value among the latest question's quick replies, so the
// customer sees their answer in their own words; the value itself when none matches.
func (ch *chat) choiceLabel(value string) string {
	for _, q := range ch.Choices {
		if q.Value == value {
			return q.Label
		}
	}
	return value
}

package webchat

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk/core/message"
)

// Client frame types (docs/channels/webchat.md).
const (
	TypeHello  = "hello"
	TypeResume = "resume"
	TypeText   = "text"
	TypeChoice = "choice"
	TypeForm   = "form"
	TypeCSAT   = "csat"
	TypeTyping = "typing"
)

// Server frame types.
const (
	TypeWelcome = "welcome"
	TypeMessage = "message"
	TypeAck     = "ack"
	TypeError   = "error"
)

// ClientFrame is one JSON frame from the browser. Which fields count depends on Type.
type ClientFrame struct {
	Type string `json:"type"`
	// ID is the client's id of a text, choice, form or csat frame; the server acks it and
	// handles a frame sent again with the same id (after a reconnect) only once.
	ID string `json:"id,omitempty"`
	// Key (a valet key) or Token (a portal JWT) open a chat in hello.
	Key   string `json:"key,omitempty"`
	Token string `json:"token,omitempty"`
	// Session and LastSeq resume a chat: the server sends every message after LastSeq.
	Session string `json:"session,omitempty"`
	LastSeq uint64 `json:"last_seq,omitempty"`
	Text    string `json:"text,omitempty"`
	// Value is the chosen quick reply.
	Value string `json:"value,omitempty"`
	// Fields are a form's values by field name.
	Fields map[string]string `json:"fields,omitempty"`
	// Score is a satisfaction rating, 1 to 5.
	Score int `json:"score,omitempty"`
}

// ServerFrame is one JSON frame to the browser. Message frames carry Seq, counted per chat
// from 1 and kept in the session store, so a resumed chat gets what it missed; welcome, ack,
// typing and error frames belong to one connection and carry none.
type ServerFrame struct {
	Type string `json:"type"`
	Seq  uint64 `json:"seq,omitempty"`
	// Welcome: the chat's session token (keep it to resume) and the last message's Seq.
	Session string `json:"session,omitempty"`
	LastSeq uint64 `json:"last_seq,omitempty"`
	// Ack: the id of the accepted client frame.
	ID string `json:"id,omitempty"`
	// Typing: whether the bot is working on an answer.
	On *bool `json:"on,omitempty"`
	// Message: what the bot says and asks.
	Message *Message `json:"message,omitempty"`
	// Error: a stable code, an HTTP-like status and a message for people.
	Code    string `json:"code,omitempty"`
	Status  int    `json:"status,omitempty"`
	Text    string `json:"text,omitempty"`
	Closing bool   `json:"closing,omitempty"`
}

// Message is a bot message rendered for chat.
type Message struct {
	Text         string         `json:"text,omitempty"`
	QuickReplies []QuickReply   `json:"quick_replies,omitempty"`
	Form         *Form          `json:"form,omitempty"`
	Card         map[string]any `json:"card,omitempty"`
	Error        string         `json:"error,omitempty"`
	CSAT         bool           `json:"csat,omitempty"`
	End          *message.End   `json:"end,omitempty"`
	Handoff      *HandoffNotice `json:"handoff,omitempty"`
	// From is who speaks: "bot", or "customer" for the customer's own words echoed to
	// every device of the chat.
	From string `json:"from"`
}

// QuickReply is one button answering a question.
type QuickReply struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Form is a question answered with named fields.
type Form struct {
	Node   string      `json:"node,omitempty"`
	Fields []FormField `json:"fields"`
	// Errors says what is wrong with each rejected field.
	Errors map[string]string `json:"errors,omitempty"`
	Submit string            `json:"submit"`
}

// FormField is one input of a form, with the checks the page applies before sending.
type FormField struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Required bool   `json:"required,omitempty"`
	Max      int    `json:"max,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
}

// HandoffNotice tells the customer that a person takes over.
type HandoffNotice struct {
	Team string `json:"team"`
}

// Limits of what a client frame may hold.
const (
	maxIDLength    = 64
	maxFields      = 32
	maxFieldLength = 1024
)

// errFrame wraps what is wrong with a client frame.
var errFrame = errors.New("bad frame")

// DecodeClientFrame parses and checks one client frame.
func DecodeClientFrame(data []byte) (ClientFrame, error) {
	var f ClientFrame
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return ClientFrame{}, fmt.Errorf("%w: not a JSON frame of the protocol: %v", errFrame, err)
	}
	if dec.More() {
		return ClientFrame{}, fmt.Errorf("%w: more than one JSON value", errFrame)
	}
	if len(f.ID) > maxIDLength {
		return ClientFrame{}, fmt.Errorf("%w: id is longer than %d bytes", errFrame, maxIDLength)
	}
	switch f.Type {
	case TypeHello, TypeTyping:
	case TypeResume:
		if f.Session == "" {
			return ClientFrame{}, fmt.Errorf("%w: resume needs session", errFrame)
		}
	case TypeText:
		if strings.TrimSpace(f.Text) == "" || !utf8.ValidString(f.Text) {
			return ClientFrame{}, fmt.Errorf("%w: text needs a non-empty UTF-8 text", errFrame)
		}
	case TypeChoice:
		if f.Value == "" {
			return ClientFrame{}, fmt.Errorf("%w: choice needs value", errFrame)
		}
	case TypeForm:
		if len(f.Fields) == 0 || len(f.Fields) > maxFields {
			return ClientFrame{}, fmt.Errorf("%w: form needs 1 to %d fields", errFrame, maxFields)
		}
		for name, v := range f.Fields {
			if len(v) > maxFieldLength || !utf8.ValidString(v) {
				return ClientFrame{}, fmt.Errorf("%w: field %q is not UTF-8 of at most %d bytes", errFrame, name, maxFieldLength)
			}
		}
	case TypeCSAT:
		if f.Score < 1 || f.Score > 5 {
			return ClientFrame{}, fmt.Errorf("%w: csat score must be 1 to 5", errFrame)
		}
	case "":
		return ClientFrame{}, fmt.Errorf("%w: type is required", errFrame)
	default:
		return ClientFrame{}, fmt.Errorf("%w: unknown type %q", errFrame, f.Type)
	}
	return f, nil
}

// Package router handles one customer message end to end: it loads the conversation, resumes
// a waiting policy run or recognizes the intent and starts the policy that serves it, dispatches
// the run's actions, logs every automated decision on the CRM case, and saves the conversation
// so that any instance can take the next turn.
package router

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Handler handles one message and returns the replies for the channel to render.
type Handler func(ctx context.Context, msg message.Message) ([]message.Reply, error)

// Policies finds the policy for an intent and, as a policy.Library, the version a suspended
// run needs. *policy.Set is one.
type Policies interface {
	policy.Library
	ForIntent(intent string) (*policy.Compiled, bool)
}

// Config is what a Router is built from. Sessions and Policies are required.
type Config struct {
	Sessions session.Store
	Policies Policies
	// Classifier recognizes intents of messages that do not name one; without it such
	// messages go to the routing table's default team.
	Classifier intent.Classifier
	// Routing names the human team for intents no policy serves.
	Routing Routing
	// CRM receives cases, the decision log and handoffs; without it decisions are only logged.
	CRM plugin.CRM
	// Actions are added to the built-in actions (plugin actions, one-time codes).
	Actions policy.Actions
	// Executors serve executor nodes.
	Executors policy.Executors
	// Runs records finished runs for analytics; optional.
	Runs store.Runs
	// Versions picks the version serving a new run instead of the Live one, as experiments
	// do; optional.
	Versions VersionChooser
	// Shadow runs shadow versions beside live runs; optional.
	Shadow Shadower
	// ConversationTTL is how long an idle conversation is kept; 24 hours when zero.
	ConversationTTL time.Duration
	Logger          *slog.Logger
	// Clock is the time source; time.Now when nil.
	Clock func() time.Time
}

// Router handles messages. It keeps no conversation in memory between calls.
type Router struct {
	cfg    Config
	engine *policy.Engine
	log    *slog.Logger
}

// Errors a channel maps to its own answer (HTTP 400, 409, ...).
var (
	// ErrBadMessage wraps what is wrong with a message.
	ErrBadMessage = errors.New("bad message")
	// ErrBusy reports that the conversation kept changing under concurrent messages.
	ErrBusy = errors.New("conversation is busy with another message")
)

// MaxTextLength is the longest message text accepted, in characters. Channels truncate or
// reject longer texts before they get here.
const MaxTextLength = 64 << 10

// New builds a router.
func New(cfg Config) (*Router, error) {
	if cfg.Sessions == nil || cfg.Policies == nil {
		return nil, errors.New("router: sessions and policies are required")
	}
	if cfg.ConversationTTL == 0 {
		cfg.ConversationTTL = 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = func() time.Time { return time.Now().UTC() }
	}
	r := &Router{cfg: cfg, log: cfg.Logger}
	r.engine = &policy.Engine{
		Actions:   BuiltinActions(cfg.Logger).Merge(cfg.Actions),
		Executors: cfg.Executors,
		Library:   cfg.Policies,
		Clock:     cfg.Clock,
	}
	return r, nil
}

// Actions returns every action policies may call: the built-ins and the configured ones, so
// that policies can be validated against them.
func (r *Router) Actions() policy.Actions { return r.engine.Actions }

// maxAttempts bounds the retries of a turn whose conversation was changed concurrently.
const maxAttempts = 3

// Handle handles one message: see the package documentation.
func (r *Router) Handle(ctx context.Context, msg message.Message) ([]message.Reply, error) {
	if err := validate(&msg); err != nil {
		return nil, err
	}
	if msg.ConversationID == "" {
		msg.ConversationID = newID()
	}
	if msg.ReceivedAt.IsZero() {
		msg.ReceivedAt = r.cfg.Clock()
	}
	for attempt := 1; ; attempt++ {
		replies, err := r.turn(ctx, msg)
		if !errors.Is(err, session.ErrConflict) {
			return replies, err
		}
		if attempt == maxAttempts {
			return nil, ErrBusy
		}
	}
}

func validate(msg *message.Message) error {
	if msg.Channel == "" {
		return fmt.Errorf("%w: channel is required", ErrBadMessage)
	}
	if !utf8.ValidString(msg.Text) {
		return fmt.Errorf("%w: text is not valid UTF-8", ErrBadMessage)
	}
	if utf8.RuneCountInString(msg.Text) > MaxTextLength {
		return fmt.Errorf("%w: text is longer than %d characters", ErrBadMessage, MaxTextLength)
	}
	msg.Text = strings.TrimSpace(msg.Text)
	if msg.Text == "" && len(msg.Input) == 0 && msg.Intent == "" {
		return fmt.Errorf("%w: a message needs text, input or an intent", ErrBadMessage)
	}
	return nil
}

// turn is one attempt at a message; it fails with session.ErrConflict when another instance
// saved the conversation in the meantime.
func (r *Router) turn(ctx context.Context, msg message.Message) ([]message.Reply, error) {
	conv, version, err := r.load(ctx, msg)
	if err != nil {
		return nil, err
	}
	if msg.ID != "" && msg.ID == conv.LastMessageID {
		// A redelivered message: answer as before and do nothing twice.
		return conv.LastReplies, nil
	}
	if err := check(ctx, conv, version, &msg); err != nil {
		return nil, err
	}
	t := &turn{r: r, msg: msg, conv: conv, started: time.Now()}
	if err := t.ensureCase(ctx); err != nil {
		r.log.WarnContext(ctx, "case not created", "conversation", conv.ID, "err", err)
	}
	var replies []message.Reply
	if len(conv.Run) > 0 {
		replies = t.resume(ctx)
	} else {
		replies = t.start(ctx)
	}
	conv.Turns++
	conv.UpdatedAt = r.cfg.Clock()
	conv.LastMessageID = msg.ID
	conv.LastReplies = replies
	if err := r.save(ctx, conv, version); err != nil {
		return nil, err
	}
	t.rememberCase(ctx)
	t.flushLog(ctx)
	return replies, nil
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

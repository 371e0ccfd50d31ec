package voice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// HandOff ends a conversation's waiting run and hands it to a human team, logging the reason
// on the case; msg names the conversation, and in ID a turn still running whose result is to
// be dropped. (*router.Router).HandOff is one.
type HandOff func(ctx context.Context, msg message.Message, reason string) ([]message.Reply, error)

// Config is what a Voice is built from. Channel, Sessions, Handle and HandOff are required.
type Config struct {
	// Channel names the platform in messages ("twilio", "genesys").
	Channel  string
	Sessions session.Store
	Handle   router.Handler
	HandOff  HandOff
	// Reprompts is how many times a question is asked again after no input or an answer
	// that matches no choice, before the call is handed off (2).
	Reprompts int
	// Greeting opens a call that starts without words (a Twilio call) (How can I help you?).
	Greeting string
	// NoInput and NoMatch start a reprompt.
	NoInput string
	NoMatch string
	// TTL is how long a call's state is kept after its last turn (1h).
	TTL time.Duration
	// Finish bounds the work of one turn that TurnWithin left running after the platform got
	// its holding answer (30s).
	Finish time.Duration
}

// Voice runs the turns of voice calls: matching answers, reprompting, handing off.
type Voice struct {
	cfg Config
}

// New checks the configuration and fills its defaults.
func New(cfg Config) (*Voice, error) {
	if cfg.Channel == "" || cfg.Sessions == nil || cfg.Handle == nil || cfg.HandOff == nil {
		return nil, errors.New("voice: channel, sessions, handle and hand-off are required")
	}
	if cfg.Reprompts < 0 {
		return nil, fmt.Errorf("voice: reprompts must not be negative, got %d", cfg.Reprompts)
	}
	if cfg.Reprompts == 0 {
		cfg.Reprompts = 2
	}
	for _, d := range []struct {
		s *string
		v string
	}{
		{&cfg.Greeting, "How can I help you today?"},
		{&cfg.NoInput, "Sorry, I did not hear anything."},
		{&cfg.NoMatch, "Sorry, I did not get that."},
	} {
		if *d.s == "" {
			*d.s = d.v
		}
	}
	if cfg.TTL == 0 {
		cfg.TTL = time.Hour
	}
	if cfg.Finish == 0 {
		cfg.Finish = 30 * time.Second
	}
	return &Voice{cfg: cfg}, nil
}

// Call identifies the call a turn belongs to and what the platform knows of the caller.
type Call struct {
	// ConversationID is derived from the platform's call or session id.
	ConversationID string
	// MessageID, when the platform gives one, makes a redelivered turn harmless.
	MessageID string
	Contact   message.Contact
	Locale    string
	Metadata  map[string]string
}

// state is what a call keeps between turns: what is known of the caller (a customer id from
// the first request's URL), the question asked and the reprompts spent on it.
type state struct {
	Contact message.Contact `json:"contact"`
	Prompt  *Prompt         `json:"prompt,omitempty"`
	NoInput int             `json:"no_input,omitempty"`
	NoMatch int             `json:"no_match,omitempty"`
}

func stateKey(conversationID string) string { return "voice:" + conversationID }

// Turn handles one turn of a call and returns what to say next.
func (v *Voice) Turn(ctx context.Context, call Call, in Input) (Prompt, error) {
	if call.ConversationID == "" {
		return Prompt{}, fmt.Errorf("%w: a call id is required", router.ErrBadMessage)
	}
	st, err := v.load(ctx, call.ConversationID)
	if err != nil {
		return Prompt{}, err
	}
	call.Contact = remember(&st.Contact, call.Contact)
	asked := st.Prompt != nil && st.Prompt.Listen
	if in.Empty() {
		if !asked {
			return v.save(ctx, call, state{Contact: st.Contact}, Prompt{Say: v.cfg.Greeting, Listen: true})
		}
		st.NoInput++
		return v.reprompt(ctx, call, st, st.NoInput, v.cfg.NoInput, "no input")
	}
	msg := message.Message{
		ID: call.MessageID, Channel: v.cfg.Channel, ConversationID: call.ConversationID, Contact: call.Contact,
		Locale: call.Locale, Metadata: call.Metadata, Intent: in.Intent,
	}
	switch {
	case asked && len(st.Prompt.Choices) > 0:
		value, ok := st.Prompt.Match(in)
		if !ok {
			st.NoMatch++
			return v.reprompt(ctx, call, st, st.NoMatch, v.cfg.NoMatch, "no match")
		}
		msg.Input = map[string]any{"choice": value}
	case in.Speech != "":
		msg.Text = in.Speech
	case in.DTMF != "":
		msg.Text = in.DTMF
	default:
		msg.Text = in.Choice
	}
	replies, err := v.cfg.Handle(ctx, msg)
	if err != nil {
		return Prompt{}, err
	}
	return v.save(ctx, call, state{Contact: st.Contact}, Render(replies))
}

// remember adds what this turn tells of the caller to what earlier turns told, and returns
// the whole.
func remember(known *message.Contact, now message.Contact) message.Contact {
	for _, f := range []struct {
		k *string
		n string
	}{{&known.Phone, now.Phone}, {&known.CustomerID, now.CustomerID}, {&known.Email, now.Email}, {&known.Name, now.Name}, {&known.PortalUserID, now.PortalUserID}} {
		if f.n != "" {
			*f.k = f.n
		}
	}
	if known.Attributes == nil {
		known.Attributes = now.Attributes
	}
	return *known
}

// reprompt asks the waiting question again, or hands the call off once the reprompts are
// spent.
func (v *Voice) reprompt(ctx context.Context, call Call, st state, count int, lead, what string) (Prompt, error) {
	if count > v.cfg.Reprompts {
		return v.giveUp(ctx, call, fmt.Sprintf("%s after %d prompts at %s", what, count, st.Prompt.Node))
	}
	p := *st.Prompt
	p.Say = lead + " " + p.Say
	if p.SSML != "" {
		p.SSML = "<speak>" + escape(lead) + " " + innerSSML(p.SSML) + "</speak>"
	}
	if err := v.put(ctx, call.ConversationID, st); err != nil {
		return Prompt{}, err
	}
	return p, nil
}

// giveUp hands the call to a human through the router, so the decision is on the case. A turn
// TurnWithin left running is named, so that its late end does not start the policy again.
func (v *Voice) giveUp(ctx context.Context, call Call, reason string) (Prompt, error) {
	running := ""
	if data, _, err := v.cfg.Sessions.Get(ctx, runningKey(call.ConversationID)); err == nil {
		running = string(data)
	}
	replies, err := v.cfg.HandOff(ctx, message.Message{ID: running, Channel: v.cfg.Channel, ConversationID: call.ConversationID,
		Contact: call.Contact}, reason)
	if err != nil {
		return Prompt{}, err
	}
	return v.save(ctx, call, state{}, Render(replies))
}

// save keeps the prompt as the call's question while it listens, and forgets the call when
// it is over.
func (v *Voice) save(ctx context.Context, call Call, st state, p Prompt) (Prompt, error) {
	if !p.Listen {
		return p, v.cfg.Sessions.Delete(ctx, stateKey(call.ConversationID))
	}
	st.Prompt = &p
	return p, v.put(ctx, call.ConversationID, st)
}

func (v *Voice) put(ctx context.Context, id string, st state) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := v.cfg.Sessions.Put(ctx, stateKey(id), data, v.cfg.TTL); err != nil {
		return fmt.Errorf("voice: save call %s: %w", id, err)
	}
	return nil
}

func (v *Voice) load(ctx context.Context, id string) (state, error) {
	var st state
	data, _, err := v.cfg.Sessions.Get(ctx, stateKey(id))
	switch {
	case errors.Is(err, session.ErrNotFound):
		return st, nil
	case err != nil:
		return st, fmt.Errorf("voice: load call %s: %w", id, err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		// State of an older version: start the call's bookkeeping afresh.
		return state{}, nil
	}
	return st, nil
}

package voice_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
	"github.com/frontdeskhq/frontdesk/core/message"
)

func newVoice(t *testing.T, s *voicetest.Stack) *voice.Voice {
	v, err := voice.New(voice.Config{Channel: message.ChannelTwilio, Sessions: s.Sessions, Handle: s.Handle, HandOff: s.Router.HandOff})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// One stack for the package's tests: the local plugin takes a second to build and start.
func TestTurns(t *testing.T) {
	s := voicetest.Start(t)
	v := newVoice(t, s)
	ctx := context.Background()
	contact := message.Contact{CustomerID: voicetest.Customer, Phone: "+447700900101"}
	turn := func(t *testing.T, id string, in voice.Input) voice.Prompt {
		t.Helper()
		p, err := v.Turn(ctx, voice.Call{ConversationID: id, Contact: contact}, in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("card lost by keys and speech", func(t *testing.T) {
		if p := turn(t, "v1", voice.Input{}); p.Say != "How can I help you today?" || !p.Listen {
			t.Fatalf("greeting %+v", p)
		}
		p := turn(t, "v1", voice.Input{Speech: "I lost my card"})
		if p.Node != "what_happened" || p.Say != "If your card was lost, press 1. If it was stolen, press 2." {
			t.Fatalf("question %+v", p)
		}
		if p = turn(t, "v1", voice.Input{DTMF: "1"}); p.Node != "replace" {
			t.Fatalf("replace %+v", p)
		}
		p = turn(t, "v1", voice.Input{Speech: "yes please"})
		if p.Listen || p.End == nil || p.End.Resolution != "replacement_requested" {
			t.Fatalf("end %+v", p)
		}
		c, log := s.Case(t, "v1")
		if c.Queue != "cards" || c.Category != "card_lost" || !strings.Contains(log, "ended: replacement_requested") {
			t.Fatalf("case %+v\n%s", c, log)
		}
	})

	t.Run("no input, then no match, then hand-off on the case", func(t *testing.T) {
		turn(t, "v2", voice.Input{Speech: "my card was stolen"})
		p := turn(t, "v2", voice.Input{})
		if !strings.HasPrefix(p.Say, "Sorry, I did not hear anything. If your card") || p.Node != "what_happened" {
			t.Fatalf("no-input reprompt %+v", p)
		}
		if p = turn(t, "v2", voice.Input{Speech: "bananas"}); !strings.HasPrefix(p.Say, "Sorry, I did not get that.") {
			t.Fatalf("no-match reprompt %+v", p)
		}
		turn(t, "v2", voice.Input{DTMF: "9"})
		p = turn(t, "v2", voice.Input{DTMF: "8"})
		if p.Handoff == nil || p.Listen || p.Handoff.Intent != "card_lost_stolen" {
			t.Fatalf("hand-off %+v", p)
		}
		c, log := s.Case(t, "v2")
		if c.Queue != "general-support" || !strings.Contains(log, "no match after 3 prompts at what_happened") {
			t.Fatalf("case %+v\n%s", c, log)
		}
		// The call is over: its voice state is gone, the next turn greets.
		if p = turn(t, "v2", voice.Input{}); p.Say != "How can I help you today?" {
			t.Fatalf("after hand-off %+v", p)
		}
	})

	t.Run("a slow turn answers in time and finishes in the background", func(t *testing.T) {
		s.Sleep = 400 * time.Millisecond
		call := voice.Call{ConversationID: "v3", Contact: contact}
		p, pending, err := v.TurnWithin(call, voice.Input{Speech: "slow please"}, 50*time.Millisecond)
		if err != nil || !pending || p.Say != "" {
			t.Fatalf("got %+v %v %v", p, pending, err)
		}
		if _, err := v.Await(ctx, call, 10*time.Millisecond); !errors.Is(err, voice.ErrStillRunning) {
			t.Fatalf("await early: %v", err)
		}
		p, err = v.Await(ctx, call, 3*time.Second)
		if err != nil || p.End == nil || p.End.Resolution != "slept" {
			t.Fatalf("late prompt %+v %v", p, err)
		}
		p, pending, err = v.TurnWithin(voice.Call{ConversationID: "v4", Contact: contact}, voice.Input{Speech: "I lost my card"}, 5*time.Second)
		if err != nil || pending || p.Node == "" {
			t.Fatalf("fast turn %+v %v %v", p, pending, err)
		}
	})
}

func TestNewChecksConfig(t *testing.T) {
	if _, err := voice.New(voice.Config{Channel: "twilio"}); err == nil {
		t.Fatal("a voice without a router was accepted")
	}
}

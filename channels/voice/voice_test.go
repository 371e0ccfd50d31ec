package voice

import (
	"reflect"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/message"
)

var lostOrStolen = message.Reply{
	Text: "Was your card lost, or was it stolen?", Node: "what_happened",
	Choices: []message.Choice{{Value: "lost", Label: "Lost"}, {Value: "stolen", Label: "Stolen"}},
}

func TestRenderFallsBackToDigits(t *testing.T) {
	p := Render([]message.Reply{{Text: "Sorry to hear that."}, lostOrStolen})
	want := "Sorry to hear that. Was your card lost, or was it stolen? For Lost, press 1. For Stolen, press 2."
	if p.Say != want || !p.Listen || p.Node != "what_happened" || p.SSML != "" {
		t.Fatalf("got %+v", p)
	}
	if !reflect.DeepEqual(p.DTMF, map[string]string{"1": "lost", "2": "stolen"}) {
		t.Fatalf("dtmf %v", p.DTMF)
	}
}

func TestRenderUsesTheVoiceOverride(t *testing.T) {
	r := lostOrStolen
	r.Error = "Please choose one of: lost, stolen"
	r.Voice = &message.Voice{Say: "Lost, press 5. Stolen, press 6.", SSML: "<speak>Lost? <break time=\"1s\"/> Press 5.</speak>",
		AudioURL: "https://example.com/q.mp3", DTMF: map[string]string{"5": "lost", "6": "stolen"}, Hints: []string{"lost", "stolen"}}
	p := Render([]message.Reply{{Text: "Fish & chips"}, r})
	if p.Say != "Fish & chips Please choose one of: lost, stolen Lost, press 5. Stolen, press 6." {
		t.Fatalf("say %q", p.Say)
	}
	if p.SSML != `<speak>Fish &amp; chips Please choose one of: lost, stolen Lost? <break time="1s"/> Press 5.</speak>` || !WellFormed(p.SSML) {
		t.Fatalf("ssml %q", p.SSML)
	}
	if p.DTMF["5"] != "lost" || p.AudioURL == "" || len(p.Hints) != 2 {
		t.Fatalf("got %+v", p)
	}
}

func TestRenderEndAndHandoff(t *testing.T) {
	p := Render([]message.Reply{{Text: "Connecting you.", Handoff: &message.Handoff{Team: "fraud"}}, {Text: "Bye.", End: &message.End{Resolution: "handed_off"}}})
	if p.Listen || p.Handoff.Team != "fraud" || p.End.Resolution != "handed_off" || p.Say != "Connecting you. Bye." {
		t.Fatalf("got %+v", p)
	}
}

func TestWellFormed(t *testing.T) {
	if WellFormed("<speak>a <b></speak>") || !WellFormed("<speak>a</speak>") {
		t.Fatal("well-formedness misjudged")
	}
}

func TestMatch(t *testing.T) {
	yesNo := Render([]message.Reply{{Text: "Shall we?", Node: "replace",
		Choices: []message.Choice{{Value: "yes", Label: "Yes, send a new card"}, {Value: "no", Label: "No, thanks"}}}})
	lost := Render([]message.Reply{lostOrStolen})
	for _, c := range []struct {
		p    Prompt
		in   Input
		want string
	}{
		{lost, Input{DTMF: "1"}, "lost"},
		{lost, Input{DTMF: "2#"}, "stolen"},
		{lost, Input{DTMF: "3"}, ""},
		{lost, Input{Choice: "STOLEN"}, "stolen"},
		{lost, Input{Speech: "Stolen."}, "stolen"},
		{lost, Input{Speech: "two"}, "stolen"},
		{lost, Input{Speech: "I think I lost it"}, "lost"},
		{lost, Input{Speech: "lost, no, stolen"}, ""},
		{lost, Input{Speech: "the weather"}, ""},
		{yesNo, Input{Speech: "yes please"}, "yes"},
		{yesNo, Input{Speech: "No, thanks"}, "no"},
		{yesNo, Input{Speech: "one"}, "yes"},
	} {
		got, ok := c.p.Match(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%+v: got %q %v, want %q", c.in, got, ok, c.want)
		}
	}
}

func TestInputEmpty(t *testing.T) {
	if !(Input{DTMF: "#", Speech: "  "}).Empty() || (Input{Intent: "x"}).Empty() {
		t.Fatal("emptiness misjudged")
	}
	if got := readOut(lostOrStolen.Choices, map[string]string{"5": "lost", "6": "stolen"}); got != "For Lost, press 5. For Stolen, press 6." {
		t.Fatalf("read out %q", got)
	}
}

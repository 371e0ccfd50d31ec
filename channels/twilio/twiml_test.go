package twilio

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/frontdeskhq/frontdesk/channels/voice"
	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
	"github.com/frontdeskhq/frontdesk/core/message"
)

// node is an XML element, compared field by field: name, attributes, text and children.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func parse(t *testing.T, name string, data []byte) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal(data, &n); err != nil {
		t.Fatalf("%s is not XML: %v\n%s", name, err, data)
	}
	return n
}

func compare(t *testing.T, path string, got, want node) {
	t.Helper()
	if got.XMLName.Local != want.XMLName.Local || got.Text != want.Text || len(got.Attrs) != len(want.Attrs) || len(got.Nodes) != len(want.Nodes) {
		t.Fatalf("%s: got <%s> %q attrs %v children %d, want <%s> %q attrs %v children %d", path,
			got.XMLName.Local, got.Text, got.Attrs, len(got.Nodes), want.XMLName.Local, want.Text, want.Attrs, len(want.Nodes))
	}
	for i := range want.Attrs {
		if got.Attrs[i] != want.Attrs[i] {
			t.Fatalf("%s: attribute %v, want %v", path, got.Attrs[i], want.Attrs[i])
		}
	}
	for i := range want.Nodes {
		compare(t, path+"/"+want.Nodes[i].XMLName.Local, got.Nodes[i], want.Nodes[i])
	}
}

func TestTwiMLGolden(t *testing.T) {
	cfg := Config{Voice: "Polly.Joanna", Handoff: Transfer{Dial: "+14155550199"}, Teams: map[string]Transfer{"fraud": {Enqueue: "fraud-line"}}}
	cfg.defaults()
	basic := cfg
	basic.Voice = ""
	next := "https://frontdesk.example.com/v1/twilio/voice?turn=2"
	question := voice.Render([]message.Reply{{Text: "Sorry to hear that. Was your card lost, or was it stolen?", Node: "what_happened",
		Choices: []message.Choice{{Value: "lost", Label: "Lost"}, {Value: "stolen", Label: "Stolen"}}, Voice: &message.Voice{Hints: []string{"lost", "stolen"}}}})
	ssml := voice.Render([]message.Reply{{Text: "Lost or stolen?", Node: "what_happened", Choices: question.Choices,
		Voice: &message.Voice{SSML: `<speak>Lost? Press 1. <break time="500ms"/> Stolen? Press 2.</speak>`, DTMF: map[string]string{"1": "lost", "2": "stolen"}}}})
	for _, c := range []struct {
		name string
		got  []byte
	}{
		{"gather", cfg.Render(question, next)},
		{"gather-ssml", cfg.Render(ssml, next)},
		{"gather-ssml-basic-voice", basic.Render(ssml, next)},
		{"play", cfg.Render(voice.Prompt{AudioURL: "https://cdn.example.com/menu.mp3", Listen: true}, next)},
		{"handoff-enqueue", cfg.Render(voice.Prompt{Say: "Connecting you.", Handoff: &message.Handoff{Team: "fraud"}}, next)},
		{"handoff-dial", cfg.Render(voice.Prompt{Say: "Connecting you.", Handoff: &message.Handoff{Team: "cards"}}, next)},
		{"end", cfg.Render(voice.Prompt{Say: "Your card is reported lost & blocked.", End: &message.End{Resolution: "card_reported"}}, next)},
		{"hold", cfg.hold(next + "&wait=1&hold=1")},
		{"refuse", cfg.refuse("This request is not signed by Twilio.")},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join("testdata", c.name+".xml")
			if *voicetest.Update {
				if err := os.WriteFile(path, append(c.got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			compare(t, "Response", parse(t, "answer", c.got), parse(t, path, want))
		})
	}
}

// The example from Twilio's documentation of request validation.
func TestSignatureOfTwiliosExample(t *testing.T) {
	params := map[string][]string{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	const url, want = "https://mycompany.com/myapp.php?foo=1&bar=2", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
	if got := Signature("12345", url, params); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if !ValidSignature("12345", url, params, want) || ValidSignature("12346", url, params, want) || ValidSignature("12345", url+"&x=1", params, want) {
		t.Fatal("validation misjudged")
	}
}

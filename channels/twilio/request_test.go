package twilio

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readForm(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.TrimSpace(string(data)))
}

func TestDecodeGolden(t *testing.T) {
	for _, c := range []struct {
		file, query string
		want        Request
	}{
		{"incoming-call.form", "customer_id=C-1001&intent=card_lost_stolen", Request{CallSid: "CA5f8e2a9c1b7d4e3f6a0b9c8d7e6f5a4b",
			AccountSid: "AC0123456789abcdef0123456789abcdef", From: "+447700900101", To: "+14155550100", CallStatus: "ringing",
			CustomerID: "C-1001", Intent: "card_lost_stolen"}},
		{"gather-speech.form", "turn=1", Request{CallSid: "CA5f8e2a9c1b7d4e3f6a0b9c8d7e6f5a4b", AccountSid: "AC0123456789abcdef0123456789abcdef",
			From: "+447700900101", To: "+14155550100", CallStatus: "in-progress", SpeechResult: "I lost my card.", Confidence: 0.9124, Turn: 1}},
		{"gather-digits.form", "turn=3&wait=1&hold=2", Request{CallSid: "CA5f8e2a9c1b7d4e3f6a0b9c8d7e6f5a4b", AccountSid: "AC0123456789abcdef0123456789abcdef",
			From: "+447700900101", To: "+14155550100", CallStatus: "in-progress", Digits: "1", Turn: 3, Wait: true, Hold: 2}},
	} {
		got, err := Decode(readForm(t, c.file), c.query)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if got.Params.Get("ApiVersion") != "2010-04-01" {
			t.Errorf("%s: params %v", c.file, got.Params)
		}
		got.Params = nil
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.file, got, c.want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, c := range []struct{ body, query, want string }{
		{"CallSid=CA1&Digits=%zz", "", "not a form"},
		{"From=%2B1", "", "no CallSid"},
		{"CallSid=CA1&Confidence=high", "", "Confidence"},
		{"CallSid=CA1", "turn=-1", "not a count"},
		{"CallSid=CA1", "hold=%", "query is malformed"},
	} {
		if _, err := Decode([]byte(c.body), c.query); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: got %v, want %q", c.body, c.query, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"incoming-call.form", "gather-speech.form", "gather-digits.form"} {
		f.Add(readForm(f, name), "turn=1")
	}
	f.Add([]byte("CallSid=CA1&Confidence=NaN"), "wait=1&hold=99999999999999999999")
	f.Fuzz(func(t *testing.T, body []byte, query string) {
		r, err := Decode(body, query)
		if err == nil && (r.CallSid == "" || r.Turn < 0 || r.Hold < 0) {
			t.Fatalf("accepted %+v", r)
		}
	})
}

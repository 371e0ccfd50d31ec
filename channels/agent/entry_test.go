package agent

import (
	"strings"
	"testing"
)

func TestDecodeEntry(t *testing.T) {
	for _, tc := range []struct {
		body string
		err  string
	}{
		{`{"agent": "A", "input": {"choice": "yes"}}`, ""},
		{`{"intent": "change_address", "case_id": "CS-1", "contact": {"customer_id": "C-1"}}`, ""},
		{`{"agent": "A"}`, "enter text, input or an intent"},
		{`{"text": "x", "extra": 1}`, "unknown field"},
		{`{"text": "x"} {}`, "more than one JSON value"},
		{`[1]`, "want a JSON object"},
		{`{"text": "x", "agent": "` + strings.Repeat("n", 121) + `"}`, "longer than 120"},
	} {
		_, err := DecodeEntry([]byte(tc.body))
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: got %v, want %q", tc.body, err, tc.err)
		}
	}
}

func FuzzDecodeEntry(f *testing.F) {
	for _, seed := range []string{
		`{"agent": "A", "input": {"choice": "yes"}}`,
		`{"id": "m1", "text": "hello", "contact": {"customer_id": "C-1001", "attributes": {"country": "GB"}}}`,
		`{"intent": "card_lost_stolen", "case_id": "CS-000001"}`,
		`{"input": {"street": "1 Main St", "n": 1.5, "list": [1, null]}}`,
		`{`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := DecodeEntry(body)
		if err != nil {
			return
		}
		if e.Text == "" && len(e.Input) == 0 && e.Intent == "" {
			t.Fatalf("accepted an empty entry: %s", body)
		}
		if len(e.Agent) > maxAgentName {
			t.Fatalf("accepted a long agent name")
		}
	})
}

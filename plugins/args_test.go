package plugins

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestArgs(t *testing.T) {
	a := newArgs("crm.UpdateCase", map[string]any{
		"case_id": 1042.0, "confidence": json.Number("0.5"), "public": true,
		"fields": map[string]any{"n": 3, "b": false, "s": "x"}, "nothing": nil,
	})
	if got := a.str("case_id", ""); got != "1042" {
		t.Errorf("str(number) = %q, want 1042", got)
	}
	if got := a.float("confidence"); got != 0.5 {
		t.Errorf("float(json.Number) = %v", got)
	}
	if !a.boolean("public") {
		t.Error("boolean = false")
	}
	if got := a.strMap("fields"); got["n"] != "3" || got["b"] != "false" || got["s"] != "x" {
		t.Errorf("strMap = %v", got)
	}
	if got := a.str("nothing", "default"); got != "default" {
		t.Errorf("str(nil) = %q, want the default", got)
	}
	if err := a.err(); err != nil {
		t.Errorf("err = %v", err)
	}
	b := newArgs("sms.SendSMS", map[string]any{"to": []any{"+1"}, "bdy": "hi"})
	b.str("to", "")
	b.required("body", "")
	err := b.err()
	if !errors.Is(err, ErrBadArgs) {
		t.Fatalf("err = %v, want ErrBadArgs", err)
	}
	for _, want := range []string{"sms.SendSMS", `"to" must be a string, got []interface {}`, `"body" is required`, `unknown argument "bdy"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %s", err, want)
		}
	}
}

// FuzzArgs feeds arbitrary JSON objects to every reader: they may refuse, never panic, and a
// refusal is always ErrBadArgs.
func FuzzArgs(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"case_id":"CASE-1","queue":"q"}`, `{"case_id":12,"confidence":"x"}`,
		`{"fields":{"a":[1],"b":{"c":1},"d":null}}`, `{"public":"yes","to":null}`, `{"x":1e400}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			return
		}
		a := newArgs("fuzz", m)
		a.str("case_id", "")
		a.required("queue", "")
		a.float("confidence")
		a.boolean("public")
		a.strMap("fields")
		if err := a.err(); err != nil && !errors.Is(err, ErrBadArgs) {
			t.Errorf("err = %v, not ErrBadArgs", err)
		}
	})
}

package webchat

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeClientFrame(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"type":"hello","key":"k"}`, true},
		{`{"type":"resume","session":"s","last_seq":3}`, true},
		{`{"type":"resume"}`, false},
		{`{"type":"text","id":"c1","text":"hi"}`, true},
		{`{"type":"text","text":""}`, false},
		{`{"type":"choice","value":"yes"}`, true},
		{`{"type":"choice"}`, false},
		{`{"type":"form","fields":{"street":"Torstrasse 1"}}`, true},
		{`{"type":"form","fields":{}}`, false},
		{`{"type":"form","fields":{"a":"` + strings.Repeat("x", maxFieldLength+1) + `"}}`, false},
		{`{"type":"csat","score":5}`, true},
		{`{"type":"csat","score":0}`, false},
		{`{"type":"typing"}`, true},
		{`{"type":"text","text":"hi","id":"` + strings.Repeat("x", maxIDLength+1) + `"}`, false},
		{`{"text":"hi"}`, false},
		{`{"type":"text","text":1}`, false},
		{`[]`, false},
		{`{"type":"typing"}{"type":"typing"}`, false},
	} {
		_, err := DecodeClientFrame([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("DecodeClientFrame(%.60s) = %v, want ok %v", tc.in, err, tc.ok)
		}
		if err != nil && !errors.Is(err, errFrame) {
			t.Errorf("DecodeClientFrame(%.60s): error %v does not wrap errFrame", tc.in, err)
		}
	}
}

// FuzzDecodeClientFrame: no input panics, and an accepted frame has a known type.
func FuzzDecodeClientFrame(f *testing.F) {
	for _, s := range []string{`{"type":"hello","token":"t"}`, `{"type":"form","fields":{"a":"b"}}`,
		`{"type":"csat","score":3}`, `{"type":"resume","session":"s","last_seq":18446744073709551615}`, `{`, `null`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeClientFrame(data)
		if err != nil {
			return
		}
		switch fr.Type {
		case TypeHello, TypeResume, TypeText, TypeChoice, TypeForm, TypeCSAT, TypeTyping:
		default:
			t.Fatalf("accepted type %q", fr.Type)
		}
	})
}

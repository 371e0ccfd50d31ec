package wasm

import (
	"encoding/json"
	"math"
	"testing"
)

func TestMakeValue(t *testing.T) {
	for _, tc := range []struct {
		in    any
		kind  Kind
		f     float64
		i     int64
		bytes string
	}{
		{nil, KindNull, 0, 0, "null"},
		{7.5, KindFloat, 7.5, 7, "7.5"},
		{float32(0.5), KindFloat, 0.5, 0, "0.5"},
		{3, KindInt, 3, 3, "3"},
		{int64(-3), KindInt, -3, -3, "-3"},
		{int8(-2), KindInt, -2, -2, "-2"},
		{uint8(2), KindInt, 2, 2, "2"},
		{uint64(12), KindInt, 12, 12, "12"},
		{uint(12), KindInt, 12, 12, "12"},
		{uint64(math.MaxUint64), KindFloat, math.MaxUint64, 0, "1.8446744073709552e+19"},
		{true, KindBool, 1, 1, "true"},
		{"héllo", KindString, 0, 0, "héllo"},
		{json.Number("42"), KindInt, 42, 42, "42"},
		{json.Number("4.2"), KindFloat, 4.2, 4, "4.2"},
		{[]any{1.0, "a"}, KindJSON, 0, 0, `[1,"a"]`},
		{map[string]any{"a": nil}, KindJSON, 0, 0, `{"a":null}`},
	} {
		v, err := makeValue("x", tc.in)
		if err != nil {
			t.Fatalf("%#v: %v", tc.in, err)
		}
		if v.kind != tc.kind || v.f64() != tc.f || v.i64() != tc.i || v.bytes() != tc.bytes {
			t.Errorf("%#v: got kind %d f %v i %v bytes %q", tc.in, v.kind, v.f64(), v.i64(), v.bytes())
		}
	}
	if _, err := makeValue("x", func() {}); err == nil {
		t.Error("a func was accepted")
	}
}

func TestInternIsBounded(t *testing.T) {
	var c call
	for i := range 2 * maxNames {
		name := []byte{byte(i), 'x'}
		if got := c.intern(name); got != string(name) {
			t.Fatalf("intern(%q) = %q", name, got)
		}
	}
	if len(c.names) != maxNames {
		t.Fatalf("%d names kept, want at most %d", len(c.names), maxNames)
	}
}

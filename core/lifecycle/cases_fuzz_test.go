package lifecycle

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// FuzzParseCase: any stored body parses or is refused with ErrInvalidCase, never a panic; a
// test file is split into bodies that parse back.
func FuzzParseCase(f *testing.F) {
	for _, seed := range []string{
		`{"message": {"text": "x"}, "expect": {"outcome": "done"}}`,
		`{"inputs": {"confirm": ["yes", "no"]}, "expect": {"outcome": "asking", "path": ["a"]}}`,
		`{"expect": {}}`, `[]`, `null`, `"text"`, `{"unknown": 1}`, "policy: x\ncases: [{name: a, expect: {outcome: b}}]",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, _ = ParseCase(store.TestCase{Policy: "p", Name: "c", Body: body})
		name, bodies, err := CaseBodies([]byte(body))
		if err != nil {
			return
		}
		for n, b := range bodies {
			_, _ = ParseCase(store.TestCase{Policy: name, Name: n, Body: b})
		}
	})
}

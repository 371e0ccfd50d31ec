package shadow

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// FuzzFieldValue: any pattern gives an answer without panicking or running away, and an
// answer generated from the pattern matches it.
func FuzzFieldValue(f *testing.F) {
	for _, seed := range []string{"[0-9A-Z -]{3,10}", `^DE\d{20}$`, "(a|b)*c+", "x{2,}", `\bword\b`, "[^a-z]", "((a{100}){100}){100}", "(?i)abc", ""} {
		f.Add(seed, uint64(1))
	}
	f.Fuzz(func(t *testing.T, pattern string, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 0))
		v := fieldValue(rng, policy.Field{Name: "f", Pattern: pattern})
		if v == "" {
			t.Fatalf("pattern %q: empty answer", pattern)
		}
		if v == "shadow" {
			return // the fallback: the pattern could not be satisfied
		}
		if re, err := regexp.Compile(`^(?:` + pattern + `)$`); err == nil && !re.MatchString(v) {
			t.Fatalf("pattern %q: answer %q does not match", pattern, v)
		}
	})
}

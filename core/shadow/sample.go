package shadow

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// answer returns a random answer the question accepts: one of its choices, a form whose
// fields fit their type and pattern, or some text.
func answer(rng *rand.Rand, a *policy.Ask) message.Message {
	switch {
	case len(a.Choices) > 0:
		return message.Message{Input: map[string]any{"choice": a.Choices[rng.IntN(len(a.Choices))].Value}}
	case len(a.Form) > 0:
		in := make(map[string]any, len(a.Form))
		for _, f := range a.Form {
			in[f.Name] = fieldValue(rng, f)
		}
		return message.Message{Input: in}
	}
	return message.Message{Text: "shadow answer"}
}

func fieldValue(rng *rand.Rand, f policy.Field) string {
	if f.Pattern != "" {
		re, err := syntax.Parse(f.Pattern, syntax.Perl)
		whole, err2 := regexp.Compile(`^(?:` + f.Pattern + `)$`)
		// A few tries: a generated answer may start or end with a space, which is trimmed.
		for i := 0; err == nil && err2 == nil && i < 8; i++ {
			var b strings.Builder
			generate(rng, &b, re.Simplify(), 0)
			if s := b.String(); strings.TrimSpace(s) == s && s != "" && whole.MatchString(s) && (f.Max == 0 || len([]rune(s)) <= f.Max) {
				return s
			}
		}
	}
	switch f.Type {
	case "number":
		return "42"
	case "email":
		return "shadow@example.com"
	case "phone":
		return "+15550100"
	case "date":
		return "2026-01-15"
	}
	return "shadow"
}

// maxRepeat bounds open repetitions (x*, x+, x{3,}) in generated strings.
const maxRepeat = 6

// generate writes a random string matching re. Anchors and word boundaries produce nothing,
// which suits the whole-answer patterns of form fields.
func generate(rng *rand.Rand, b *strings.Builder, re *syntax.Regexp, depth int) {
	// Deep nesting and huge repetitions are cut short: such an answer fails the pattern and
	// the field falls back to a plain value.
	if depth > 50 || b.Len() > policy.MaxFieldAnswer {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		b.WriteRune(pickRune(rng, re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('a' + byte(rng.IntN(26)))
	case syntax.OpCapture:
		generate(rng, b, re.Sub[0], depth+1)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			generate(rng, b, s, depth+1)
		}
	case syntax.OpAlternate:
		generate(rng, b, re.Sub[rng.IntN(len(re.Sub))], depth+1)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := bounds(re)
		n := lo + rng.IntN(hi-lo+1)
		for range n {
			generate(rng, b, re.Sub[0], depth+1)
		}
	}
}

func bounds(re *syntax.Regexp) (int, int) {
	switch re.Op {
	case syntax.OpStar:
		return 0, maxRepeat
	case syntax.OpPlus:
		return 1, maxRepeat
	case syntax.OpQuest:
		return 0, 1
	}
	hi := re.Max
	if hi < 0 {
		hi = re.Min + maxRepeat
	}
	return re.Min, hi
}

// pickRune picks a printable rune from a class given as inclusive ranges; spaces are avoided
// when the class has anything else, since answers are trimmed.
func pickRune(rng *rand.Rand, ranges []rune) rune {
	for range 8 {
		i := rng.IntN(len(ranges)/2) * 2
		lo, hi := ranges[i], ranges[i+1]
		if hi-lo > 0xFFFF {
			hi = lo + 0xFFFF
		}
		r := lo + rune(rng.IntN(int(hi-lo)+1))
		if r > ' ' && r < 0x7f || r > 0xa0 && r < 0xd800 {
			return r
		}
	}
	return ranges[0]
}

package shadow

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

func TestAnswerFitsTheQuestion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ask := &policy.Ask{Choices: []policy.Choice{{Value: "yes"}, {Value: "no"}}}
	seen := map[any]int{}
	for range 200 {
		seen[answer(rng, ask).Input["choice"]]++
	}
	if seen["yes"] < 60 || seen["no"] < 60 || len(seen) != 2 {
		t.Fatalf("choices picked %v over 200 answers", seen)
	}
	for _, f := range []policy.Field{
		{Name: "postcode", Pattern: "[0-9A-Z -]{3,10}"},
		{Name: "iban", Pattern: `^DE\d{20}$`},
		{Name: "ref", Pattern: `(AB|CD)-[a-f0-9]+(x|y)?`, Max: 12},
		{Name: "amount", Type: "number"},
		{Name: "when", Type: "date"},
		{Name: "street"},
	} {
		whole := regexp.MustCompile(`^(?:` + f.Pattern + `)$`)
		for range 50 {
			v := answer(rng, &policy.Ask{Form: []policy.Field{f}}).Input[f.Name].(string)
			if (f.Pattern != "" && !whole.MatchString(v)) || v == "" || (f.Max > 0 && len(v) > f.Max) {
				t.Fatalf("field %+v: answer %q does not fit", f, v)
			}
		}
	}
	if got := answer(rng, &policy.Ask{Text: "Why?"}); got.Text == "" {
		t.Fatal("free-text question got no text")
	}
}

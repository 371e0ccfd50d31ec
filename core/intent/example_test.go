package intent_test

import (
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

func ExampleFeaturizer() {
	fz, err := intent.NewFeaturizer(intent.DefaultFeaturizerConfig())
	if err != nil {
		panic(err)
	}
	fmt.Println(fz.Normalize("Lost my CARD!"))
	f := fz.Featurize("Lost my CARD!", nil)
	// 3 words, 2 bigrams, 33 character n-grams; each weighs 1/38.
	fmt.Println(f.Len(), f.Weight[0] == 1.0/38)
	// Output:
	// lost my card!
	// 38 true
}

func ExampleDecider() {
	d := intent.Decider{Labels: []string{"card_lost_stolen", "refund_request", "oos"}, OOSLabel: "oos", Threshold: 0.5, TopK: 2}
	fmt.Println(d.Decide([]float32{0.9, 0.08, 0.02}).Intent)
	p := d.Decide([]float32{0.3, 0.25, 0.45})
	fmt.Println(p.Intent, p.Candidates[0].Intent)
	// Output:
	// card_lost_stolen
	// unknown card_lost_stolen
}

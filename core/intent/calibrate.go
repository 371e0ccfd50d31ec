package intent

import (
	"math"
)

// fitTemperature finds the temperature that minimizes the negative log-likelihood of the gold
// classes on validation data (temperature scaling, Guo et al. 2017), so that confidences are
// probabilities one can set thresholds on.
func fitTemperature(logits [][]float32, val []sample, classes int) float32 {
	nll := func(logT float64) float64 {
		t := float32(math.Exp(logT))
		p := make([]float32, classes)
		var sum float64
		for i, z := range logits {
			copy(p, z)
			softmax(p, t)
			sum -= math.Log(max(float64(p[val[i].class]), 1e-12))
		}
		return sum
	}
	// Golden-section search over log T in [log 0.05, log 20]; the NLL is unimodal in T.
	lo, hi := math.Log(0.05), math.Log(20)
	g := (math.Sqrt(5) - 1) / 2
	a, b := hi-g*(hi-lo), lo+g*(hi-lo)
	fa, fb := nll(a), nll(b)
	for range 40 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - g*(hi-lo)
			fa = nll(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + g*(hi-lo)
			fb = nll(b)
		}
	}
	return float32(math.Exp((lo + hi) / 2))
}

// chooseThreshold picks the confidence below which a text is rejected as out of scope: the
// best mean of in-scope accuracy and out-of-scope recall on validation data, among thresholds
// that cost at most maxLoss of in-scope accuracy. The bound matters because validation holds
// few out-of-scope examples, and an unbounded choice trades much accuracy for their recall.
// Without out-of-scope examples there is nothing to weigh rejections against, and the
// threshold is 0: the model always names its best intent.
func chooseThreshold(probs [][]float32, val []sample, oos int, maxLoss float64) float64 {
	if oos < 0 {
		return 0
	}
	var nIn, nOOS int
	for _, s := range val {
		if s.class == oos {
			nOOS++
		} else {
			nIn++
		}
	}
	if nIn == 0 || nOOS == 0 {
		return 0
	}
	best, bestScore, baseAcc := 0.0, -1.0, -1.0
	for step := 0; step < 100; step++ {
		t := float64(step) / 100
		var right, rejected int
		for i, s := range val {
			top, p := bestInScope(probs[i], oos)
			reject := probs[i][oos] >= p || float64(p) < t
			switch {
			case s.class == oos && reject:
				rejected++
			case s.class != oos && !reject && top == s.class:
				right++
			}
		}
		acc := float64(right) / float64(nIn)
		if step == 0 {
			baseAcc = acc
		}
		if acc < baseAcc-maxLoss {
			break
		}
		if score := (acc + float64(rejected)/float64(nOOS)) / 2; score > bestScore {
			best, bestScore = t, score
		}
	}
	return best
}

// bestInScope returns the most probable class other than oos, and its probability.
func bestInScope(p []float32, oos int) (int, float32) {
	best, bp := -1, float32(-1)
	for c, v := range p {
		if c != oos && v > bp {
			best, bp = c, v
		}
	}
	return best, bp
}

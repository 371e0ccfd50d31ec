package intent

import "math"

// Weights are the learned parameters of an intent model: an embedding bag followed by a linear
// layer and a temperature-scaled softmax,
//
//	probs = softmax((sum_i weight_i * Embedding[index_i]) * Output + Bias) / Temperature)
//
// The ONNX export holds exactly this math; Go computes it too during training and validation.
type Weights struct {
	// Buckets x Dim, row-major: one row per hash bucket. Exported in half precision.
	Embedding []float32
	// Dim x Classes, row-major.
	Output []float32
	Bias   []float32
	// Temperature divides the logits; fitted on validation data so confidences are calibrated.
	Temperature float32
	Buckets     int
	Dim         int
	Classes     int
}

// embed writes the weighted sum of the embedding rows of f into h (len Dim).
func (w *Weights) embed(f *Features, h []float32) {
	clear(h)
	for j, idx := range f.Index {
		row := w.Embedding[int(idx)*w.Dim : int(idx+1)*w.Dim]
		wt := f.Weight[j]
		for d, v := range row {
			h[d] += wt * v
		}
	}
}

// logits writes h * Output + Bias into z (len Classes).
func (w *Weights) logits(h, z []float32) {
	copy(z, w.Bias)
	for d, hv := range h {
		if hv == 0 {
			continue
		}
		row := w.Output[d*w.Classes : (d+1)*w.Classes]
		for c, v := range row {
			z[c] += hv * v
		}
	}
}

// Probabilities computes the model's output for f in Go, as the ONNX graph does.
func (w *Weights) Probabilities(f *Features, probs []float32) {
	h := make([]float32, w.Dim)
	w.embed(f, h)
	w.logits(h, probs)
	softmax(probs, w.Temperature)
}

// softmax turns logits z into probabilities in place, dividing by temperature t first.
func softmax(z []float32, t float32) {
	m := float32(math.Inf(-1))
	for _, v := range z {
		m = max(m, v)
	}
	var sum float64
	for i, v := range z {
		e := math.Exp(float64((v - m) / t))
		z[i] = float32(e)
		sum += e
	}
	for i := range z {
		z[i] = float32(float64(z[i]) / sum)
	}
}

package intent

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// TrainConfig holds the trainer's parameters.
type TrainConfig struct {
	Featurizer FeaturizerConfig
	// Dim is the embedding width of one ensemble member.
	Dim int
	// Members is the number of models trained from different seeds and averaged. The average
	// of linear embedding bags is itself one (wider) embedding bag, so the exported graph stays
	// one Gather, one MatMul.
	Members int
	// Epochs is the most passes over the data; Patience stops a member earlier when its
	// validation accuracy has not improved for that many epochs.
	Epochs   int
	Patience int
	// LearnRate is AdaGrad's step size.
	LearnRate float64
	// Dropout is the probability of dropping each input feature during training.
	Dropout float64
	// LabelSmoothing moves that much of the target's mass evenly over all classes.
	LabelSmoothing float64
	// ValidationFraction of each label's examples is held out for early stopping, calibration
	// and the reported metrics.
	ValidationFraction float64
	// Seed makes the split, initialization and shuffling reproducible.
	Seed uint64
	// OOSLabel marks out-of-scope examples. They train a class of their own that is reported
	// as Unknown.
	OOSLabel string
	// MaxInScopeLoss bounds the in-scope accuracy (a fraction) that the out-of-scope threshold
	// may give up on validation data.
	MaxInScopeLoss float64
	// Refit trains the members again on training and validation examples together, each
	// for its best number of epochs, keeping the calibration of the first fit. It takes about
	// twice as long and gains the accuracy of 1/(1-ValidationFraction) times the data.
	Refit bool
	// Threads bounds the members trained at once (0: GOMAXPROCS).
	Threads int
	// Progress, when set, is told about the work done so far.
	Progress func(Progress)
}

// Training phases reported in Progress.
const (
	PhaseTrain = "train"
	PhaseRefit = "refit"
)

// Progress reports training progress.
type Progress struct {
	// Phase is PhaseTrain, or PhaseRefit when the members learn again from all examples.
	Phase string
	// Done and Total count example passes of the phase over all members and epochs.
	Done, Total int
	// Member and Epoch say which member finished which epoch, with its validation accuracy
	// (0 while refitting).
	Member, Epoch int
	Accuracy      float64
}

// DefaultTrainConfig returns parameters that suit a few thousand short support messages.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		Featurizer:         DefaultFeaturizerConfig(),
		Dim:                30,
		Members:            4,
		Epochs:             30,
		Patience:           4,
		LearnRate:          0.4,
		Dropout:            0.1,
		LabelSmoothing:     0.05,
		ValidationFraction: 0.1,
		Seed:               1,
		OOSLabel:           "oos",
		MaxInScopeLoss:     0.01,
		Refit:              true,
	}
}

// maxTableWeights bounds the embedding table: 2^28 half-precision weights are 512 MB of graph
// (and 2 GB of float32 accumulators while training).
const maxTableWeights = 1 << 28

// ErrTrainConfig reports trainer parameters that cannot work.
var ErrTrainConfig = errors.New("intent: invalid train config")

func (c TrainConfig) validate() error {
	if err := c.Featurizer.Validate(); err != nil {
		return err
	}
	switch {
	case c.Dim < 1 || c.Dim > 1024:
		return fmt.Errorf("%w: dim %d not in [1, 1024]", ErrTrainConfig, c.Dim)
	case c.Members < 1 || c.Members > 16:
		return fmt.Errorf("%w: members %d not in [1, 16]", ErrTrainConfig, c.Members)
	case c.Epochs < 1:
		return fmt.Errorf("%w: epochs %d below 1", ErrTrainConfig, c.Epochs)
	case c.LearnRate <= 0:
		return fmt.Errorf("%w: learning rate %g not positive", ErrTrainConfig, c.LearnRate)
	case c.Dropout < 0 || c.Dropout >= 1:
		return fmt.Errorf("%w: dropout %g not in [0, 1)", ErrTrainConfig, c.Dropout)
	case c.LabelSmoothing < 0 || c.LabelSmoothing >= 1:
		return fmt.Errorf("%w: label smoothing %g not in [0, 1)", ErrTrainConfig, c.LabelSmoothing)
	case c.MaxInScopeLoss < 0 || c.MaxInScopeLoss > 1:
		return fmt.Errorf("%w: max in-scope loss %g not in [0, 1]", ErrTrainConfig, c.MaxInScopeLoss)
	case int64(c.Featurizer.Buckets)*int64(c.Dim)*int64(c.Members) > maxTableWeights:
		return fmt.Errorf("%w: %d buckets x %d dims x %d members exceeds %d embedding weights (a graph must stay well under protobuf's 2 GB)", ErrTrainConfig, c.Featurizer.Buckets, c.Dim, c.Members, maxTableWeights)
	case c.ValidationFraction <= 0 || c.ValidationFraction >= 1:
		return fmt.Errorf("%w: validation fraction %g not in (0, 1)", ErrTrainConfig, c.ValidationFraction)
	}
	return nil
}

// Trained is the result of training: the weights and the manifest describing them.
type Trained struct {
	Weights  *Weights
	Manifest Manifest
}

// Train learns an intent model from ds. It splits off a stratified validation set, trains the
// ensemble members in parallel with early stopping, fits the temperature and the out-of-scope
// threshold on validation, and measures the result there.
func Train(ctx context.Context, ds *Dataset, cfg TrainConfig) (*Trained, error) {
	start := time.Now()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	fz, err := NewFeaturizer(cfg.Featurizer)
	if err != nil {
		return nil, err
	}
	labels := ds.Labels()
	if len(labels) < 2 {
		return nil, fmt.Errorf("%w: %s: %d label, a classifier needs at least 2", ErrDataset, ds.Name, len(labels))
	}
	trainEx, valEx, err := Split(ds.Examples, cfg.ValidationFraction, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Name, err)
	}
	classOf := make(map[string]int, len(labels))
	for i, l := range labels {
		classOf[l] = i
	}
	train := encode(fz, trainEx, classOf)
	val := encode(fz, valEx, classOf)

	t := &trainer{cfg: cfg, classes: len(labels), classWeight: classWeights(train, len(labels))}
	full := make([]int, cfg.Members)
	for k := range full {
		full[k] = cfg.Epochs
	}
	members, epochs, err := t.run(ctx, PhaseTrain, train, val, full)
	if err != nil {
		return nil, err
	}
	w := combine(members, cfg.Featurizer.Buckets, len(labels))
	roundToHalf(w.Embedding)

	oos := -1
	if i, ok := classOf[cfg.OOSLabel]; ok && cfg.OOSLabel != "" {
		oos = i
	}
	threshold, metrics := calibrate(w, val, valEx, labels, oos, cfg)

	if cfg.Refit {
		// The figures above describe the first model; the refit one learns from 1/(1-f) times
		// the data for the epochs that were best, and keeps the calibration.
		all := append(slices.Clone(train), val...)
		t.classWeight = classWeights(all, len(labels))
		members, _, err = t.run(ctx, PhaseRefit, all, nil, epochs)
		if err != nil {
			return nil, err
		}
		temperature := w.Temperature
		w = combine(members, cfg.Featurizer.Buckets, len(labels))
		roundToHalf(w.Embedding)
		w.Temperature = temperature
	}

	m := Manifest{
		Format:      ManifestFormat,
		Version:     ManifestVersion,
		Created:     time.Now().UTC().Truncate(time.Second),
		Labels:      labels,
		OOSLabel:    cfg.OOSLabel,
		Threshold:   threshold,
		Temperature: float64(w.Temperature),
		TopK:        defaultTopK,
		Featurizer:  cfg.Featurizer,
		Model:       ModelInfo{Architecture: "embedding-bag-linear", Dim: w.Dim, Members: cfg.Members, Buckets: w.Buckets},
		Training: TrainingInfo{
			Data: ds.Name, DataSHA256: ds.SHA256, Examples: len(ds.Examples), Train: len(train), Validation: len(val),
			Seed: cfg.Seed, Epochs: slices.Max(epochs), Refit: cfg.Refit, Seconds: time.Since(start).Seconds(),
		},
		Validation: metrics.Summary(),
	}
	if oos < 0 {
		m.OOSLabel = ""
	}
	return &Trained{Weights: w, Manifest: m}, nil
}

const defaultTopK = 3

// calibrate fits w's temperature and the out-of-scope threshold on the validation samples, and
// returns the threshold with the metrics of the calibrated model there.
func calibrate(w *Weights, val []sample, valEx []Example, labels []string, oos int, cfg TrainConfig) (float64, Metrics) {
	logits := w.allLogits(val)
	w.Temperature = fitTemperature(logits, val, len(labels))
	probs := make([][]float32, len(val))
	for i, z := range logits {
		probs[i] = slices.Clone(z)
		softmax(probs[i], w.Temperature)
	}
	threshold := chooseThreshold(probs, val, oos, cfg.MaxInScopeLoss)
	dec := Decider{Labels: labels, OOSLabel: cfg.OOSLabel, Threshold: threshold, TopK: defaultTopK}
	results := make([]Result, len(val))
	for i, p := range probs {
		results[i] = Result{Text: valEx[i].Text, Label: outcomeLabel(valEx[i].Label, cfg.OOSLabel), Prediction: dec.Decide(p)}
	}
	return threshold, Evaluate(results)
}

// outcomeLabel maps a gold label to what a correct prediction says: out-of-scope examples
// are correctly classified as Unknown.
func outcomeLabel(label, oos string) string {
	if label == oos {
		return Unknown
	}
	return label
}

// sample is one encoded example.
type sample struct {
	f     Features
	class int
}

func encode(fz *Featurizer, ex []Example, classOf map[string]int) []sample {
	out := make([]sample, len(ex))
	for i, e := range ex {
		fz.Featurize(e.Text, &out[i].f)
		out[i].class = classOf[e.Label]
	}
	return out
}

// classWeights weighs each class inversely to its frequency, so that every class carries the
// same total weight in the loss.
func classWeights(train []sample, classes int) []float32 {
	count := make([]int, classes)
	for _, s := range train {
		count[s.class]++
	}
	w := make([]float32, classes)
	for c, n := range count {
		if n > 0 {
			w[c] = float32(len(train)) / float32(classes*n)
		}
	}
	return w
}

type trainer struct {
	cfg         TrainConfig
	classes     int
	classWeight []float32

	mu    sync.Mutex
	phase string
	done  int
	total int
}

// member is one model of the ensemble, with its AdaGrad accumulators. They are row-wise (one
// per embedding row, one per class column of the output layer): a sparse update then costs one
// square root per row rather than one per weight, and rare n-grams still get large steps.
type member struct {
	w          Weights
	gE, gO, gB []float32
}

// run trains the members in parallel, member k for at most epochs[k] epochs; with validation
// samples each stops early and returns its best epoch's weights.
func (t *trainer) run(ctx context.Context, phase string, train, val []sample, epochs []int) ([]*Weights, []int, error) {
	threads := t.cfg.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	t.mu.Lock()
	t.phase, t.done, t.total = phase, 0, 0
	for _, e := range epochs {
		t.total += e * len(train)
	}
	t.mu.Unlock()
	out := make([]*Weights, t.cfg.Members)
	best := make([]int, t.cfg.Members)
	errs := make([]error, t.cfg.Members)
	sem := make(chan struct{}, threads)
	var wg sync.WaitGroup
	for k := range t.cfg.Members {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[k], best[k], errs[k] = t.trainMember(ctx, k, train, val, epochs[k])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return out, best, nil
}

// trainMember runs AdaGrad over shuffled examples. With validation samples it keeps the
// weights of the epoch with the best validation accuracy and stops after Patience epochs
// without improvement; without, it returns the last epoch's weights.
func (t *trainer) trainMember(ctx context.Context, k int, train, val []sample, epochs int) (*Weights, int, error) {
	cfg := t.cfg
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(k)+1))
	H, D, C := cfg.Featurizer.Buckets, cfg.Dim, t.classes
	m := &member{
		w:  Weights{Embedding: make([]float32, H*D), Output: make([]float32, D*C), Bias: make([]float32, C), Temperature: 1, Buckets: H, Dim: D, Classes: C},
		gE: make([]float32, H), gO: make([]float32, C), gB: make([]float32, C),
	}
	scale := float32(1 / math.Sqrt(float64(D)))
	for i := range m.w.Embedding {
		m.w.Embedding[i] = (rng.Float32()*2 - 1) * scale
	}
	for i := range m.w.Output {
		m.w.Output[i] = (rng.Float32()*2 - 1) * scale
	}
	var best *Weights
	bestAcc, bestEpoch := -1.0, 0
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	s := newScratch(D, C)
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for n, i := range order {
			if n%1024 == 0 && ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			t.step(m, &train[i], rng, s)
		}
		if val == nil {
			t.report(k, epoch, 0, len(order))
			continue
		}
		acc := accuracy(&m.w, val)
		if acc > bestAcc {
			best, bestAcc, bestEpoch = cloneWeights(&m.w), acc, epoch
		}
		t.report(k, epoch, acc, len(order))
		if cfg.Patience > 0 && epoch-bestEpoch >= cfg.Patience {
			// Count the skipped epochs as done so progress ends at 100%.
			t.report(k, epoch, acc, (epochs-epoch)*len(order))
			break
		}
	}
	if val == nil {
		return &m.w, epochs, nil
	}
	return best, bestEpoch, nil
}

func (t *trainer) report(member, epoch int, acc float64, n int) {
	t.mu.Lock()
	t.done += n
	p := Progress{Phase: t.phase, Done: t.done, Total: t.total, Member: member, Epoch: epoch, Accuracy: acc}
	t.mu.Unlock()
	if t.cfg.Progress != nil {
		t.cfg.Progress(p)
	}
}

// scratch holds one member's per-example buffers.
type scratch struct {
	f              Features
	h, z, dh, step []float32
}

func newScratch(d, c int) *scratch {
	return &scratch{h: make([]float32, d), z: make([]float32, c), dh: make([]float32, d), step: make([]float32, c)}
}

const adagradEps = 1e-8

// step is one AdaGrad update on one example, with input dropout and label smoothing.
func (t *trainer) step(m *member, x *sample, rng *rand.Rand, s *scratch) {
	cfg := t.cfg
	f := &s.f
	f.Index, f.Weight = f.Index[:0], f.Weight[:0]
	for j, idx := range x.f.Index {
		if cfg.Dropout == 0 || rng.Float64() >= cfg.Dropout {
			f.Index = append(f.Index, idx)
			f.Weight = append(f.Weight, x.f.Weight[j])
		}
	}
	if len(f.Index) == 0 {
		return
	}
	// Rescale the kept features so they still average to one.
	rescale := float32(len(x.f.Index)) / float32(len(f.Index))
	for j := range f.Weight {
		f.Weight[j] *= rescale
	}
	w := &m.w
	w.embed(f, s.h)
	w.logits(s.h, s.z)
	softmax(s.z, 1)
	// s.z becomes dLoss/dlogits.
	cw := t.classWeight[x.class]
	smooth := float32(cfg.LabelSmoothing) / float32(w.Classes)
	for c := range s.z {
		target := smooth
		if c == x.class {
			target += 1 - float32(cfg.LabelSmoothing)
		}
		s.z[c] = (s.z[c] - target) * cw
	}
	lr := float32(cfg.LearnRate)
	var hh float32
	for _, v := range s.h {
		hh += v * v
	}
	// Per class: the column's step size from its accumulated mean squared gradient.
	for c, g := range s.z {
		m.gO[c] += g * g * hh / float32(w.Dim)
		s.step[c] = lr * g / float32(math.Sqrt(float64(m.gO[c])+adagradEps))
		m.gB[c] += g * g
		w.Bias[c] -= lr * g / float32(math.Sqrt(float64(m.gB[c])+adagradEps))
	}
	for d := range w.Dim {
		row := w.Output[d*w.Classes : (d+1)*w.Classes]
		hv := s.h[d]
		var dh float32
		for c, g := range s.z {
			dh += row[c] * g
			row[c] -= hv * s.step[c]
		}
		s.dh[d] = dh
	}
	var dd float32
	for _, v := range s.dh {
		dd += v * v
	}
	for j, idx := range f.Index {
		row := w.Embedding[int(idx)*w.Dim : int(idx+1)*w.Dim]
		wt := f.Weight[j]
		m.gE[idx] += wt * wt * dd / float32(w.Dim)
		step := lr * wt / float32(math.Sqrt(float64(m.gE[idx])+adagradEps))
		for d, g := range s.dh {
			row[d] -= step * g
		}
	}
}

func cloneWeights(w *Weights) *Weights {
	c := *w
	c.Embedding = slices.Clone(w.Embedding)
	c.Output = slices.Clone(w.Output)
	c.Bias = slices.Clone(w.Bias)
	return &c
}

// accuracy is the share of samples whose top class is the gold one.
func accuracy(w *Weights, samples []sample) float64 {
	if len(samples) == 0 {
		return 0
	}
	h, z := make([]float32, w.Dim), make([]float32, w.Classes)
	right := 0
	for i := range samples {
		w.embed(&samples[i].f, h)
		w.logits(h, z)
		if argmax(z) == samples[i].class {
			right++
		}
	}
	return float64(right) / float64(len(samples))
}

// allLogits returns the logits of every sample.
func (w *Weights) allLogits(samples []sample) [][]float32 {
	h := make([]float32, w.Dim)
	out := make([][]float32, len(samples))
	for i := range samples {
		out[i] = make([]float32, w.Classes)
		w.embed(&samples[i].f, h)
		w.logits(h, out[i])
	}
	return out
}

// combine turns the members into one embedding bag whose logits are the members' mean:
// embedding rows side by side, output layers stacked and divided by the member count.
func combine(members []*Weights, buckets, classes int) *Weights {
	k := len(members)
	d := members[0].Dim
	w := &Weights{Buckets: buckets, Dim: k * d, Classes: classes, Temperature: 1,
		Embedding: make([]float32, buckets*k*d), Output: make([]float32, k*d*classes), Bias: make([]float32, classes)}
	for m, mw := range members {
		for r := range buckets {
			copy(w.Embedding[r*k*d+m*d:r*k*d+(m+1)*d], mw.Embedding[r*d:(r+1)*d])
		}
		for i, v := range mw.Output {
			w.Output[m*d*classes+i] = v / float32(k)
		}
		for c, v := range mw.Bias {
			w.Bias[c] += v / float32(k)
		}
	}
	return w
}

func argmax(z []float32) int {
	best := 0
	for i, v := range z {
		if v > z[best] {
			best = i
		}
	}
	return best
}

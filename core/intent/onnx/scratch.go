package onnx

import (
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

// scratch is one caller's buffers: features, and input/output tensors by width. Tensors wrap
// Go slices, so filling a slice fills the tensor, and a call allocates no tensors once warm.
type scratch struct {
	feats   intent.Features
	byWidth map[int]*tensorSet
}

type tensorSet struct {
	indices *ort.Tensor[int32]
	weights *ort.Tensor[float32]
	probs   *ort.Tensor[float32]
}

// maxShapes bounds the tensor sets a scratch keeps; padTo makes at most 8 + log2(max
// features / 256) widths, so this is never reached in practice.
const maxShapes = 16

// tensors returns input tensors of shape [1, width] and the output tensor [1, classes].
func (s *scratch) tensors(width, classes int) (*tensorSet, error) {
	if t, ok := s.byWidth[width]; ok {
		return t, nil
	}
	if len(s.byWidth) >= maxShapes {
		s.destroy()
	}
	idx, err := ort.NewTensor(ort.NewShape(1, int64(width)), make([]int32, width))
	if err != nil {
		return nil, err
	}
	wts, err := ort.NewTensor(ort.NewShape(1, 1, int64(width)), make([]float32, width))
	if err != nil {
		idx.Destroy()
		return nil, err
	}
	probs, err := ort.NewTensor(ort.NewShape(1, 1, int64(classes)), make([]float32, classes))
	if err != nil {
		idx.Destroy()
		wts.Destroy()
		return nil, err
	}
	t := &tensorSet{indices: idx, weights: wts, probs: probs}
	s.byWidth[width] = t
	return t, nil
}

func (s *scratch) destroy() {
	for k, t := range s.byWidth {
		t.indices.Destroy()
		t.weights.Destroy()
		t.probs.Destroy()
		delete(s.byWidth, k)
	}
}

// freeList keeps idle scratches for reuse. Unlike sync.Pool it never drops one silently, so the
// ONNX Runtime values they hold are always destroyed.
type freeList struct {
	mu     sync.Mutex
	max    int
	idle   []*scratch
	closed bool
}

func (l *freeList) get() *scratch {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.idle); n > 0 {
		s := l.idle[n-1]
		l.idle = l.idle[:n-1]
		return s
	}
	return &scratch{byWidth: map[int]*tensorSet{}}
}

func (l *freeList) put(s *scratch) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.idle) < l.max && !l.closed {
		l.idle = append(l.idle, s)
		return
	}
	s.destroy()
}

func (l *freeList) destroy() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.idle {
		s.destroy()
	}
	l.idle = nil
	l.closed = true
}

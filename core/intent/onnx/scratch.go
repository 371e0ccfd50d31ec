package onnx

import (
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/frontdeskhq/frontdesk/core/intent"
)

// scratch is one caller's buffers: features, and input/output tensors by shape. Tensors wrap
// Go slices, so filling a slice fills the tensor, and a call allocates nothing once warm.
type scratch struct {
	feats []intent.Features
	pos   []int
	byKey map[[2]int]*tensorSet
}

type tensorSet struct {
	width   int
	indices *ort.Tensor[int32]
	weights *ort.Tensor[float32]
	probs   *ort.Tensor[float32]
}

// maxShapes bounds the tensor sets a scratch keeps; rare shapes (a long email, an odd batch
// size) are dropped and made again when needed.
const maxShapes = 16

func (s *scratch) tensors(rows, width, classes int) (*tensorSet, error) {
	key := [2]int{rows, width}
	if t, ok := s.byKey[key]; ok {
		return t, nil
	}
	if len(s.byKey) >= maxShapes {
		s.destroy()
	}
	shape := ort.NewShape(int64(rows), int64(width))
	idx, err := ort.NewTensor(shape, make([]int32, rows*width))
	if err != nil {
		return nil, err
	}
	wts, err := ort.NewTensor(shape, make([]float32, rows*width))
	if err != nil {
		idx.Destroy()
		return nil, err
	}
	probs, err := ort.NewTensor(ort.NewShape(int64(rows), int64(classes)), make([]float32, rows*classes))
	if err != nil {
		idx.Destroy()
		wts.Destroy()
		return nil, err
	}
	t := &tensorSet{width: width, indices: idx, weights: wts, probs: probs}
	s.byKey[key] = t
	return t, nil
}

func (s *scratch) destroy() {
	for k, t := range s.byKey {
		t.indices.Destroy()
		t.weights.Destroy()
		t.probs.Destroy()
		delete(s.byKey, k)
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
	return &scratch{feats: make([]intent.Features, 1), byKey: map[[2]int]*tensorSet{}}
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

package intent

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Reloadable is a Classifier whose model can be replaced while it serves: Reload loads the
// bundle again and swaps it in atomically; calls in flight finish on the old model, which is
// then closed. If loading fails, the old model keeps serving.
type Reloadable struct {
	load func() (Model, error)
	cur  atomic.Pointer[modelBox]
	// mu serializes Reload and Close.
	mu sync.Mutex
}

type modelBox struct{ m Model }

// NewReloadable loads the first model with load (for example a closure over onnx.Load and the
// bundle's directory) and returns the wrapper. load is called again by every Reload.
func NewReloadable(load func() (Model, error)) (*Reloadable, error) {
	m, err := load()
	if err != nil {
		return nil, err
	}
	r := &Reloadable{load: load}
	r.cur.Store(&modelBox{m})
	return r, nil
}

// Reload loads the model again and swaps it in. On error the current model stays.
func (r *Reloadable) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.cur.Load()
	if old == nil {
		return ErrClosed
	}
	m, err := r.load()
	if err != nil {
		return err
	}
	r.cur.Store(&modelBox{m})
	// Close waits for the old model's calls in flight.
	return old.m.Close()
}

// Current returns the model serving now.
func (r *Reloadable) Current() Model {
	if b := r.cur.Load(); b != nil {
		return b.m
	}
	return nil
}

// Classify classifies text with the current model. A call that raced a Reload onto the
// model being closed is retried on the new one.
func (r *Reloadable) Classify(ctx context.Context, text string) (Prediction, error) {
	for {
		b := r.cur.Load()
		if b == nil {
			return Prediction{}, ErrClosed
		}
		p, err := b.m.Classify(ctx, text)
		if errors.Is(err, ErrClosed) && r.cur.Load() != b {
			continue
		}
		return p, err
	}
}

// ClassifyBatch classifies texts with the current model, retrying as Classify does.
func (r *Reloadable) ClassifyBatch(ctx context.Context, texts []string) ([]Prediction, error) {
	for {
		b := r.cur.Load()
		if b == nil {
			return nil, ErrClosed
		}
		p, err := b.m.ClassifyBatch(ctx, texts)
		if errors.Is(err, ErrClosed) && r.cur.Load() != b {
			continue
		}
		return p, err
	}
}

// Close closes the current model; later calls return ErrClosed.
func (r *Reloadable) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.cur.Swap(nil)
	if b == nil {
		return nil
	}
	return b.m.Close()
}

var _ Model = (*Reloadable)(nil)

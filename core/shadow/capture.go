package shadow

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
)

// Capture holds what a live run's hydrations fetched, keyed by source, call and arguments,
// so that a shadow run asking the same gets the same answer without calling anything.
type Capture struct {
	mu      sync.Mutex
	fetched map[string]fetched
}

type fetched struct {
	value any
	err   string
}

// NewCapture returns an empty capture.
func NewCapture() *Capture { return &Capture{fetched: map[string]fetched{}} }

type captureKey struct{}

// WithCapture returns a context under which Recording sources write into c.
func WithCapture(ctx context.Context, c *Capture) context.Context {
	return context.WithValue(ctx, captureKey{}, c)
}

func captureOf(ctx context.Context) *Capture {
	c, _ := ctx.Value(captureKey{}).(*Capture)
	return c
}

// key names one fetch. encoding/json sorts map keys, so equal arguments give equal keys.
func key(source, call string, args map[string]any) (string, bool) {
	b, err := json.Marshal(args)
	if err != nil {
		return "", false
	}
	return source + "\x00" + call + "\x00" + string(b), true
}

func (c *Capture) put(source, call string, args map[string]any, v any, err error) {
	k, ok := key(source, call, args)
	if !ok {
		return
	}
	f := fetched{value: v}
	if err != nil {
		f.err = err.Error()
	}
	c.mu.Lock()
	c.fetched[k] = f
	c.mu.Unlock()
}

func (c *Capture) get(source, call string, args map[string]any) (fetched, bool) {
	k, ok := key(source, call, args)
	if !ok {
		return fetched{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.fetched[k]
	return f, ok
}

// Len returns the number of fetches captured.
func (c *Capture) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.fetched)
}

// Recording wraps the live sources so that fetches made under a context carrying a Capture
// are written into it. Without one, the only cost is a context lookup.
func Recording(sources hydrate.Sources) hydrate.Sources {
	out := make(hydrate.Sources, len(sources))
	for name, src := range sources {
		out[name] = recording{name: name, src: src}
	}
	return out
}

type recording struct {
	name string
	src  hydrate.Source
}

func (r recording) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	v, err := r.src.Fetch(ctx, call, args)
	if c := captureOf(ctx); c != nil {
		c.put(r.name, call, args, v, err)
	}
	return v, err
}

// ErrNotCaptured fails a shadow fetch that the live run did not make: a shadow run never
// calls a plugin, so it takes the policy's error path instead.
var ErrNotCaptured = errors.New("shadow: the live run did not fetch this")

// Replaying returns sources of the same names that answer only from the Capture in the
// context: the sources shadow versions are compiled with.
func Replaying(names []string) hydrate.Sources {
	out := make(hydrate.Sources, len(names))
	for _, name := range names {
		out[name] = replaying(name)
	}
	return out
}

type replaying string

func (r replaying) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	c := captureOf(ctx)
	if c == nil {
		return nil, ErrNotCaptured
	}
	f, ok := c.get(string(r), call, args)
	if !ok {
		return nil, ErrNotCaptured
	}
	if f.err != "" {
		return nil, errors.New(f.err)
	}
	return f.value, nil
}

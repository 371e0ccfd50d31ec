package executor

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// entry is one named Go value.
type entry struct {
	name string
	v    any
}

// valueSource serves a request from Go values: the decoded JSON input, or a test's maps.
type valueSource struct {
	entries []entry
	fetch   func(name string) ([]byte, error) // a hydration as JSON text
	logf    func(level Level, msg string)
	now     func() int64
}

// newValueSource holds the values of data.
func newValueSource(data map[string]any) *valueSource {
	s := &valueSource{entries: make([]entry, 0, len(data))}
	for k, v := range data {
		s.entries = append(s.entries, entry{k, v})
	}
	return s
}

func (s *valueSource) index(name string) int32 {
	for i, e := range s.entries {
		if e.name == name {
			return int32(i)
		}
	}
	return -1
}

func (s *valueSource) get(i int32) any {
	if i < 0 || int(i) >= len(s.entries) {
		return nil
	}
	return s.entries[i].v
}

func (s *valueSource) kind(i int32) Kind {
	switch x := s.get(i).(type) {
	case nil:
		return KindNull
	case float64, float32:
		return KindFloat
	case int, int64, int32:
		return KindInt
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return KindInt
		}
		return KindFloat
	case bool:
		return KindBool
	case string:
		return KindString
	}
	return KindJSON
}

func (s *valueSource) f64(i int32) float64 {
	switch x := s.get(i).(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return float64(s.i64(i))
}

func (s *valueSource) i64(i int32) int64 {
	switch x := s.get(i).(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case int32:
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	}
	return 0
}

func (s *valueSource) boolean(i int32) bool {
	b, _ := s.get(i).(bool)
	return b
}

func (s *valueSource) text(i int32) []byte {
	switch x := s.get(i).(type) {
	case string:
		return []byte(x)
	case json.RawMessage:
		return x
	}
	b, err := json.Marshal(s.get(i))
	if err != nil {
		return []byte("null")
	}
	return b
}

func (s *valueSource) hydrate(name string) (int32, error) {
	b, err := s.fetch(name)
	if err != nil {
		return -1, err
	}
	s.entries = append(s.entries, entry{"", json.RawMessage(b)})
	return int32(len(s.entries) - 1), nil
}

func (s *valueSource) log(level Level, msg string) { s.logf(level, msg) }

func (s *valueSource) nowMillis() int64 { return s.now() }

// Test runs a handler natively on Go values, the way a host would call it: data holds the
// selected values by name (float64, int, int64, bool, string, maps and slices), hydrations
// answer Hydrate, log lines go to stderr. A nil h runs the handler the package registered with
// Handle in its init. Use it in the executor's own go test.
func Test(h Handler, data, hydrations map[string]any) (Response, error) {
	if h == nil {
		h = handler
	}
	src := newValueSource(data)
	src.fetch = func(name string) ([]byte, error) {
		v, ok := hydrations[name]
		if !ok {
			return nil, fmt.Errorf("hydrate %q: not declared", name)
		}
		return json.Marshal(v)
	}
	src.logf = func(level Level, msg string) { fmt.Fprintf(os.Stderr, "executor log %d: %s\n", level, msg) }
	src.now = func() int64 { return time.Now().UnixMilli() }
	return run(h, &request{}, src)
}

package executor

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Handler decides one call: it reads the selected values from the request and answers a
// branch (for decide nodes) and variables (for both decide and do nodes). An error fails the
// node, which then takes its on_error edge.
type Handler func(Request) (Response, error)

// Response is an executor's answer.
type Response struct {
	// Branch is looked up in the decide node's branch map.
	Branch string
	// Vars flow on to later nodes, made with Float, Int, Bool, String or Value. They are a
	// list rather than a map because a map costs a Go WebAssembly guest several heap
	// allocations, as much as the rest of a typed call.
	Vars []Var
}

// Var is one variable of a response.
type Var struct {
	Name string
	kind Kind
	bits uint64 // a float's IEEE 754 bits, an integer, or 0/1
	s    string
	v    any
}

// Float makes a number variable.
func Float(name string, v float64) Var {
	return Var{Name: name, kind: KindFloat, bits: math.Float64bits(v)}
}

// Int makes an integer variable.
func Int(name string, v int64) Var { return Var{Name: name, kind: KindInt, bits: uint64(v)} }

// Bool makes a boolean variable.
func Bool(name string, v bool) Var {
	var b uint64
	if v {
		b = 1
	}
	return Var{Name: name, kind: KindBool, bits: b}
}

// String makes a string variable.
func String(name string, v string) Var { return Var{Name: name, kind: KindString, s: v} }

// Value makes a variable of any value encoding/json can marshal, such as a map or a list.
func Value(name string, v any) Var { return Var{Name: name, kind: KindJSON, v: v} }

// Value returns the variable's value as Go sees it: float64, int64, bool, string, or the
// value given to Value.
func (v Var) Value() any {
	switch v.kind {
	case KindFloat:
		return math.Float64frombits(v.bits)
	case KindInt:
		return int64(v.bits)
	case KindBool:
		return v.bits != 0
	case KindString:
		return v.s
	}
	return v.v
}

// varMap returns the variables by name, for a JSON answer.
func (r Response) varMap() map[string]any {
	if len(r.Vars) == 0 {
		return nil
	}
	m := make(map[string]any, len(r.Vars))
	for _, v := range r.Vars {
		m[v.Name] = v.Value()
	}
	return m
}

// Vars returns its arguments as a response's variables without allocating: the list lives in
// the request and is valid until the call ends. In a Go WebAssembly guest a heap allocation
// costs about 0.2 us (measured), the price of three host calls; a plain []executor.Var{...}
// literal works too, at that price.
func (r Request) Vars(vs ...Var) []Var {
	if len(vs) > len(r.r.vars) {
		return append([]Var(nil), vs...)
	}
	n := copy(r.r.vars[:], vs)
	r.r.nvars = max(r.r.nvars, n)
	return r.r.vars[:n:n]
}

// Var returns the named variable's value, for tests.
func (r Response) Var(name string) (any, bool) {
	for _, v := range r.Vars {
		if v.Name == name {
			return v.Value(), true
		}
	}
	return nil, false
}

// Level is the severity of a log line.
type Level int32

// The log levels the host knows.
const (
	Debug Level = 0
	Info  Level = 1
	Warn  Level = 2
	Error Level = 3
)

// handler is the registered handler. A module holds exactly one.
var handler Handler

// Handle registers the module's handler. Call it from init: the host runs package
// initialization once per instance (through _initialize), before the first call.
func Handle(h Handler) {
	handler = h
}

// Request gives a handler the values the node's selector named, by name, typed, without
// parsing. A value that is missing or of the wrong type reads as the zero value and sets the
// request's error (see Err), so a handler can read everything first and check once.
//
// A Request is valid only during the call that received it: do not keep it, or anything read
// from it, in package variables. Instances are reused across calls and customers.
type Request struct{ r *request }

// request is the state behind a Request.
type request struct {
	src   source
	err   error
	vars  [8]Var // backs Request.Vars, so an answer's variables need no allocation
	nvars int    // how many of vars the call used
}

// reset prepares the request for a call, dropping everything the previous call left.
func (r *request) reset(src source) {
	clear(r.vars[:r.nvars]) // only what was used: clearing pointers costs write barriers
	r.src, r.err, r.nvars = src, nil, 0
}

// source is where a request's values come from: the host's typed functions, a decoded JSON
// input, or Go values in tests.
type source interface {
	index(name string) int32
	kind(i int32) Kind
	f64(i int32) float64
	i64(i int32) int64
	boolean(i int32) bool
	text(i int32) []byte
	hydrate(name string) (int32, error)
	log(level Level, msg string)
	nowMillis() int64
}

// Kind is the type of a value, as ABI v1 numbers it.
type Kind int32

// The value kinds.
const (
	KindNull   Kind = 0
	KindFloat  Kind = 1
	KindInt    Kind = 2
	KindBool   Kind = 3
	KindString Kind = 4
	KindJSON   Kind = 5
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindFloat:
		return "float"
	case KindInt:
		return "int"
	case KindBool:
		return "bool"
	case KindString:
		return "string"
	case KindJSON:
		return "JSON"
	}
	return "null"
}

// ErrMissing is the request's error when a handler reads a value the selector did not give.
var ErrMissing = errors.New("executor: value missing")

// ErrType is the request's error when a value has another type than the one read.
var ErrType = errors.New("executor: wrong type")

// lookup finds a value by name and checks its kind, recording the first problem.
func (r Request) lookup(name string, want ...Kind) (int32, Kind, bool) {
	i := r.r.src.index(name)
	if i < 0 {
		r.fail(fmt.Errorf("%w: %q", ErrMissing, name))
		return -1, KindNull, false
	}
	k := r.r.src.kind(i)
	for _, w := range want {
		if k == w {
			return i, k, true
		}
	}
	r.fail(fmt.Errorf("%w: %q is %v, read as %v", ErrType, name, k, want[0]))
	return -1, k, false
}

// fail keeps the first error.
func (r Request) fail(err error) {
	if r.r.err == nil {
		r.r.err = err
	}
}

// Has reports whether the selector gave a value of this name (null included).
func (r Request) Has(name string) bool { return r.r.src.index(name) >= 0 }

// Kind returns the kind of the named value, Null when missing.
func (r Request) Kind(name string) Kind {
	i := r.r.src.index(name)
	if i < 0 {
		return KindNull
	}
	return r.r.src.kind(i)
}

// Float reads a number; integers convert.
func (r Request) Float(name string) float64 {
	if i := tableIndex(name); i >= 0 {
		if k := tableKind(i); k == KindFloat || k == KindInt {
			return tableFloat(i)
		}
	}
	i, _, ok := r.lookup(name, KindFloat, KindInt)
	if !ok {
		return 0
	}
	return r.r.src.f64(i)
}

// Int reads an integer; a float with no fraction converts.
func (r Request) Int(name string) int64 {
	if i := tableIndex(name); i >= 0 && tableKind(i) == KindInt {
		return tableInt(i)
	}
	i, k, ok := r.lookup(name, KindInt, KindFloat)
	if !ok {
		return 0
	}
	if k == KindFloat {
		f := r.r.src.f64(i)
		if f != float64(int64(f)) {
			r.fail(fmt.Errorf("%w: %q is %v, not an integer", ErrType, name, f))
			return 0
		}
		return int64(f)
	}
	return r.r.src.i64(i)
}

// Bool reads a boolean.
func (r Request) Bool(name string) bool {
	if i := tableIndex(name); i >= 0 && tableKind(i) == KindBool {
		return tablePayload(i) != 0
	}
	i, _, ok := r.lookup(name, KindBool)
	return ok && r.r.src.boolean(i)
}

// String reads a string.
func (r Request) String(name string) string {
	if i := tableIndex(name); i >= 0 && tableKind(i) == KindString {
		if b, ok := tableText(i); ok {
			return string(b)
		}
	}
	i, _, ok := r.lookup(name, KindString)
	if !ok {
		return ""
	}
	return string(r.r.src.text(i))
}

// JSON returns any value as JSON text: the way to read maps and lists, decoded with
// encoding/json or any parser the author prefers.
func (r Request) JSON(name string) []byte {
	i := r.r.src.index(name)
	if i < 0 {
		r.fail(fmt.Errorf("%w: %q", ErrMissing, name))
		return nil
	}
	if r.r.src.kind(i) == KindString {
		b, _ := json.Marshal(string(r.r.src.text(i)))
		return b
	}
	return r.r.src.text(i)
}

// Hydrate fetches a hydration the policy declares, by name, as JSON text. The fetch is
// memoized with the run's other hydrations, so asking again costs little.
func (r Request) Hydrate(name string) ([]byte, error) {
	i, err := r.r.src.hydrate(name)
	if err != nil {
		return nil, err
	}
	if r.r.src.kind(i) == KindString {
		return json.Marshal(string(r.r.src.text(i)))
	}
	return r.r.src.text(i), nil
}

// Log writes a line to the executor's log, which the host caps per call.
func (r Request) Log(level Level, msg string) { r.r.src.log(level, msg) }

// Now returns the host's clock.
func (r Request) Now() time.Time { return time.UnixMilli(r.r.src.nowMillis()) }

// Err returns the first problem reading values (ErrMissing, ErrType), or nil.
func (r Request) Err() error { return r.r.err }

// run calls the handler with state r and folds the request's error into its result. A panic
// is not recovered: it traps, the host fails the node with the panic's message from stderr
// and replaces the instance, whose state the panic may have left inconsistent. (A deferred
// recover would also cost every call.)
func run(h Handler, r *request, src source) (res Response, err error) {
	if h == nil {
		return Response{}, errors.New("executor: no handler registered (call executor.Handle in init)")
	}
	r.reset(src)
	req := Request{r}
	res, err = h(req)
	if err == nil {
		err = req.r.err
	}
	if err != nil {
		return Response{}, err
	}
	return res, nil
}

package wasm

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Kind is the type of one value as the guest sees it through arg_kind.
type Kind int32

// The value kinds of ABI v1.
const (
	KindNull   Kind = 0
	KindFloat  Kind = 1
	KindInt    Kind = 2
	KindBool   Kind = 3
	KindString Kind = 4
	KindJSON   Kind = 5
)

// value is one argument or hydrated value of a call. Scalars stay unboxed so the typed host
// functions answer without allocating; strings are copied only when the guest reads them.
type value struct {
	name string
	kind Kind
	num  uint64 // float64 bits, int64 or 0/1
	text string // a string, or JSON text for KindJSON
}

// makeValue converts a Go value, as the policy engine hands it over, to a value. Maps, slices
// and other shapes become JSON text.
func makeValue(name string, v any) (value, error) {
	val := value{name: name}
	switch x := v.(type) {
	case nil:
		val.kind = KindNull
	case float64:
		val.kind, val.num = KindFloat, math.Float64bits(x)
	case float32:
		val.kind, val.num = KindFloat, math.Float64bits(float64(x))
	case int:
		val.kind, val.num = KindInt, uint64(int64(x))
	case int64:
		val.kind, val.num = KindInt, uint64(x)
	case int32:
		val.kind, val.num = KindInt, uint64(int64(x))
	case int16:
		val.kind, val.num = KindInt, uint64(int64(x))
	case int8:
		val.kind, val.num = KindInt, uint64(int64(x))
	case uint32:
		val.kind, val.num = KindInt, uint64(x)
	case uint16:
		val.kind, val.num = KindInt, uint64(x)
	case uint8:
		val.kind, val.num = KindInt, uint64(x)
	case uint64, uint:
		// YAML decoders give positive integers as uint64; past int64 only a float can hold them.
		u := reflectUint(x)
		if u > math.MaxInt64 {
			val.kind, val.num = KindFloat, math.Float64bits(float64(u))
		} else {
			val.kind, val.num = KindInt, u
		}
	case bool:
		val.kind = KindBool
		if x {
			val.num = 1
		}
	case string:
		val.kind, val.text = KindString, x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			val.kind, val.num = KindInt, uint64(i)
		} else if f, err := x.Float64(); err == nil {
			val.kind, val.num = KindFloat, math.Float64bits(f)
		} else {
			return val, fmt.Errorf("value %q: %v", name, err)
		}
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return val, fmt.Errorf("value %q: %v", name, err)
		}
		val.kind, val.text = KindJSON, string(b)
	}
	return val, nil
}

// reflectUint widens an unsigned integer.
func reflectUint(x any) uint64 {
	if u, ok := x.(uint); ok {
		return uint64(u)
	}
	return x.(uint64)
}

// f64 answers arg_f64: numbers as float, booleans as 0 or 1, anything else 0.
func (v *value) f64() float64 {
	switch v.kind {
	case KindFloat:
		return math.Float64frombits(v.num)
	case KindInt:
		return float64(int64(v.num))
	case KindBool:
		return float64(v.num)
	}
	return 0
}

// i64 answers arg_i64: integers, floats truncated toward zero, booleans as 0 or 1, else 0.
func (v *value) i64() int64 {
	switch v.kind {
	case KindFloat:
		f := math.Float64frombits(v.num)
		if math.IsNaN(f) || f > math.MaxInt64 || f < math.MinInt64 {
			return 0
		}
		return int64(f)
	case KindInt, KindBool:
		return int64(v.num)
	}
	return 0
}

// bytes answers arg_len and arg_read: a string's UTF-8 bytes, JSON text, or the JSON text of
// a scalar ("null", "true", "1.5").
func (v *value) bytes() string {
	switch v.kind {
	case KindString, KindJSON:
		return v.text
	case KindFloat:
		return strconv.FormatFloat(math.Float64frombits(v.num), 'g', -1, 64)
	case KindInt:
		return strconv.FormatInt(int64(v.num), 10)
	case KindBool:
		if v.num != 0 {
			return "true"
		}
		return "false"
	}
	return "null"
}

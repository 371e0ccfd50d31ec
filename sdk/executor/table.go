package executor

import (
	"encoding/binary"
	"math"
)

// The value table (ABI.md section 3.1): for a typed call the host writes the selected values
// here and the answer comes back here, so reading a value or answering a variable costs a few
// memory accesses instead of a host call (a Go guest pays 55 to 150 ns per host call,
// measured). Values the table does not hold (hydrations, text that did not fit) are read
// through the host functions. Outside WebAssembly the table stays empty.
const (
	tableSize     = 4096
	tableHeader   = 8  // u32 count, u32 answered
	tableRecord   = 24 // u32 kind, u32 name offset, u32 name length, u32 text length, u64 payload
	answerHeader  = 24 // u32, u32 answered, u32 branch address, u32 branch length, u32 count, u32
	textElsewhere = ^uint64(0)
)

// table is the value table. A package array never moves, so its address holds for the
// instance's life.
var table [tableSize]byte

func get32(off uint32) uint32     { return binary.LittleEndian.Uint32(table[off:]) }
func get64(off uint32) uint64     { return binary.LittleEndian.Uint64(table[off:]) }
func recordAt(i int32) uint32     { return tableHeader + uint32(i)*tableRecord }
func inTable(i int32) bool        { return i >= 0 && uint32(i) < get32(0) }
func tableKind(i int32) Kind      { return Kind(get32(recordAt(i))) }
func tablePayload(i int32) uint64 { return get64(recordAt(i) + 16) }

// tableIndex finds a value in the table by name, or returns -1.
func tableIndex(name string) int32 {
	for i := range int32(get32(0)) {
		r := recordAt(i)
		if int(get32(r+8)) == len(name) {
			off := get32(r + 4)
			if string(table[off:off+uint32(len(name))]) == name {
				return i
			}
		}
	}
	return -1
}

// tableText returns the text of a string or JSON value held in the table.
func tableText(i int32) ([]byte, bool) {
	if !inTable(i) {
		return nil, false
	}
	k, off := tableKind(i), tablePayload(i)
	if (k != KindString && k != KindJSON) || off == textElsewhere {
		return nil, false
	}
	return table[off : off+uint64(get32(recordAt(i)+12))], true
}

// tableFloat converts value i as arg_f64 does.
func tableFloat(i int32) float64 {
	p := tablePayload(i)
	switch tableKind(i) {
	case KindFloat:
		return math.Float64frombits(p)
	case KindInt, KindBool:
		return float64(int64(p))
	}
	return 0
}

// tableInt converts value i as arg_i64 does.
func tableInt(i int32) int64 {
	p := tablePayload(i)
	switch tableKind(i) {
	case KindFloat:
		f := math.Float64frombits(p)
		if math.IsNaN(f) || f > math.MaxInt64 || f < math.MinInt64 {
			return 0
		}
		return int64(f)
	case KindInt, KindBool:
		return int64(p)
	}
	return 0
}

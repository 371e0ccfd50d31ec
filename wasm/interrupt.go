package wasm

import (
	"bytes"
	"errors"
	"fmt"
)

// interruptGlobal is the exported global that instrument adds: the watchdog sets it to 1 to
// stop a call that ran past its deadline.
const interruptGlobal = "frontdesk_interrupt"

// errNotInstrumentable says a module uses an instruction instrument does not decode (SIMD,
// threads, exceptions); such a module runs under wazero's own termination checks instead.
var errNotInstrumentable = errors.New("not instrumentable")

// instrument rewrites a module so that a deadline can stop it cheaply. wazero's
// WithCloseOnContextDone compiles a check into every loop header that leaves the machine code
// for Go, and starts a goroutine per call; the Go compiler makes every function a loop, so a
// Go guest pays that exit on each function call (about half of a typed call's cost). Instead,
// instrument adds a mutable i32 global, exported as frontdesk_interrupt, and at the head of
// every loop the three instructions
//
//	global.get $interrupt  if  unreachable  end
//
// a load and a branch. The watchdog sets the global from its goroutine; the guest traps at its
// next loop iteration. Code without loops ends by itself, and recursion ends in a stack
// overflow trap.
func instrument(code []byte) ([]byte, error) {
	r := &reader{b: code}
	if !bytes.HasPrefix(code, []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, fmt.Errorf("%w: not a WebAssembly 1.0 module", errNotInstrumentable)
	}
	r.pos = 8
	type section struct {
		id      byte
		payload []byte
	}
	var sections []section
	importedGlobals, definedGlobals := 0, 0
	for !r.done() {
		id := r.byte()
		size := r.uleb()
		payload := r.bytes(int(size))
		if r.err != nil {
			return nil, r.err
		}
		switch id {
		case 2:
			n, err := countImportedGlobals(payload)
			if err != nil {
				return nil, err
			}
			importedGlobals = n
		case 6:
			pr := &reader{b: payload}
			definedGlobals = int(pr.uleb())
			if pr.err != nil {
				return nil, pr.err
			}
		case 7:
			if bytes.Contains(payload, []byte(interruptGlobal)) {
				return nil, fmt.Errorf("%w: the module exports a name like %s already", errNotInstrumentable, interruptGlobal)
			}
		}
		sections = append(sections, section{id, payload})
	}
	index := uint64(importedGlobals + definedGlobals)
	check := append(append([]byte{0x23}, uleb(index)...), 0x04, 0x40, 0x00, 0x0b)

	// A mutable i32 global initialized to 0, and its export.
	newGlobal := []byte{0x7f, 0x01, 0x41, 0x00, 0x0b}
	newExport := append(append(uleb(uint64(len(interruptGlobal))), interruptGlobal...), 0x03)
	newExport = append(newExport, uleb(index)...)

	out := bytes.NewBuffer(make([]byte, 0, len(code)+len(code)/16))
	out.Write(code[:8])
	write := func(id byte, payload []byte) {
		out.WriteByte(id)
		out.Write(uleb(uint64(len(payload))))
		out.Write(payload)
	}
	wroteGlobal, wroteExport := false, false
	for _, s := range sections {
		// Sections come in a fixed order; a missing global or export section goes where it
		// would have been.
		if s.id != 0 && !wroteGlobal && after(s.id, 6) {
			write(6, append(uleb(1), newGlobal...))
			wroteGlobal = true
		}
		if s.id != 0 && !wroteExport && after(s.id, 7) {
			write(7, append(uleb(1), newExport...))
			wroteExport = true
		}
		switch s.id {
		case 6:
			payload, err := appendToVector(s.payload, newGlobal)
			if err != nil {
				return nil, err
			}
			write(6, payload)
			wroteGlobal = true
		case 7:
			payload, err := appendToVector(s.payload, newExport)
			if err != nil {
				return nil, err
			}
			write(7, payload)
			wroteExport = true
		case 10:
			payload, err := instrumentCode(s.payload, check)
			if err != nil {
				return nil, err
			}
			write(10, payload)
		default:
			write(s.id, s.payload)
		}
	}
	if !wroteGlobal {
		write(6, append(uleb(1), newGlobal...))
	}
	if !wroteExport {
		write(7, append(uleb(1), newExport...))
	}
	return out.Bytes(), nil
}

// sectionOrder is the position of each known section id in a module (custom sections, id 0,
// may appear anywhere and are left where they are).
var sectionOrder = map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// after reports whether section id comes after section other.
func after(id, other byte) bool { return sectionOrder[id] > sectionOrder[other] }

// countImportedGlobals counts the globals among a module's imports: they come first in the
// global index space.
func countImportedGlobals(payload []byte) (int, error) {
	r := &reader{b: payload}
	n := r.uleb()
	globals := 0
	for i := uint64(0); i < n && r.err == nil; i++ {
		r.bytes(int(r.uleb())) // module
		r.bytes(int(r.uleb())) // name
		switch kind := r.byte(); kind {
		case 0x00: // function: type index
			r.uleb()
		case 0x01: // table: reftype, limits
			r.byte()
			r.limits()
		case 0x02: // memory: limits
			r.limits()
		case 0x03: // global: valtype, mutability
			r.byte()
			r.byte()
			globals++
		default:
			return 0, fmt.Errorf("%w: import kind %#x", errNotInstrumentable, kind)
		}
	}
	return globals, r.err
}

// appendToVector appends one encoded element to a section that is a vector.
func appendToVector(payload, elem []byte) ([]byte, error) {
	r := &reader{b: payload}
	n := r.uleb()
	if r.err != nil {
		return nil, r.err
	}
	out := append(uleb(n+1), payload[r.pos:]...)
	return append(out, elem...), nil
}

// instrumentCode inserts check after the block type of every loop in every function body.
func instrumentCode(payload, check []byte) ([]byte, error) {
	r := &reader{b: payload}
	n := r.uleb()
	out := append(make([]byte, 0, len(payload)+len(payload)/8), uleb(n)...)
	var body []byte
	for i := uint64(0); i < n && r.err == nil; i++ {
		size := r.uleb()
		b, err := instrumentBody(r.bytes(int(size)), check, body[:0])
		if err != nil {
			return nil, fmt.Errorf("function body %d: %w", i, err)
		}
		body = b
		out = append(out, uleb(uint64(len(body)))...)
		out = append(out, body...)
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// instrumentBody copies one function body into out with the check after each loop header.
func instrumentBody(body, check, out []byte) ([]byte, error) {
	r := &reader{b: body}
	groups := r.uleb() // locals: count of (n, valtype) groups
	for i := uint64(0); i < groups && r.err == nil; i++ {
		r.uleb()
		r.byte()
	}
	out = append(out, body[:r.pos]...)
	for !r.done() && r.err == nil {
		start := r.pos
		op := r.byte()
		isLoop := op == 0x03
		if err := skipImmediates(r, op); err != nil {
			return nil, err
		}
		out = append(out, body[start:r.pos]...)
		if isLoop {
			out = append(out, check...)
		}
	}
	return out, r.err
}

// skipImmediates moves past the immediates of instruction op (WebAssembly 2.0 without SIMD,
// threads and exceptions, which make the module fall back).
func skipImmediates(r *reader, op byte) error {
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04: // block, loop, if
		r.blockType()
	case op == 0x0c || op == 0x0d || op == 0x10 || op == 0x12 || (op >= 0x20 && op <= 0x26) || op == 0xd2:
		r.uleb() // br, br_if, call, return_call, local/global/table get/set/tee, ref.func
	case op == 0x0e: // br_table
		n := r.uleb()
		for i := uint64(0); i <= n && r.err == nil; i++ {
			r.uleb()
		}
	case op == 0x11 || op == 0x13: // call_indirect, return_call_indirect
		r.uleb()
		r.uleb()
	case op == 0x1c: // select t*
		n := r.uleb()
		r.bytes(int(n))
	case op >= 0x28 && op <= 0x3e: // loads and stores: memarg
		align := r.uleb()
		if align&0x40 != 0 {
			r.uleb() // memory index
		}
		r.uleb()
	case op == 0x3f || op == 0x40: // memory.size, memory.grow
		r.uleb()
	case op == 0x41 || op == 0x42: // i32.const, i64.const
		r.uleb()
	case op == 0x43:
		r.bytes(4)
	case op == 0x44:
		r.bytes(8)
	case op == 0xd0: // ref.null heaptype
		r.byte()
	case op == 0xfc:
		return skipPrefixed(r)
	case op <= 0x01 || op == 0x05 || op == 0x0b || op == 0x0f || op == 0x1a || op == 0x1b ||
		(op >= 0x45 && op <= 0xc4) || op == 0xd1:
		// no immediates
	default:
		return fmt.Errorf("%w: opcode %#x", errNotInstrumentable, op)
	}
	return r.err
}

// skipPrefixed moves past a 0xfc instruction: saturating truncation and bulk memory/tables.
func skipPrefixed(r *reader) error {
	switch sub := r.uleb(); {
	case sub <= 7: // trunc_sat
	case sub == 8 || sub == 12 || sub == 14 || sub == 10: // memory.init, table.init, table.copy, memory.copy
		r.uleb()
		r.uleb()
	case sub == 9 || sub == 11 || sub == 13 || sub == 15 || sub == 16 || sub == 17:
		r.uleb() // data.drop, memory.fill, elem.drop, table.grow, table.size, table.fill
	default:
		return fmt.Errorf("%w: opcode 0xfc %d", errNotInstrumentable, sub)
	}
	return r.err
}

// reader decodes a module's bytes, keeping the first error.
type reader struct {
	b   []byte
	pos int
	err error
}

var errTruncated = fmt.Errorf("%w: truncated module", errNotInstrumentable)

func (r *reader) done() bool { return r.pos >= len(r.b) }

func (r *reader) byte() byte {
	if r.pos >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || r.pos+n > len(r.b) {
		r.err = errTruncated
		r.pos = len(r.b)
		return nil
	}
	b := r.b[r.pos : r.pos+n]
	r.pos += n
	return b
}

// uleb reads an unsigned LEB128 number; signed ones have the same length, so it skips them too.
func (r *reader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 70; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = fmt.Errorf("%w: LEB128 number too long", errNotInstrumentable)
	return 0
}

func (r *reader) limits() {
	flags := r.byte()
	r.uleb()
	if flags&0x01 != 0 {
		r.uleb()
	}
}

// blockType skips a block type: empty, a value type, or a type index (a signed LEB128).
func (r *reader) blockType() {
	if r.pos < len(r.b) {
		switch r.b[r.pos] {
		case 0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f:
			r.pos++
			return
		}
	}
	r.uleb()
}

// uleb encodes an unsigned LEB128 number.
func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
			continue
		}
		return append(out, c)
	}
}

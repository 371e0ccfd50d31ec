package wasm

import (
	"bytes"
	"errors"
	"fmt"
)

// interruptGlobal is the exported global that instrument adds: the watchdog sets it to 1 to
// stop a call that ran past its deadline.
const interruptGlobal = "frontdesk_interrupt"

// startExport is the export instrument gives a module's start function, whose start section
// it removes: wazero would run the start function inside instantiation, before the interrupt
// global can be reached, so a start function that never ends could not be stopped. The host
// calls it right after instantiating, as the start section would have.
const startExport = "frontdesk_start"

// errNotInstrumentable says a module uses an instruction instrument does not decode (SIMD,
// threads, exceptions); such a module runs under wazero's own termination checks instead.
var errNotInstrumentable = errors.New("not instrumentable")

// instrument rewrites a module so that a deadline can stop it cheaply. wazero's
// WithCloseOnContextDone compiles a check into every loop header that leaves the machine code
// for Go, and starts a goroutine per call; the Go compiler makes every function a loop, so a
// Go guest pays that exit on each function call (about half of a typed call's cost). Instead,
// instrument adds two mutable i32 globals, a fuel counter and the interrupt flag (exported as
// frontdesk_interrupt), and at the head of every loop:
//
//	fuel = fuel - 1
//	if fuel == 0 {
//		fuel = fuelPerCheck
//		drop(memory.grow(0))        // leaves the machine code for Go
//		if interrupt { unreachable }
//	}
//
// The counter costs a few instructions per iteration. The memory.grow(0) every fuelPerCheck
// iterations matters as much as the flag: machine code cannot be preempted by the Go runtime,
// so a guest looping without ever entering Go would hold up every stop-the-world of the
// garbage collector, the watchdog that would set the flag included, and freeze the process.
// The watchdog sets the flag from its goroutine; the guest traps within fuelPerCheck
// iterations. Code without loops ends by itself, and recursion ends in a stack overflow trap.
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
	start := int64(-1)
	hasMemory := false
	for !r.done() {
		id := r.byte()
		size := r.uleb()
		payload := r.bytes(int(size))
		if r.err != nil {
			return nil, r.err
		}
		switch id {
		case 2:
			n, memories, err := countImports(payload)
			if err != nil {
				return nil, err
			}
			importedGlobals, hasMemory = n, hasMemory || memories > 0
		case 5:
			hasMemory = true
		case 6:
			pr := &reader{b: payload}
			definedGlobals = int(pr.uleb())
			if pr.err != nil {
				return nil, pr.err
			}
		case 7:
			for _, name := range []string{interruptGlobal, startExport} {
				if bytes.Contains(payload, []byte(name)) {
					return nil, fmt.Errorf("%w: the module exports a name like %s already", errNotInstrumentable, name)
				}
			}
		case 8:
			pr := &reader{b: payload}
			start = int64(pr.uleb())
			if pr.err != nil {
				return nil, pr.err
			}
			continue // the start function becomes an export
		}
		sections = append(sections, section{id, payload})
	}
	if !hasMemory {
		return nil, fmt.Errorf("%w: no memory for the checks to use", errNotInstrumentable)
	}
	fuel := uint64(importedGlobals + definedGlobals)
	index := fuel + 1
	check := loopCheck(fuel, index)

	// Two mutable i32 globals: the fuel counter, then the interrupt flag.
	newGlobal := append([]byte{0x7f, 0x01, 0x41}, sleb(fuelPerCheck)...)
	newGlobal = append(newGlobal, 0x0b, 0x7f, 0x01, 0x41, 0x00, 0x0b)
	newExports := exportEntry(interruptGlobal, 0x03, index)
	exports := uint64(1)
	if start >= 0 {
		newExports = append(newExports, exportEntry(startExport, 0x00, uint64(start))...)
		exports++
	}

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
			write(6, append(uleb(2), newGlobal...))
			wroteGlobal = true
		}
		if s.id != 0 && !wroteExport && after(s.id, 7) {
			write(7, append(uleb(exports), newExports...))
			wroteExport = true
		}
		switch s.id {
		case 6:
			payload, err := appendToVector(s.payload, newGlobal, 2)
			if err != nil {
				return nil, err
			}
			write(6, payload)
			wroteGlobal = true
		case 7:
			payload, err := appendToVector(s.payload, newExports, exports)
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
		write(6, append(uleb(2), newGlobal...))
	}
	if !wroteExport {
		write(7, append(uleb(exports), newExports...))
	}
	return out.Bytes(), nil
}

// sectionOrder is the position of each known section id in a module (custom sections, id 0,
// may appear anywhere and are left where they are).
var sectionOrder = map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// after reports whether section id comes after section other.
func after(id, other byte) bool { return sectionOrder[id] > sectionOrder[other] }

// fuelPerCheck is how many loop iterations pass between two looks at the interrupt flag.
const fuelPerCheck = 1 << 16

// loopCheck encodes the instructions instrument puts at the head of every loop, given the
// indexes of the fuel and interrupt globals.
func loopCheck(fuel, interrupt uint64) []byte {
	g := func(op byte, i uint64) []byte { return append([]byte{op}, uleb(i)...) }
	var c []byte
	c = append(c, g(0x23, fuel)...)             // global.get $fuel
	c = append(c, 0x41, 0x01, 0x6b)             // i32.const 1, i32.sub
	c = append(c, g(0x24, fuel)...)             // global.set $fuel
	c = append(c, g(0x23, fuel)...)             // global.get $fuel
	c = append(c, 0x45, 0x04, 0x40)             // i32.eqz, if
	c = append(c, 0x41)                         // i32.const fuelPerCheck
	c = append(c, sleb(fuelPerCheck)...)        //
	c = append(c, g(0x24, fuel)...)             // global.set $fuel
	c = append(c, 0x41, 0x00, 0x40, 0x00, 0x1a) // i32.const 0, memory.grow 0, drop
	c = append(c, g(0x23, interrupt)...)        // global.get $interrupt
	c = append(c, 0x04, 0x40, 0x00, 0x0b)       // if unreachable end
	return append(c, 0x0b)                      // end
}

// countImports counts the globals and memories among a module's imports: imported globals
// come first in the global index space.
func countImports(payload []byte) (globals, memories int, err error) {
	r := &reader{b: payload}
	n := r.uleb()
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
			memories++
		case 0x03: // global: valtype, mutability
			r.byte()
			r.byte()
			globals++
		default:
			return 0, 0, fmt.Errorf("%w: import kind %#x", errNotInstrumentable, kind)
		}
	}
	return globals, memories, r.err
}

// appendToVector appends n encoded elements to a section that is a vector.
func appendToVector(payload, elems []byte, n uint64) ([]byte, error) {
	r := &reader{b: payload}
	count := r.uleb()
	if r.err != nil {
		return nil, r.err
	}
	out := append(uleb(count+n), payload[r.pos:]...)
	return append(out, elems...), nil
}

// exportEntry encodes one export: name, kind (0 function, 3 global) and index.
func exportEntry(name string, kind byte, index uint64) []byte {
	out := append(uleb(uint64(len(name))), name...)
	out = append(out, kind)
	return append(out, uleb(index)...)
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

// sleb encodes a signed LEB128 number (i32.const takes one).
func sleb(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
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

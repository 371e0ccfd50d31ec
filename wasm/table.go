package wasm

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// The value table (ABI.md section 3.1) is an optional area of guest memory, located once per
// instance through the export frontdesk_table, through which a typed call's values go in and
// its answer comes out without a host function call per value. A Go guest pays about 55 ns
// for the cheapest host call and 150 ns for a typical one (measured), which made reading
// three values and answering two variables cost 2.5 us; through the table they cost memory
// loads and stores.
const exportTable = "frontdesk_table"

// Table layout, all integers little-endian.
const (
	// tableHeader is the header before the value records: u32 count, u32 answered.
	tableHeader = 8
	// tableRecord is one value record: u32 kind, u32 name offset, u32 name length,
	// u32 text length, u64 payload (float bits, integer, 0/1, or the text's offset).
	tableRecord = 24
	// answerHeader is the answer's header: u32 count (ignored), u32 answered = 1,
	// u32 branch pointer, u32 branch length, u32 variable count, u32 reserved.
	answerHeader = 24
	// tableMin is the smallest table a module may declare: one answer variable.
	tableMin = answerHeader + tableRecord
	// textElsewhere in a string or JSON record's payload says its text did not fit: the
	// guest reads it with arg_len and arg_read.
	textElsewhere = math.MaxUint64
	// answeredFlag at offset 4 says the guest answered through the table.
	answeredFlag = 1
)

// table is where an instance's value table lives in its memory; size 0 means none.
type table struct {
	ptr, size uint32
	used      uint32 // bytes the host wrote for the current call, cleared after it
}

// locateTable asks the module where its table is, during initialization (ctx), and checks
// that it lies in memory; classify explains a failed call.
func (in *instance) locateTable(ctx context.Context, classify func(error) error) error {
	f := in.mod.ExportedFunction(exportTable)
	if f == nil {
		return nil
	}
	out, err := f.Call(ctx)
	if err != nil {
		return classify(err)
	}
	ptr, size := uint32(out[0]>>32), uint32(out[0])
	if size < tableMin {
		return fmt.Errorf("%w: a table of %d bytes, at least %d needed", ErrBadOutput, size, tableMin)
	}
	if _, ok := in.mod.Memory().Read(ptr, size); !ok {
		return fmt.Errorf("%w: table [%d, +%d) outside memory", ErrBadOutput, ptr, size)
	}
	in.table = table{ptr: ptr, size: size}
	return nil
}

// fillTable writes the call's selected values into the table: every value, or none (count
// 0) when their records and names do not fit. Text that does not fit after the names is
// marked textElsewhere; the guest then reads it through the host functions.
func (in *instance) fillTable() {
	t := &in.table
	b, _ := in.mod.Memory().Read(t.ptr, t.size) // checked by locateTable; memory never shrinks
	c := &in.call
	n := uint32(c.nargs)
	end := tableHeader + n*tableRecord
	for i := range c.nargs {
		end += uint32(len(c.values[i].name))
	}
	if end > t.size {
		n, end = 0, tableHeader
	}
	le := binary.LittleEndian
	le.PutUint32(b[0:], n)
	le.PutUint32(b[4:], 0)
	names := tableHeader + n*tableRecord
	for i := range n {
		v := &c.values[i]
		r := b[tableHeader+i*tableRecord:]
		le.PutUint32(r[0:], uint32(v.kind))
		le.PutUint32(r[4:], names)
		le.PutUint32(r[8:], uint32(len(v.name)))
		names += uint32(copy(b[names:], v.name))
		payload := v.num
		if v.kind == KindString || v.kind == KindJSON {
			le.PutUint32(r[12:], uint32(len(v.text)))
			if uint64(end)+uint64(len(v.text)) <= uint64(t.size) {
				payload = uint64(end)
				end += uint32(copy(b[end:], v.text))
			} else {
				payload = textElsewhere
			}
		} else {
			le.PutUint32(r[12:], 0)
		}
		le.PutUint64(r[16:], payload)
	}
	t.used = end
}

// readTable takes the guest's answer from the table, when it answered there, and then
// zeroes what the call wrote, so no customer's values stay in the table between calls.
func (in *instance) readTable() {
	t := &in.table
	b, _ := in.mod.Memory().Read(t.ptr, t.size)
	le := binary.LittleEndian
	used := t.used
	if le.Uint32(b[4:]) == answeredFlag {
		used = max(used, in.readAnswer(b))
	}
	clear(b[:used])
	t.used = 0
}

// readAnswer records the branch and variables of an answer in table b and returns how many
// bytes of the table it spans. A malformed answer is recorded as the call's fault.
func (in *instance) readAnswer(b []byte) uint32 {
	c := &in.call
	le := binary.LittleEndian
	mem := in.mod.Memory()
	guest := func(ptr, n uint32) ([]byte, bool) {
		p, ok := mem.Read(ptr, n)
		if !ok {
			c.fault(fmt.Errorf("%w: [%d, +%d) outside %d bytes", errGuestMemory, ptr, n, mem.Size()))
		}
		return p, ok
	}
	n := le.Uint32(b[16:])
	if uint64(n) > uint64(len(b)-answerHeader)/tableRecord {
		c.fault(fmt.Errorf("%w: %d variables in a table of %d bytes", ErrBadOutput, n, len(b)))
		return answerHeader
	}
	branch, ok := guest(le.Uint32(b[8:]), le.Uint32(b[12:]))
	if !ok {
		return answerHeader
	}
	if len(branch) > 0 && c.spend(len(branch)) {
		c.branch = c.internAt(0, branch)
	}
	if n > 0 {
		c.vars = make([]policy.Var, 0, n)
	}
	for i := range n {
		r := b[answerHeader+i*tableRecord:]
		name, ok := guest(le.Uint32(r[4:]), le.Uint32(r[8:]))
		if !ok {
			break
		}
		payload := le.Uint64(r[16:])
		switch k := Kind(le.Uint32(r[0:])); k {
		case KindNull:
			c.put(c.internAt(int(i)+1, name), nil, 0)
		case KindFloat:
			c.put(c.internAt(int(i)+1, name), math.Float64frombits(payload), 8)
		case KindInt:
			c.put(c.internAt(int(i)+1, name), int64(payload), 8)
		case KindBool:
			c.put(c.internAt(int(i)+1, name), payload != 0, 1)
		case KindString, KindJSON:
			text, ok := guest(uint32(payload), le.Uint32(r[12:]))
			if !ok {
				break
			}
			if k == KindString {
				c.put(c.internAt(int(i)+1, name), string(text), len(text))
			} else {
				c.setVarJSON(name, text)
			}
		default:
			c.fault(fmt.Errorf("%w: variable %q has kind %d", ErrBadOutput, name, k))
		}
		if c.err != nil {
			break
		}
	}
	return answerHeader + n*tableRecord
}

//go:build wasip1

package executor

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"unsafe"
)

// The host functions of ABI v1, module "frontdesk".

//go:wasmimport frontdesk arg_index
func hostArgIndex(name string) int32

//go:wasmimport frontdesk arg_kind
func hostArgKind(i int32) int32

//go:wasmimport frontdesk arg_f64
func hostArgF64(i int32) float64

//go:wasmimport frontdesk arg_i64
func hostArgI64(i int32) int64

//go:wasmimport frontdesk arg_bool
func hostArgBool(i int32) int32

//go:wasmimport frontdesk arg_len
func hostArgLen(i int32) int32

//go:wasmimport frontdesk arg_read
func hostArgRead(i int32, ptr unsafe.Pointer, capacity int32) int32

//go:wasmimport frontdesk hydrate
func hostHydrate(name string) int32

//go:wasmimport frontdesk fail
func hostFail(msg string)

//go:wasmimport frontdesk log
func hostLog(level int32, msg string)

//go:wasmimport frontdesk now_ms
func hostNowMs() int64

// held keeps the JSON text of a typed answer's variables reachable until the host has read
// it, that is until the next call starts.
var held [][]byte

// frontdesk_table tells the host where the table is: (address << 32) | size.
//
//go:wasmexport frontdesk_table
func frontdeskTable() uint64 {
	return uint64(addr(unsafe.Pointer(&table)))<<32 | tableSize
}

func put32(off uint32, v uint32) { binary.LittleEndian.PutUint32(table[off:], v) }
func put64(off uint32, v uint64) { binary.LittleEndian.PutUint64(table[off:], v) }

// addr is the guest memory address of p.
func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// stringAddr is the guest memory address of a string's bytes.
func stringAddr(s string) uint32 { return addr(unsafe.Pointer(unsafe.StringData(s))) }

// hostSource reads values from the table, and through the host functions what the table
// does not hold: the typed way in.
type hostSource struct{}

func (hostSource) index(name string) int32 {
	if i := tableIndex(name); i >= 0 {
		return i
	}
	return hostArgIndex(name)
}

func (hostSource) kind(i int32) Kind {
	if inTable(i) {
		return tableKind(i)
	}
	return Kind(hostArgKind(i))
}

func (hostSource) f64(i int32) float64 {
	if inTable(i) {
		return tableFloat(i)
	}
	return hostArgF64(i)
}

func (hostSource) i64(i int32) int64 {
	if inTable(i) {
		return tableInt(i)
	}
	return hostArgI64(i)
}

func (hostSource) boolean(i int32) bool {
	if !inTable(i) {
		return hostArgBool(i) != 0
	}
	return tableKind(i) == KindBool && tablePayload(i) != 0
}

func (hostSource) nowMillis() int64        { return hostNowMs() }
func (hostSource) log(l Level, msg string) { hostLog(int32(l), msg) }

func (hostSource) text(i int32) []byte {
	if b, ok := tableText(i); ok {
		return append([]byte(nil), b...)
	}
	n := hostArgLen(i)
	if n == 0 {
		return nil
	}
	b := make([]byte, n)
	hostArgRead(i, unsafe.Pointer(&b[0]), n)
	return b
}

func (hostSource) hydrate(name string) (int32, error) {
	i := hostHydrate(name)
	if i < 0 {
		return -1, errors.New(string(hostSource{}.text(^i)))
	}
	return i, nil
}

// frontdesk_abi_v1 declares the ABI version by its name.
//
//go:wasmexport frontdesk_abi_v1
func frontdeskABIv1() {}

// frontdesk_run is the typed way in: the handler reads from the table (or through the host
// functions) and the answer goes back through the table, or fail.
//
//go:wasmexport frontdesk_run
func frontdeskRun() int32 {
	clear(held)
	held = held[:0]
	res, err := run(handler, &current, hostSource{})
	rc := answer(&res, err)
	current.reset(nil) // the variables it holds must not outlive their call
	return rc
}

// answer writes a typed call's answer into the table, or fails the call.
func answer(res *Response, err error) int32 {
	if err == nil && answerHeader+len(res.Vars)*tableRecord > tableSize {
		err = fmt.Errorf("executor: %d variables, at most %d", len(res.Vars), (tableSize-answerHeader)/tableRecord)
	}
	if err != nil {
		hostFail(err.Error())
		return 1
	}
	for i := range res.Vars {
		v := &res.Vars[i] // not a copy: a Var is 64 bytes, and copies cost a Go guest memmoves
		r := uint32(answerHeader + i*tableRecord)
		put32(r, uint32(v.kind))
		put32(r+4, stringAddr(v.Name))
		put32(r+8, uint32(len(v.Name)))
		put32(r+12, 0)
		switch v.kind {
		case KindFloat, KindInt, KindBool:
			put64(r+16, v.bits)
		case KindString:
			put32(r+12, uint32(len(v.s)))
			put64(r+16, uint64(stringAddr(v.s)))
		default:
			b, err := json.Marshal(v.v)
			if err != nil {
				hostFail(fmt.Sprintf("executor: variable %q: %v", v.Name, err))
				return 1
			}
			held = append(held, b)
			put32(r, uint32(KindJSON))
			put32(r+12, uint32(len(b)))
			put64(r+16, uint64(addr(unsafe.Pointer(unsafe.SliceData(b)))))
		}
	}
	put32(8, stringAddr(res.Branch))
	put32(12, uint32(len(res.Branch)))
	put32(16, uint32(len(res.Vars)))
	put32(4, 1) // last: the host reads an answer only once it is complete
	return 0
}

// current is the state of the running call: a WebAssembly instance runs one call at a time,
// and a package variable costs no allocation per call.
var current request

// The JSON way in keeps one input and one output buffer per instance. Both are zeroed before
// the next call uses them and the input right after it is parsed, so no customer's data stays
// in them while the instance waits; see "What an instance keeps" in ABI.md.
var inBuf, outBuf []byte

// frontdesk_alloc returns a buffer of size bytes for the host to write the JSON input into.
//
//go:wasmexport frontdesk_alloc
func frontdeskAlloc(size int32) unsafe.Pointer {
	put32(0, 0) // a JSON call's values are in its input, never in the table
	clear(outBuf)
	if cap(inBuf) < int(size) {
		inBuf = make([]byte, size)
	}
	inBuf = inBuf[:size]
	if size == 0 {
		return nil
	}
	return unsafe.Pointer(&inBuf[0])
}

// jsonInput is the JSON input of ABI v1, as far as the SDK reads it.
type jsonInput struct {
	Data map[string]any `json:"data"`
}

// jsonAnswer is the JSON answer of ABI v1.
type jsonAnswer struct {
	Branch string         `json:"branch,omitempty"`
	Vars   map[string]any `json:"vars,omitempty"`
	Error  string         `json:"error,omitempty"`
}

// frontdesk_execute is the JSON way in: it parses the input the host wrote at ptr and answers
// JSON, returning the answer's address and length packed as (ptr << 32) | len.
//
//go:wasmexport frontdesk_execute
func frontdeskExecute(ptr unsafe.Pointer, size int32) uint64 {
	var in jsonInput
	d := json.NewDecoder(bytes.NewReader(inBuf[:size]))
	d.UseNumber()
	err := d.Decode(&in)
	clear(inBuf)
	var ans jsonAnswer
	if err != nil {
		ans.Error = "executor: input: " + err.Error()
	} else {
		src := newValueSource(in.Data)
		src.fetch = func(name string) ([]byte, error) {
			i, err := hostSource{}.hydrate(name)
			if err != nil {
				return nil, err
			}
			return hostSource{}.text(i), nil
		}
		src.logf = hostSource{}.log
		src.now = hostNowMs
		res, err := run(handler, &current, src)
		defer current.reset(nil)
		if err != nil {
			ans.Error = err.Error()
		} else {
			ans.Branch, ans.Vars = res.Branch, res.varMap()
		}
	}
	out, err := json.Marshal(ans)
	if err != nil {
		out, _ = json.Marshal(jsonAnswer{Error: "executor: answer: " + err.Error()})
	}
	outBuf = append(outBuf[:0], out...)
	if len(outBuf) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&outBuf[0])))<<32 | uint64(len(outBuf))
}

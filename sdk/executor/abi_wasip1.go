//go:build wasip1

package executor

import (
	"bytes"
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

//go:wasmimport frontdesk set_branch
func hostSetBranch(branch string)

//go:wasmimport frontdesk set_var_f64
func hostSetVarF64(name string, v float64)

//go:wasmimport frontdesk set_var_i64
func hostSetVarI64(name string, v int64)

//go:wasmimport frontdesk set_var_bool
func hostSetVarBool(name string, v int32)

//go:wasmimport frontdesk set_var_str
func hostSetVarStr(name string, v string)

//go:wasmimport frontdesk set_var_json
func hostSetVarJSON(name string, v string)

//go:wasmimport frontdesk fail
func hostFail(msg string)

//go:wasmimport frontdesk log
func hostLog(level int32, msg string)

//go:wasmimport frontdesk now_ms
func hostNowMs() int64

// hostSource reads values through the host functions: the typed way in. (Copying all
// selected values into guest memory with one host call was measured too: the Go code that
// then finds and decodes them costs more than the host calls it saves.)
type hostSource struct{}

func (hostSource) index(name string) int32 { return hostArgIndex(name) }
func (hostSource) kind(i int32) Kind       { return Kind(hostArgKind(i)) }
func (hostSource) f64(i int32) float64     { return hostArgF64(i) }
func (hostSource) i64(i int32) int64       { return hostArgI64(i) }
func (hostSource) boolean(i int32) bool    { return hostArgBool(i) != 0 }
func (hostSource) nowMillis() int64        { return hostNowMs() }
func (hostSource) log(l Level, msg string) { hostLog(int32(l), msg) }

func (hostSource) text(i int32) []byte {
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

// frontdesk_run is the typed way in: the handler reads through host functions and the
// answer goes back through set_branch, set_var_* and fail.
//
//go:wasmexport frontdesk_run
func frontdeskRun() int32 {
	res, err := run(handler, &current, hostSource{})
	rc := answer(res, err)
	current.reset(nil) // the variables it holds must not outlive their call
	return rc
}

// answer sends a typed call's answer through the host functions.
func answer(res Response, err error) int32 {
	if err != nil {
		hostFail(err.Error())
		return 1
	}
	if res.Branch != "" {
		hostSetBranch(res.Branch)
	}
	for _, v := range res.Vars {
		switch v.kind {
		case KindFloat:
			hostSetVarF64(v.Name, v.num)
		case KindInt:
			hostSetVarI64(v.Name, v.i)
		case KindBool:
			hostSetVarBool(v.Name, int32(v.i))
		case KindString:
			hostSetVarStr(v.Name, v.s)
		default:
			b, err := json.Marshal(v.v)
			if err != nil {
				hostFail(fmt.Sprintf("executor: variable %q: %v", v.Name, err))
				return 1
			}
			hostSetVarJSON(v.Name, string(b))
		}
	}
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

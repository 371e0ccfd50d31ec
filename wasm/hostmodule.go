package wasm

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// hostModuleName is the import module of the ABI v1 host functions.
const hostModuleName = "frontdesk"

// callKey finds the current call in the context wazero hands to host functions.
type callKey struct{}

// callOf returns the call a host function serves.
func callOf(ctx context.Context) *call {
	return ctx.Value(callKey{}).(*call)
}

// errGuestMemory aborts a call whose pointers leave the guest's memory; the call reports the
// fault recorded before it.
var errGuestMemory = fmt.Errorf("%w: pointer out of guest memory", ErrBadOutput)

// read returns a view of guest memory, or aborts the call when it is out of bounds.
func read(c *call, mod api.Module, ptr, n uint64) []byte {
	b, ok := mod.Memory().Read(uint32(ptr), uint32(n))
	if !ok {
		c.fault(fmt.Errorf("%w: [%d, +%d) outside %d bytes", errGuestMemory, uint32(ptr), uint32(n), mod.Memory().Size()))
		panic(errGuestMemory)
	}
	return b
}

// hostFunc is one function of the host module: its name, Go body and wasm signature.
type hostFunc struct {
	name            string
	fn              api.GoModuleFunc
	params, results []api.ValueType
}

var (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
	f64 = api.ValueTypeF64
)

// hostFuncs are the functions of module "frontdesk", as ABI.md documents them.
var hostFuncs = []hostFunc{
	{"arg_count", func(ctx context.Context, _ api.Module, s []uint64) {
		s[0] = uint64(callOf(ctx).nargs)
	}, nil, []api.ValueType{i32}},
	{"arg_index", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		s[0] = uint64(uint32(c.argIndex(read(c, m, s[0], s[1]))))
	}, []api.ValueType{i32, i32}, []api.ValueType{i32}},
	{"arg_kind", func(ctx context.Context, _ api.Module, s []uint64) {
		if v := callOf(ctx).value(int32(s[0])); v != nil {
			s[0] = uint64(v.kind)
		} else {
			s[0] = uint64(KindNull)
		}
	}, []api.ValueType{i32}, []api.ValueType{i32}},
	{"arg_f64", func(ctx context.Context, _ api.Module, s []uint64) {
		var f float64
		if v := callOf(ctx).value(int32(s[0])); v != nil {
			f = v.f64()
		}
		s[0] = math.Float64bits(f)
	}, []api.ValueType{i32}, []api.ValueType{f64}},
	{"arg_i64", func(ctx context.Context, _ api.Module, s []uint64) {
		var n int64
		if v := callOf(ctx).value(int32(s[0])); v != nil {
			n = v.i64()
		}
		s[0] = uint64(n)
	}, []api.ValueType{i32}, []api.ValueType{i64}},
	{"arg_bool", func(ctx context.Context, _ api.Module, s []uint64) {
		var b uint64
		if v := callOf(ctx).value(int32(s[0])); v != nil && v.kind == KindBool {
			b = v.num
		}
		s[0] = b
	}, []api.ValueType{i32}, []api.ValueType{i32}},
	{"arg_len", func(ctx context.Context, _ api.Module, s []uint64) {
		n := 0
		if v := callOf(ctx).value(int32(s[0])); v != nil {
			n = len(v.bytes())
		}
		s[0] = uint64(n)
	}, []api.ValueType{i32}, []api.ValueType{i32}},
	{"arg_read", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		v := c.value(int32(s[0]))
		if v == nil {
			s[0] = 0
			return
		}
		text := v.bytes()
		dst := read(c, m, s[1], s[2])
		copy(dst, text)
		s[0] = uint64(len(text))
	}, []api.ValueType{i32, i32, i32}, []api.ValueType{i32}},
	{"hydrate", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		s[0] = uint64(uint32(c.hydrate(string(read(c, m, s[0], s[1])))))
	}, []api.ValueType{i32, i32}, []api.ValueType{i32}},
	{"set_branch", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		b := read(c, m, s[0], s[1])
		if c.spend(len(b)) {
			c.branch = c.intern(b)
		}
	}, []api.ValueType{i32, i32}, nil},
	{"set_var_f64", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		c.setVar(read(c, m, s[0], s[1]), math.Float64frombits(s[2]), 8)
	}, []api.ValueType{i32, i32, f64}, nil},
	{"set_var_i64", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		c.setVar(read(c, m, s[0], s[1]), int64(s[2]), 8)
	}, []api.ValueType{i32, i32, i64}, nil},
	{"set_var_bool", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		c.setVar(read(c, m, s[0], s[1]), uint32(s[2]) != 0, 1)
	}, []api.ValueType{i32, i32, i32}, nil},
	{"set_var_str", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		v := read(c, m, s[2], s[3])
		c.setVar(read(c, m, s[0], s[1]), string(v), len(v))
	}, []api.ValueType{i32, i32, i32, i32}, nil},
	{"set_var_json", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		c.setVarJSON(read(c, m, s[0], s[1]), read(c, m, s[2], s[3]))
	}, []api.ValueType{i32, i32, i32, i32}, nil},
	{"fail", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		msg := read(c, m, s[0], s[1])
		if c.spend(len(msg)) {
			c.failed, c.failMsg = true, string(msg)
		}
	}, []api.ValueType{i32, i32}, nil},
	{"log", func(ctx context.Context, m api.Module, s []uint64) {
		c := callOf(ctx)
		c.log(levelName(int32(s[0])), "log", string(read(c, m, s[1], s[2])))
	}, []api.ValueType{i32, i32, i32}, nil},
	{"now_ms", func(_ context.Context, _ api.Module, s []uint64) {
		s[0] = uint64(time.Now().UnixMilli())
	}, nil, []api.ValueType{i64}},
}

// instantiateHostModule registers module "frontdesk" in the runtime.
func instantiateHostModule(ctx context.Context, r wazero.Runtime) (api.Module, error) {
	b := r.NewHostModuleBuilder(hostModuleName)
	for _, f := range hostFuncs {
		b.NewFunctionBuilder().WithGoModuleFunction(f.fn, f.params, f.results).Export(f.name)
	}
	return b.Instantiate(ctx)
}

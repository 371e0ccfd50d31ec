package wasm

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// instance is one instantiated module with the state of its current call. It serves one call
// at a time; the pool hands it out.
type instance struct {
	mod                 api.Module
	run, alloc, execute api.Function
	ctx                 *instanceContext // passed to every guest call, reaches call
	call                call
	stack               [2]uint64
	table               table // the value table, when the module has one
	mem                 cappedMemory
	calls               int
	broken              bool // must not serve again: it trapped, ran over or exited

	// Read by the watchdog while a call runs.
	mu        sync.Mutex
	deadline  time.Time // zero when idle
	caller    context.Context
	kill      chan struct{}
	killed    atomic.Bool
	interrupt api.MutableGlobal // set to 1 stops an instrumented module (see instrument)
}

// instanceContext is the context every guest call of one instance runs under. It is made
// once per instance so a call allocates no context; Done closes when the watchdog stops the
// call, which wazero (WithCloseOnContextDone) turns into closing the module.
type instanceContext struct{ in *instance }

// Deadline reports none: the watchdog enforces it.
func (c *instanceContext) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done closes when the instance is killed.
func (c *instanceContext) Done() <-chan struct{} { return c.in.kill }

// Err reports DeadlineExceeded once killed.
func (c *instanceContext) Err() error {
	if c.in.killed.Load() {
		return context.DeadlineExceeded
	}
	return nil
}

// Value finds the current call for host functions, and the memory allocator for wazero.
func (c *instanceContext) Value(key any) any {
	if key == (callKey{}) {
		return &c.in.call
	}
	return nil
}

// stdio sends what a guest writes to stdout or stderr into its call's log.
type stdio struct {
	in     *instance
	source string
	level  string
}

// Write logs p as one entry.
func (w stdio) Write(p []byte) (int, error) {
	w.in.call.log(w.level, w.source, string(p))
	return len(p), nil
}

// newInstance instantiates a compiled module with no file system, network, environment or
// arguments, and runs _initialize for reactor modules.
func (m *Module) newInstance(ctx context.Context) (in *instance, err error) {
	in = &instance{kill: make(chan struct{})}
	in.ctx = &instanceContext{in: in}
	in.mem.limit = uint64(m.limits.MemoryPages) << 16
	in.call = call{module: m.name, logger: m.logger, collect: m.collect, limits: &m.limits}
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions(). // _initialize is called below, where its failure is reported
		WithStdout(stdio{in, "stdout", "info"}).
		WithStderr(stdio{in, "stderr", "warn"}).
		WithSysWalltime().
		WithSysNanotime().
		WithRandSource(rand.Reader)
	ictx := experimental.WithMemoryAllocator(ctx, in.mem.allocator())
	ictx = context.WithValue(ictx, callKey{}, &in.call)
	defer func() {
		// wazero panics when a memory's initial size cannot be allocated.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: instantiate: %v", ErrMemoryLimit, r)
		}
	}()
	// Initialization runs guest code (a start function, _initialize) that must end too: the
	// checked runtime stops it through the context, an instrumented module through its
	// interrupt global, armed by a timer.
	limit := initTimeout(m.limits)
	ictx, cancel := context.WithTimeout(ictx, limit)
	defer cancel()
	mod, err := m.runtime.InstantiateModule(ictx, m.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", m.classifyInit(in, err, limit))
	}
	in.mod = mod
	var inits []string
	if m.interruptible {
		in.interrupt, _ = mod.ExportedGlobal(interruptGlobal).(api.MutableGlobal)
		stopped := in // not the named result, which the returns below overwrite
		timer := time.AfterFunc(limit, func() {
			stopped.killed.Store(true)
			stopped.interrupt.Set(1)
		})
		defer timer.Stop()
		if mod.ExportedFunction(startExport) != nil {
			inits = append(inits, startExport)
		}
	}
	if m.abi.initialize {
		inits = append(inits, exportInit)
	}
	for _, name := range inits {
		if _, err := mod.ExportedFunction(name).Call(ictx); err != nil {
			_ = mod.Close(ctx)
			return nil, fmt.Errorf("%s: %w", name, m.classifyInit(in, err, limit))
		}
	}
	if err := in.locateTable(ictx, func(err error) error { return m.classifyInit(in, err, limit) }); err != nil {
		_ = mod.Close(ctx)
		return nil, fmt.Errorf("%s: %w", exportTable, err)
	}
	in.run = mod.ExportedFunction(exportRun)
	in.alloc = mod.ExportedFunction(exportAlloc)
	in.execute = mod.ExportedFunction(exportExecute)
	return in, nil
}

// exec runs one call and returns the executor's answer.
// When logs is not nil, the call's log lines are appended to it.
func (in *instance) exec(ctx context.Context, m *Module, req policy.ExecRequest, logs *[]LogEntry) (policy.ExecResult, error) {
	in.calls++
	deadline := time.Now().Add(m.limits.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c := &in.call
	defer func() {
		if logs != nil {
			*logs = append(*logs, c.logs...)
		}
		c.clear()
	}()
	if err := c.reset(ctx, req, deadline); err != nil {
		return policy.ExecResult{}, fmt.Errorf("%w: %v", ErrBadOutput, err)
	}
	in.watch(ctx, deadline)
	var err error
	var rc int32
	var out []byte
	if m.mode == ModeTyped {
		if in.table.size > 0 {
			in.fillTable()
		}
		err = in.run.CallWithStack(in.ctx, in.stack[:1])
		rc = int32(in.stack[0])
		if err == nil && in.table.size > 0 {
			in.readTable()
		}
	} else {
		out, err = in.execJSON(m, req)
	}
	in.unwatch()
	if in.killed.Load() {
		// The watchdog may fire just as a call ends; the instance is then stopped for good
		// (its interrupt global set, or its context done), so it must not serve again.
		in.broken = true
	}
	if err != nil {
		in.broken = true
		return policy.ExecResult{}, m.classify(in, err)
	}
	if c.err != nil {
		return policy.ExecResult{}, c.err
	}
	if m.mode == ModeJSON {
		return decodeAnswer(out)
	}
	if rc != 0 || c.failed {
		msg := c.failMsg
		if msg == "" {
			msg = fmt.Sprintf("%s returned %d", exportRun, rc)
		}
		return policy.ExecResult{}, fmt.Errorf("%w: %s", ErrGuestFailed, msg)
	}
	return policy.ExecResult{Branch: c.branch, Vars: c.vars}, nil
}

// execJSON writes the input into guest memory through frontdesk_alloc, calls
// frontdesk_execute and returns a copy of the answer's bytes.
func (in *instance) execJSON(m *Module, req policy.ExecRequest) ([]byte, error) {
	input, err := encodeInput(req)
	if err != nil {
		in.call.fault(fmt.Errorf("%w: input: %v", ErrBadOutput, err))
		return nil, nil
	}
	in.stack[0] = uint64(len(input))
	if err := in.alloc.CallWithStack(in.ctx, in.stack[:1]); err != nil {
		return nil, err
	}
	ptr := uint32(in.stack[0])
	if !in.mod.Memory().Write(ptr, input) {
		in.call.fault(fmt.Errorf("%w: %s(%d) returned %d, outside memory", ErrBadOutput, exportAlloc, len(input), ptr))
		return nil, nil
	}
	in.stack[0], in.stack[1] = uint64(ptr), uint64(len(input))
	if err := in.execute.CallWithStack(in.ctx, in.stack[:2]); err != nil {
		return nil, err
	}
	outPtr, outLen := uint32(in.stack[0]>>32), uint32(in.stack[0])
	if int(outLen) > m.limits.MaxOutputBytes {
		in.call.fault(fmt.Errorf("%w: %d bytes, the cap is %d", ErrOutputTooLarge, outLen, m.limits.MaxOutputBytes))
		return nil, nil
	}
	out, ok := in.mod.Memory().Read(outPtr, outLen)
	if !ok {
		in.call.fault(fmt.Errorf("%w: answer [%d, +%d) outside memory", ErrBadOutput, outPtr, outLen))
		return nil, nil
	}
	return append([]byte(nil), out...), nil
}

// watch publishes the running call to the watchdog.
func (in *instance) watch(ctx context.Context, deadline time.Time) {
	in.mu.Lock()
	in.deadline, in.caller = deadline, ctx
	in.mu.Unlock()
}

// unwatch marks the instance idle.
func (in *instance) unwatch() {
	in.mu.Lock()
	in.deadline, in.caller = time.Time{}, nil
	in.mu.Unlock()
}

// expire kills the running call when it is past its deadline or its caller gave up; it
// reports whether it did.
func (in *instance) expire(now time.Time) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.deadline.IsZero() || in.killed.Load() {
		return false
	}
	if now.Before(in.deadline) && in.caller.Err() == nil {
		return false
	}
	in.killed.Store(true)
	if in.interrupt != nil {
		in.interrupt.Set(1)
	} else {
		close(in.kill)
	}
	return true
}

// close releases the instance.
func (in *instance) close(ctx context.Context) {
	if in.mod != nil {
		_ = in.mod.Close(ctx)
	}
}

// initTimeout bounds a new instance's initialization: ten call deadlines, at least a second,
// since a Go runtime's start takes milliseconds.
func initTimeout(l Limits) time.Duration {
	return max(10*l.Timeout, time.Second)
}

// classifyInit classifies an error of initialization, which has its own deadline.
func (m *Module) classifyInit(in *instance, err error, limit time.Duration) error {
	var exit *sys.ExitError
	if in.killed.Load() || (errors.As(err, &exit) && exit.ExitCode() == sys.ExitCodeDeadlineExceeded) {
		return fmt.Errorf("%w: initialization ran past %v", ErrDeadline, limit)
	}
	return m.classify(in, err)
}

// classify turns a wazero error into the host's sentinel errors.
func (m *Module) classify(in *instance, err error) error {
	c := &in.call
	var exit *sys.ExitError
	switch {
	case in.killed.Load():
		if c.ctx != nil && c.ctx.Err() != nil && !errors.Is(c.ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%w: %v", ErrDeadline, c.ctx.Err())
		}
		return fmt.Errorf("%w: ran past %v", ErrDeadline, m.limits.Timeout)
	case in.mem.refused:
		return fmt.Errorf("%w: the cap is %d pages (%d KiB): %v", ErrMemoryLimit, m.limits.MemoryPages, m.limits.MemoryPages*64, err)
	case c.err != nil:
		return c.err
	case errors.As(err, &exit):
		return fmt.Errorf("%w: guest exited with code %d%s", ErrTrap, exit.ExitCode(), c.stderrTail())
	}
	return fmt.Errorf("%w: %v", ErrTrap, err)
}

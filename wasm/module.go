package wasm

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tetratelabs/wazero"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// Module is one compiled executor with its pool of instances. It is a policy.Executor.
type Module struct {
	name     string
	sha256   string
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
	abi      abiInfo
	// interruptible modules were instrumented: the watchdog stops them through a global.
	interruptible bool
	mode          Mode
	limits        Limits
	maxCalls      int
	logger        *slog.Logger
	collect       bool // keep log lines for a Report instead of logging them
	pool          *Pool
}

// Name returns the name policies use for the executor.
func (m *Module) Name() string { return m.name }

// Mode returns the way in the host calls the module with.
func (m *Module) Mode() Mode { return m.mode }

// SHA256 returns the hex sha256 of the module's bytes.
func (m *Module) SHA256() string { return m.sha256 }

// Pool returns the module's instance pool.
func (m *Module) Pool() *Pool { return m.pool }

// Execute runs the executor on one request. A fault fails this call with a *CallError naming
// the executor, node and policy; the instance that faulted is replaced.
func (m *Module) Execute(ctx context.Context, req policy.ExecRequest) (policy.ExecResult, error) {
	res, err := m.execute(ctx, req, nil)
	return res, err
}

// execute runs one call, appending its log lines to logs when logs is not nil.
func (m *Module) execute(ctx context.Context, req policy.ExecRequest, logs *[]LogEntry) (policy.ExecResult, error) {
	if err := ctx.Err(); err != nil {
		return policy.ExecResult{}, m.wrap(req, fmt.Errorf("%w: %v", ErrDeadline, err))
	}
	in, err := m.pool.get(ctx)
	if err != nil {
		return policy.ExecResult{}, m.wrap(req, err)
	}
	res, err := in.exec(ctx, m, req, logs)
	m.pool.put(in)
	if err != nil {
		return policy.ExecResult{}, m.wrap(req, err)
	}
	return res, nil
}

// wrap names the executor, node and policy in an error.
func (m *Module) wrap(req policy.ExecRequest, err error) error {
	return &CallError{Executor: m.name, Policy: req.Policy, Node: req.Node, Err: err}
}

var _ policy.Executor = (*Module)(nil)

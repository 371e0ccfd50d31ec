package wasm

import (
	"errors"
	"fmt"
)

// ErrChecksum is returned by New when a module's bytes do not match its sha256 pin.
var ErrChecksum = errors.New("wasm: sha256 mismatch")

// ErrNoABI is returned when a module declares no ABI version (no frontdesk_abi_v* export).
var ErrNoABI = errors.New("wasm: module declares no frontdesk ABI version")

// ErrABIVersion is returned when a module declares an ABI version this host does not speak.
var ErrABIVersion = errors.New("wasm: unsupported ABI version")

// ErrMissingExport is returned when a module lacks the exports its way in needs.
var ErrMissingExport = errors.New("wasm: missing export")

// ErrUnknownImport is returned when a module imports a function the host does not provide.
var ErrUnknownImport = errors.New("wasm: unknown import")

// ErrDeadline is returned when a call runs past its deadline; the instance is replaced.
var ErrDeadline = errors.New("wasm: deadline exceeded")

// ErrMemoryLimit is returned when a call needs more memory than its module may use.
var ErrMemoryLimit = errors.New("wasm: memory limit exceeded")

// ErrOutputTooLarge is returned when a call's answer exceeds the output cap.
var ErrOutputTooLarge = errors.New("wasm: output too large")

// ErrBadOutput is returned when a call's answer cannot be read: not JSON, out of bounds.
var ErrBadOutput = errors.New("wasm: bad output")

// ErrTrap is returned when the guest traps (unreachable, out-of-bounds access, a panic).
var ErrTrap = errors.New("wasm: trap")

// ErrGuestFailed is returned when the executor itself reports a failure (fail, a non-zero
// result, or an "error" in its JSON answer).
var ErrGuestFailed = errors.New("wasm: executor failed")

// ErrClosed is returned by calls on a closed Host.
var ErrClosed = errors.New("wasm: host closed")

// CallError says which executor failed at which node of which policy. Errors.Is sees the
// sentinel error beneath it.
type CallError struct {
	Executor string
	Policy   string
	Node     string
	Err      error
}

// Error names the executor, node and policy before the cause.
func (e *CallError) Error() string {
	where := ""
	if e.Node != "" {
		where = fmt.Sprintf(" at node %q", e.Node)
	}
	if e.Policy != "" {
		where += fmt.Sprintf(" of policy %q", e.Policy)
	}
	return fmt.Sprintf("executor %q%s: %v", e.Executor, where, e.Err)
}

// Unwrap returns the cause.
func (e *CallError) Unwrap() error { return e.Err }

package wasm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// LogEntry is one line an executor logged, or a chunk it wrote to stdout or stderr.
type LogEntry struct {
	// Level is "debug", "info", "warn" or "error"; stdout is info, stderr warn.
	Level string `json:"level"`
	// Source is "log", "stdout" or "stderr".
	Source  string `json:"source"`
	Message string `json:"message"`
}

// call is the state of one executor call, reached by the host functions through the
// instance. An instance reuses its call between calls; reset clears everything the previous
// customer's call left.
type call struct {
	ctx      context.Context // the caller's context, for hydrate
	deadline time.Time
	req      policy.ExecRequest // a copy, so a call allocates no request
	values   []value
	nargs    int

	branch   string
	vars     []policy.Var
	failMsg  string
	failed   bool
	outBytes int
	err      error // the first fault the host found in the guest's answer

	limits   *Limits
	module   string
	logger   *slog.Logger
	collect  bool // keep log lines in logs (RunOnce) instead of sending them to logger
	logs     []LogEntry
	logBytes int
	dropped  bool
	stderr   []byte // the end of what the guest wrote to stderr, for trap messages

	// names interns branch and variable names, which a module repeats on every call, so
	// answering them allocates nothing; it holds at most maxNames.
	names map[string]string
	// recent holds the names of the last table answer by position (the branch first): a
	// module answers the same names in the same order, and one comparison is cheaper than a
	// map lookup.
	recent [8]string
}

// maxNames bounds the interned names of one instance.
const maxNames = 64

// intern returns b as a string, from the instance's names when seen before.
func (c *call) intern(b []byte) string {
	if s, ok := c.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(c.names) < maxNames {
		if c.names == nil {
			c.names = make(map[string]string, 8)
		}
		c.names[s] = s
	}
	return s
}

// internAt interns a name answered at position slot of a table answer.
func (c *call) internAt(slot int, b []byte) string {
	if slot >= len(c.recent) {
		return c.intern(b)
	}
	if c.recent[slot] != string(b) {
		c.recent[slot] = c.intern(b)
	}
	return c.recent[slot]
}

// reset prepares the call for a request, reusing the value slice.
func (c *call) reset(ctx context.Context, req policy.ExecRequest, deadline time.Time) error {
	*c = call{
		ctx: ctx, deadline: deadline, req: req, values: c.values[:0], limits: c.limits,
		module: c.module, logger: c.logger, collect: c.collect, stderr: c.stderr[:0], names: c.names,
		recent: c.recent,
	}
	for _, a := range req.Args {
		v, err := makeValue(a.Name, a.Value)
		if err != nil {
			return err
		}
		c.values = append(c.values, v)
	}
	c.nargs = len(c.values)
	return nil
}

// clear drops the references to the request and answer once the call is over, so nothing of
// one customer stays reachable from an idle instance.
func (c *call) clear() {
	for i := range c.values {
		c.values[i] = value{}
	}
	clear(c.stderr)
	*c = call{
		values: c.values[:0], limits: c.limits, module: c.module, logger: c.logger,
		collect: c.collect, stderr: c.stderr[:0], names: c.names, recent: c.recent,
	}
}

// stderrTail returns the end of the guest's stderr, such as a Go panic message, for errors.
func (c *call) stderrTail() string {
	if len(c.stderr) == 0 {
		return ""
	}
	return ": " + strings.TrimSpace(string(c.stderr))
}

// keepStderr remembers the last stderrKeep bytes written to stderr.
func (c *call) keepStderr(p string) {
	c.stderr = append(c.stderr, p...)
	if n := len(c.stderr); n > stderrKeep {
		c.stderr = append(c.stderr[:0], c.stderr[n-stderrKeep:]...)
	}
}

// stderrKeep is how much of stderr a trap's error message quotes.
const stderrKeep = 512

// argIndex finds a selected value by name. Args are few, so a linear scan beats a map.
func (c *call) argIndex(name []byte) int32 {
	for i := 0; i < c.nargs; i++ {
		if c.values[i].name == string(name) {
			return int32(i)
		}
	}
	return -1
}

// value returns the value at index i, or nil when i is out of range.
func (c *call) value(i int32) *value {
	if i < 0 || int(i) >= len(c.values) {
		return nil
	}
	return &c.values[i]
}

// spend counts n bytes of answer against the output cap.
func (c *call) spend(n int) bool {
	c.outBytes += n
	if c.outBytes > c.limits.MaxOutputBytes {
		c.fault(fmt.Errorf("%w: more than %d bytes", ErrOutputTooLarge, c.limits.MaxOutputBytes))
		return false
	}
	return true
}

// fault records the first fault in the guest's answer.
func (c *call) fault(err error) {
	if c.err == nil {
		c.err = err
	}
}

// setVar records one variable of the answer.
func (c *call) setVar(name []byte, v any, size int) {
	c.put(c.intern(name), v, size)
}

// put records one variable of the answer; size is the value's, counted with the name's
// against the output cap.
func (c *call) put(name string, v any, size int) {
	if !c.spend(len(name) + size) {
		return
	}
	for i := range c.vars {
		if c.vars[i].Name == name { // set again: the last value wins
			c.vars[i].Value = v
			return
		}
	}
	if c.vars == nil {
		c.vars = make([]policy.Var, 0, 4)
	}
	c.vars = append(c.vars, policy.Var{Name: name, Value: v})
}

// setVarJSON records a variable given as JSON text, which must be valid.
func (c *call) setVarJSON(name, text []byte) {
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		c.fault(fmt.Errorf("%w: variable %q is not JSON: %v", ErrBadOutput, name, err))
		return
	}
	c.setVar(name, v, len(text))
}

// hydrate fetches a declared hydration for the guest and appends it as a value; it returns
// the value's index, or the bitwise complement of the index of a string holding the error.
func (c *call) hydrate(name string) int32 {
	if c.req.Hydrate == nil {
		return c.appendError(fmt.Sprintf("hydrate %q: no hydrations in this context", name))
	}
	ctx, cancel := context.WithDeadline(c.ctx, c.deadline)
	defer cancel()
	got, err := c.req.Hydrate(ctx, name)
	if err != nil {
		return c.appendError(fmt.Sprintf("hydrate %q: %v", name, err))
	}
	v, err := makeValue(name, got)
	if err != nil {
		return c.appendError(fmt.Sprintf("hydrate %q: %v", name, err))
	}
	c.values = append(c.values, v)
	return int32(len(c.values) - 1)
}

// appendError stores an error message as a string value and returns ^index.
func (c *call) appendError(msg string) int32 {
	c.values = append(c.values, value{kind: KindString, text: msg})
	return ^int32(len(c.values) - 1)
}

// log records one line, within the per-call cap.
func (c *call) log(level, source, msg string) {
	if source == "stderr" {
		c.keepStderr(msg)
	}
	if c.logBytes+len(msg) > c.limits.MaxLogBytes {
		if !c.dropped {
			c.dropped = true
			c.emit("warn", "host", fmt.Sprintf("log cap of %d bytes reached; further output dropped", c.limits.MaxLogBytes))
		}
		return
	}
	c.logBytes += len(msg)
	c.emit(level, source, msg)
}

// emit keeps the line for a report or sends it to the logger.
func (c *call) emit(level, source, msg string) {
	if c.collect {
		c.logs = append(c.logs, LogEntry{Level: level, Source: source, Message: msg})
		return
	}
	if c.logger == nil {
		return
	}
	var l slog.Level
	switch level {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	}
	attrs := []any{"executor", c.module, "source", source}
	if c.req.Node != "" {
		attrs = append(attrs, "policy", c.req.Policy, "node", c.req.Node)
	}
	c.logger.Log(context.Background(), l, msg, attrs...)
}

// levelName maps the guest's log level to a name.
func levelName(level int32) string {
	switch {
	case level <= 0:
		return "debug"
	case level == 1:
		return "info"
	case level == 2:
		return "warn"
	}
	return "error"
}

package plugins

import (
	"context"
	"io"
	"log"
	"log/slog"

	"github.com/hashicorp/go-hclog"
)

// hclogSlog is an hclog.Logger that writes into an slog.Logger, so that go-plugin's own logs and
// the log lines it forwards from a plugin's stderr land in frontdesk's log with their levels.
// hclog's trace level maps to slog's debug level less four.
type hclogSlog struct {
	log  *slog.Logger
	name string
	args []any
}

func newHCLog(l *slog.Logger) hclog.Logger { return &hclogSlog{log: l} }

const levelTrace = slog.LevelDebug - 4

func slogLevel(l hclog.Level) slog.Level {
	switch l {
	case hclog.Trace:
		return levelTrace
	case hclog.Debug:
		return slog.LevelDebug
	case hclog.Warn:
		return slog.LevelWarn
	case hclog.Error:
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

func (h *hclogSlog) Log(level hclog.Level, msg string, args ...any) {
	l := h.log
	if h.name != "" {
		l = l.With("logger", h.name)
	}
	l.Log(context.Background(), slogLevel(level), msg, args...)
}

func (h *hclogSlog) Trace(msg string, args ...any) { h.Log(hclog.Trace, msg, args...) }
func (h *hclogSlog) Debug(msg string, args ...any) { h.Log(hclog.Debug, msg, args...) }
func (h *hclogSlog) Info(msg string, args ...any)  { h.Log(hclog.Info, msg, args...) }
func (h *hclogSlog) Warn(msg string, args ...any)  { h.Log(hclog.Warn, msg, args...) }
func (h *hclogSlog) Error(msg string, args ...any) { h.Log(hclog.Error, msg, args...) }

func (h *hclogSlog) enabled(l slog.Level) bool { return h.log.Enabled(context.Background(), l) }

func (h *hclogSlog) IsTrace() bool { return h.enabled(levelTrace) }
func (h *hclogSlog) IsDebug() bool { return h.enabled(slog.LevelDebug) }
func (h *hclogSlog) IsInfo() bool  { return h.enabled(slog.LevelInfo) }
func (h *hclogSlog) IsWarn() bool  { return h.enabled(slog.LevelWarn) }
func (h *hclogSlog) IsError() bool { return h.enabled(slog.LevelError) }

func (h *hclogSlog) ImpliedArgs() []any { return h.args }

func (h *hclogSlog) With(args ...any) hclog.Logger {
	return &hclogSlog{log: h.log.With(args...), name: h.name, args: append(append([]any{}, h.args...), args...)}
}

func (h *hclogSlog) Name() string { return h.name }

func (h *hclogSlog) Named(name string) hclog.Logger {
	if h.name != "" {
		name = h.name + "." + name
	}
	return &hclogSlog{log: h.log, name: name, args: h.args}
}

func (h *hclogSlog) ResetNamed(name string) hclog.Logger {
	return &hclogSlog{log: h.log, name: name, args: h.args}
}

// SetLevel does nothing: the slog handler decides what is written.
func (h *hclogSlog) SetLevel(hclog.Level) {}

// GetLevel reports the lowest level the slog handler writes, so that go-plugin skips parsing
// plugin log lines nobody would see.
func (h *hclogSlog) GetLevel() hclog.Level {
	for _, l := range []hclog.Level{hclog.Trace, hclog.Debug, hclog.Info, hclog.Warn, hclog.Error} {
		if h.enabled(slogLevel(l)) {
			return l
		}
	}
	return hclog.Off
}

func (h *hclogSlog) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(h.StandardWriter(opts), "", 0)
}

func (h *hclogSlog) StandardWriter(*hclog.StandardLoggerOptions) io.Writer {
	return slogWriter{h}
}

// slogWriter logs each write as one info message.
type slogWriter struct{ h *hclogSlog }

func (w slogWriter) Write(p []byte) (int, error) {
	msg := string(p)
	if n := len(msg); n > 0 && msg[n-1] == '\n' {
		msg = msg[:n-1]
	}
	w.h.Info(msg)
	return len(p), nil
}

var _ hclog.Logger = (*hclogSlog)(nil)

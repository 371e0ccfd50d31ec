package plugin

import (
	"io"
	"log/slog"
	"os"
)

// hclogTimeFormat is the timestamp layout the host's go-plugin parses in a plugin's JSON log
// lines; with another layout the line is forwarded as one debug message.
const hclogTimeFormat = "2006-01-02T15:04:05.000000Z07:00"

// stderr is the process's own standard error, taken before Serve points os.Stderr at a pipe
// that go-plugin streams to the host as plain text.
var stderr = os.Stderr

// Logger returns a logger for plugin code. It writes JSON lines to the process's standard error
// in hclog's shape (@timestamp, @level, @message), which the host parses and forwards into its
// own log with the right level and the attributes as fields. It may be made before or after
// Serve.
func Logger(level slog.Level) *slog.Logger {
	return newLogger(stderr, level)
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				return slog.String("@timestamp", a.Value.Time().Format(hclogTimeFormat))
			case slog.LevelKey:
				return slog.String("@level", hclogLevel(a.Value.Any().(slog.Level)))
			case slog.MessageKey:
				return slog.String("@message", a.Value.String())
			}
			return a
		},
	}))
}

// hclogLevel names a slog level as hclog does.
func hclogLevel(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "trace"
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	default:
		return "error"
	}
}

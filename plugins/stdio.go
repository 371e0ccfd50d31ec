package plugins

import (
	"bytes"
	"log/slog"
	"sync"
)

// lineLog is an io.Writer that logs each line written to it. go-plugin streams what a plugin
// writes to os.Stdout and os.Stderr after its handshake through it (plugin.Logger writes to the
// process's real stderr instead, which go-plugin parses for levels); without it those lines
// would be dropped.
type lineLog struct {
	log    *slog.Logger
	stream string
	mu     sync.Mutex
	buf    []byte
}

// maxLine bounds a line kept waiting for its newline.
const maxLine = 64 << 10

func (w *lineLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > maxLine {
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

func (w *lineLog) emit(line []byte) {
	if len(bytes.TrimSpace(line)) > 0 {
		w.log.Info(string(bytes.TrimRight(line, "\r")), "stream", w.stream)
	}
}

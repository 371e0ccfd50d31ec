package testlog

import (
	"log/slog"
	"testing"
)

// A line logged after the test ended is dropped instead of panicking.
func TestAfterEnd(t *testing.T) {
	var log *slog.Logger
	t.Run("inner", func(t *testing.T) {
		log = New(t, slog.LevelInfo)
		log.Info("during the test")
	})
	log.Warn("after the test")
}

package main

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system. On a shared machine the
// requests/s of a case depend on what else runs; its CPU time per request does much less, so
// the table shows both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

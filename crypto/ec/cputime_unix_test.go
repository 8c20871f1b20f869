//go:build unix

package ec

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) of the process so far, so that
// benchmarks can report throughput per core-second on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

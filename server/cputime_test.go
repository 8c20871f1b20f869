package server_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user + system) of the process so far, so that
// benchmarks report throughput per core-second on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports verifications per CPU-second of the whole process
// (server, client and garbage collector together).
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{b: b, start: cpuTime()}
}

func (m *cpuMeter) stop() {
	m.b.StopTimer()
	cpu := cpuTime() - m.start
	if cpu > 0 {
		m.b.ReportMetric(float64(m.b.N)/cpu.Seconds(), "verifications/cpu-s")
		m.b.ReportMetric(float64(cpu.Microseconds())/float64(m.b.N), "cpu-µs/op")
	}
	m.b.ReportMetric(float64(m.b.N)/m.b.Elapsed().Seconds(), "verifications/s")
}

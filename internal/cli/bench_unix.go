//go:build unix

package cli

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// interrupt asks the child server to shut down gracefully.
func interrupt(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// setChildAttrs: see bench_linux.go (Pdeathsig); nothing more elsewhere.
var setChildAttrs = func(*exec.Cmd) {}

// selfCPU is this process's CPU time (user and system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

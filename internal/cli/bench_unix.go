//go:build unix

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

// interrupt asks the child server to shut down gracefully.
func interrupt(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// setChildAttrs: see bench_linux.go (Pdeathsig); nothing more elsewhere.
var setChildAttrs = func(*exec.Cmd) {}

package cli

import (
	"os/exec"
	"syscall"
)

func init() {
	// The kernel kills the child server when the bench dies, even by
	// SIGKILL, so no server is left behind.
	setChildAttrs = func(c *exec.Cmd) {
		c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
}

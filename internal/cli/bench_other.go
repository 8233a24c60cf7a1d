//go:build !unix

package cli

import (
	"os"
	"os/exec"
)

func interrupt(p *os.Process) error { return p.Kill() }

func setChildAttrs(*exec.Cmd) {}

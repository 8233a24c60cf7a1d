//go:build !unix

package cli

import (
	"os"
	"os/exec"
	"time"
)

func interrupt(p *os.Process) error { return p.Kill() }

func setChildAttrs(*exec.Cmd) {}

func selfCPU() time.Duration { return 0 }

package tools

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them
// (issue 6: no goroutine leak after timeouts and dropped connections). The
// stand-in shared by the package is closed first: its servers are meant
// to live as long as the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(closingShared{m}) }

type closingShared struct{ m *testing.M }

func (c closingShared) Run() int {
	code := c.m.Run()
	if shared != nil {
		shared.Close()
	}
	return code
}

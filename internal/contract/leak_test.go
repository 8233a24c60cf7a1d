package contract

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: the
// contract tests start stand-ins and both backend clients.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

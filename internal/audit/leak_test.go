package audit

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them
// (issue 6: no goroutine leak after timeouts and dropped connections).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

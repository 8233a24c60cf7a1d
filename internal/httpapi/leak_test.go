package httpapi

import (
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them
// (issue 6: no goroutine leak after timeouts and dropped connections).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// closeSessionsAtEnd closes, when t ends, the MCP sessions the test left
// open on servers: tests speaking raw HTTP never send the DELETE that ends
// a Streamable HTTP session, and its read loop would otherwise live until
// SessionTimeout, long after the package's tests.
func closeSessionsAtEnd(t *testing.T, servers ...*mcp.Server) {
	t.Cleanup(func() {
		for _, srv := range servers {
			for ss := range srv.Sessions() {
				ss.Close()
			}
		}
	})
}

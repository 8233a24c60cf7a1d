package wazuh

import (
	"errors"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// TestNormalizeAgentIDIsArgsAgentID: the client and the tool arguments
// share one agent-id rule, so an id a tool accepted reaches the Manager and
// the indexer in the same canonical form.
func TestNormalizeAgentIDIsArgsAgentID(t *testing.T) {
	for _, in := range []string{"1", "01", "001", "0001", "0", "000", "0000", " 42 ", "12345678", "123456789", "", "abc", "1/2", "０１"} {
		got, err := NormalizeAgentID(in)
		want, werr := args.AgentID("agent_id", in)
		if got != want || (err == nil) != (werr == nil) {
			t.Errorf("NormalizeAgentID(%q) = %q, %v; args.AgentID = %q, %v", in, got, err, want, werr)
		}
		if err != nil && (!errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "is not an agent id (1 to 8 digits")) {
			t.Errorf("NormalizeAgentID(%q) error = %v, want ErrInvalidArgument saying what is allowed", in, err)
		}
	}
}

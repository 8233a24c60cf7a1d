package policy

import (
	"fmt"
	"os"
)

// ActionPolicy is one entry of action_operations in the Wazuh Autopilot
// toolmap format.
type ActionPolicy struct {
	Key         string // the action_operations key: block_ip, disable_user…
	LogicalName string
	MCPTool     string
	Description string
	RiskLevel   string // low | medium | high | critical
	Reversible  bool
	Enabled     bool // Autopilot's enabled flag: false leaves the tool unregistered
	// Approval is wazuh-mcp's extension: human | confirm | auto; empty
	// derives it (human, or auto for low-risk reversible actions when the
	// server allows autonomous response).
	Approval string
}

// ToolMap is a parsed policies/toolmap.yaml: the action policies by MCP
// tool name.
type ToolMap struct {
	Actions map[string]ActionPolicy
}

// LoadToolMap reads and parses the file at path.
func LoadToolMap(path string) (*ToolMap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("toolmap: %w", err)
	}
	t, err := ParseToolMap(b)
	if err != nil {
		return nil, fmt.Errorf("toolmap %s: %w", path, err)
	}
	return t, nil
}

// ParseToolMap parses a toolmap document. Unknown keys are errors.
func ParseToolMap(data []byte) (*ToolMap, error) {
	return nil, fmt.Errorf("toolmap parsing is not implemented yet")
}

// ApprovalMode is the approval mode of an MCP write tool: "human" when
// the map (nil: no file) says nothing else.
func (t *ToolMap) ApprovalMode(tool string, allowAutonomous bool) string {
	if t == nil {
		return "human"
	}
	ap, ok := t.Actions[tool]
	if !ok {
		return "human"
	}
	switch {
	case ap.Approval != "":
		return ap.Approval
	case allowAutonomous && ap.RiskLevel == "low" && ap.Reversible:
		return "auto"
	}
	return "human"
}

// Enabled reports whether the map leaves tool enabled (true without a map
// or without an entry for the tool).
func (t *ToolMap) Enabled(tool string) bool {
	if t == nil {
		return true
	}
	ap, ok := t.Actions[tool]
	return !ok || ap.Enabled
}

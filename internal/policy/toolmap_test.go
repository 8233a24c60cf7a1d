package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseToolMapAutopilotFile(t *testing.T) {
	tm, err := LoadToolMap(filepath.Join("testdata", "autopilot_toolmap.yaml"))
	if err != nil {
		t.Fatalf("Autopilot's toolmap must parse unchanged: %v", err)
	}
	if tm.SchemaVersion != "2.0" {
		t.Errorf("schema_version = %q", tm.SchemaVersion)
	}
	want := map[string]struct {
		key, risk  string
		reversible bool
		rollback   string
		verify     string
		params     int
		target     string
	}{
		"wazuh_block_ip":        {"block_ip", "low", true, "", "wazuh_check_blocked_ip", 3, "ip_address"},
		"wazuh_isolate_host":    {"isolate_host", "medium", true, "wazuh_unisolate_host", "wazuh_check_agent_isolation", 1, "agent_id"},
		"wazuh_kill_process":    {"kill_process", "medium", false, "", "wazuh_check_process", 2, "agent_id"},
		"wazuh_disable_user":    {"disable_user", "high", true, "wazuh_enable_user", "wazuh_check_user_status", 2, "agent_id"},
		"wazuh_quarantine_file": {"quarantine_file", "low", true, "wazuh_restore_file", "wazuh_check_file_quarantine", 2, "agent_id"},
		"wazuh_active_response": {"active_response", "high", false, "", "", 3, "agent_id"},
		"wazuh_firewall_drop":   {"firewall_drop", "medium", true, "wazuh_firewall_allow", "", 3, "agent_id"},
		"wazuh_host_deny":       {"host_deny", "medium", true, "wazuh_host_allow", "", 2, "agent_id"},
		"wazuh_restart":         {"restart_wazuh", "critical", false, "", "", 1, "agent_id"},
	}
	if len(tm.Actions) != len(want) {
		t.Fatalf("%d actions, want %d: %v", len(tm.Actions), len(want), tm.Actions)
	}
	for tool, w := range want {
		ap, ok := tm.Policy(tool)
		if !ok {
			t.Errorf("%s: no policy", tool)
			continue
		}
		if ap.Key != w.key || ap.LogicalName != w.key || ap.MCPTool != tool || ap.RiskLevel != w.risk ||
			ap.Reversible != w.reversible || ap.RollbackTool != w.rollback || ap.TargetParam != w.target ||
			len(ap.Parameters) != w.params || ap.Approval != "" || ap.Required {
			t.Errorf("%s: got %+v, want %+v", tool, ap, w)
		}
		if ap.Enabled {
			t.Errorf("%s: Autopilot's file says enabled: false", tool)
		}
		if tm.Enabled(tool) {
			t.Errorf("%s: Enabled() = true for enabled: false", tool)
		}
		gotVerify := ""
		if ap.Verification != nil {
			gotVerify = ap.Verification.Tool
		}
		if gotVerify != w.verify {
			t.Errorf("%s: verification tool %q, want %q", tool, gotVerify, w.verify)
		}
		if ap.Line == 0 {
			t.Errorf("%s: no line", tool)
		}
	}
	bi, _ := tm.Policy("wazuh_block_ip")
	if v := bi.Verification; v.Field != "blocked" || v.Expected != "true" {
		t.Errorf("block_ip verification = %+v", v)
	}
	if p := bi.Parameters[1]; p.Name != "duration" || p.Type != "integer" || p.Required || p.Description == "" {
		t.Errorf("block_ip parameter 1 = %+v", p)
	}
	wantRollback := []string{"wazuh_enable_user", "wazuh_firewall_allow", "wazuh_host_allow", "wazuh_restore_file", "wazuh_unisolate_host"}
	if !slices.Equal(tm.RollbackTools, wantRollback) {
		t.Errorf("rollback tools = %v, want %v", tm.RollbackTools, wantRollback)
	}
	// Derived approval: only low-risk reversible actions, only when allowed.
	for tool, w := range want {
		wantAuto := "human"
		if w.risk == "low" && w.reversible {
			wantAuto = "auto"
		}
		if got := tm.ApprovalMode(tool, true); got != wantAuto {
			t.Errorf("ApprovalMode(%s, true) = %s, want %s", tool, got, wantAuto)
		}
		if got := tm.ApprovalMode(tool, false); got != "human" {
			t.Errorf("ApprovalMode(%s, false) = %s, want human", tool, got)
		}
	}
}

// The shipped default policy parses, covers every write tool, and asks a
// human for everything, even when autonomous response is allowed.
func TestShippedToolMap(t *testing.T) {
	tm, err := LoadToolMap(filepath.Join("..", "..", "policies", "toolmap.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.Actions) != len(responseTools) {
		t.Errorf("%d actions, want all %d write tools", len(tm.Actions), len(responseTools))
	}
	for _, tool := range ResponseTools() {
		ap, ok := tm.Policy(tool)
		if !ok {
			t.Errorf("%s: missing from the default policy", tool)
			continue
		}
		if !ap.Enabled || ap.Approval != "human" || ap.Description == "" || ap.TargetParam == "" {
			t.Errorf("%s: %+v", tool, ap)
		}
		if got := tm.ApprovalMode(tool, true); got != "human" {
			t.Errorf("%s: ApprovalMode = %s, want human", tool, got)
		}
	}
	if len(tm.RollbackTools) != 0 {
		t.Errorf("the default names rollback tools wazuh-mcp lacks: %v", tm.RollbackTools)
	}
}

const action = `action_operations:
  block_ip:
    mcp_tool: wazuh_block_ip
    risk_level: low
    reversible: true
`

func TestParseToolMapValid(t *testing.T) {
	tests := []struct {
		name, doc string
		tool      string
		check     func(t *testing.T, ap ActionPolicy, tm *ToolMap)
	}{
		{"minimal, enabled by default", action, "wazuh_block_ip", func(t *testing.T, ap ActionPolicy, tm *ToolMap) {
			if !ap.Enabled || ap.LogicalName != "block_ip" || ap.Approval != "" || !tm.Enabled("wazuh_block_ip") {
				t.Errorf("%+v", ap)
			}
		}},
		{"auto for low reversible", action + "    approval: auto\n", "wazuh_block_ip", func(t *testing.T, ap ActionPolicy, tm *ToolMap) {
			if ap.Approval != "auto" || tm.ApprovalMode("wazuh_block_ip", true) != "auto" {
				t.Errorf("%+v", ap)
			}
		}},
		{"confirm for medium", "action_operations:\n  x:\n    mcp_tool: wazuh_host_deny\n    risk_level: medium\n    approval: confirm\n", "wazuh_host_deny",
			func(t *testing.T, ap ActionPolicy, tm *ToolMap) {
				if tm.ApprovalMode("wazuh_host_deny", false) != "confirm" {
					t.Errorf("%+v", ap)
				}
			}},
		{"human overrides derived auto", action + "    approval: human\n", "wazuh_block_ip", func(t *testing.T, ap ActionPolicy, tm *ToolMap) {
			if tm.ApprovalMode("wazuh_block_ip", true) != "human" {
				t.Errorf("explicit human must win over the derived auto")
			}
		}},
		{"empty sections and null description", "schema_version: 2.0\ndescription:\nread_operations:\nutility_operations:\n" + action + "    description:\n",
			"wazuh_block_ip", func(t *testing.T, ap ActionPolicy, tm *ToolMap) {
				if tm.SchemaVersion != "2.0" || ap.Description != "" {
					t.Errorf("%+v %+v", tm, ap)
				}
			}},
		{"no action_operations: no actions", "schema_version: \"2.0\"\n", "", func(t *testing.T, _ ActionPolicy, tm *ToolMap) {
			if len(tm.Actions) != 0 || tm.ApprovalMode("wazuh_block_ip", true) != "human" || !tm.Enabled("wazuh_restart") {
				t.Errorf("%+v", tm)
			}
		}},
		{"anchors without aliases are fine", "discovery: &d {a: 1}\n" + action, "wazuh_block_ip", nil},
		{"free sections keep any shape", "tool_calls: [1, 2]\nerror_handling: {401: X}\nresponse_mapping: 3\ndiscovery: null\n" + action, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := ParseToolMap([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			ap, ok := tm.Policy(tt.tool)
			if tt.tool != "" && !ok {
				t.Fatalf("no policy for %s", tt.tool)
			}
			if tt.check != nil {
				tt.check(t, ap, tm)
			}
		})
	}
}

func TestParseToolMapErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // all must appear in the error
	}{
		{"empty", "", []string{"empty"}},
		{"comments only", "# nothing\n", []string{"empty"}},
		{"two documents", action + "---\nschema_version: x\n", []string{"one YAML document"}},
		{"not a mapping", "- a\n- b\n", []string{"line 1", "must be a mapping"}},
		{"syntax", "action_operations:\n  a: [\n", []string{"yaml"}},
		{"unknown top-level key", "schema_version: \"2.0\"\nactions: {}\n", []string{"line 2", `unknown key "actions"`}},
		{"unknown action key", action + "    aproval: human\n", []string{"line 6", `unknown key "aproval"`, "action_operations.block_ip"}},
		{"unknown parameter key", action + "    parameters:\n      - name: ip\n        type: string\n        requird: true\n", []string{"line 9", `unknown key "requird"`}},
		{"unknown verification key", action + "    verification:\n      tool: wazuh_check_blocked_ip\n      expect: true\n", []string{"line 8", `unknown key "expect"`}},
		{"unknown rollback key", action + "    rollback:\n      tool: x\n      script: y\n", []string{"line 8", `unknown key "script"`}},
		{"rollback without tool", action + "    rollback: {}\n", []string{"rollback.tool is missing"}},
		{"verification without tool", action + "    verification: {field: blocked}\n", []string{"verification.tool is missing"}},
		{"missing mcp_tool", "action_operations:\n  block_ip:\n    risk_level: low\n", []string{"line 2", "mcp_tool is missing"}},
		{"missing risk_level", "action_operations:\n  block_ip:\n    mcp_tool: wazuh_block_ip\n", []string{"line 2", "risk_level is missing"}},
		{"empty action", "action_operations:\n  block_ip:\n", []string{"line 2", "is empty"}},
		{"action not a mapping", "action_operations:\n  block_ip: wazuh_block_ip\n", []string{"line 2", "must be a mapping"}},
		{"bad risk level", "action_operations:\n  a:\n    mcp_tool: wazuh_block_ip\n    risk_level: severe\n", []string{"line 4", `"severe" is not one of low, medium, high, critical`}},
		{"unknown tool", "action_operations:\n  a:\n    mcp_tool: wazuh_delete_agent\n    risk_level: low\n", []string{"line 3", `"wazuh_delete_agent" is not a response tool`, "wazuh_block_ip", "wazuh_quarantine_file"}},
		{"rollback tool as action", "action_operations:\n  a:\n    mcp_tool: wazuh_unisolate_host\n    risk_level: low\n", []string{"not a response tool"}},
		{"read tool as action", "action_operations:\n  a:\n    mcp_tool: get_wazuh_alerts\n    risk_level: low\n", []string{"not a response tool"}},
		{"tool case variant", "action_operations:\n  a:\n    mcp_tool: WAZUH_BLOCK_IP\n    risk_level: low\n", []string{"not a response tool"}},
		{"mcp_tool not a string", "action_operations:\n  a:\n    mcp_tool: [wazuh_block_ip]\n    risk_level: low\n", []string{"line 3", "mcp_tool must be a non-empty string"}},
		{"duplicate tool", action + "  block_again:\n    mcp_tool: wazuh_block_ip\n    risk_level: high\n", []string{"line 6", "already mapped by action_operations.block_ip (line 2)"}},
		{"duplicate action key", action + "  block_ip:\n    mcp_tool: wazuh_restart\n    risk_level: high\n", []string{"line 6", `"block_ip" appears twice (first at line 2)`}},
		{"duplicate key inside action", action + "    risk_level: critical\n", []string{"line 6", `"risk_level" appears twice`}},
		{"duplicate top-level key", action + action, []string{"line 6", "appears twice"}},
		{"auto on medium", "action_operations:\n  a:\n    mcp_tool: wazuh_isolate_host\n    risk_level: medium\n    reversible: true\n    approval: auto\n", []string{"line 6", "auto is allowed only for risk_level low and reversible true"}},
		{"auto on irreversible", "action_operations:\n  a:\n    mcp_tool: wazuh_block_ip\n    risk_level: low\n    reversible: false\n    approval: auto\n", []string{"reversible false"}},
		{"auto without reversible", "action_operations:\n  a:\n    mcp_tool: wazuh_block_ip\n    risk_level: low\n    approval: auto\n", []string{"auto is allowed only"}},
		{"auto on critical", "action_operations:\n  a:\n    mcp_tool: wazuh_restart\n    risk_level: critical\n    reversible: true\n    approval: auto\n", []string{"auto is allowed only"}},
		{"confirm on high", "action_operations:\n  a:\n    mcp_tool: wazuh_disable_user\n    risk_level: high\n    approval: confirm\n", []string{"line 5", "confirm is allowed only for risk_level low or medium"}},
		{"confirm on critical", "action_operations:\n  a:\n    mcp_tool: wazuh_restart\n    risk_level: critical\n    approval: confirm\n", []string{"confirm is allowed only"}},
		{"unknown approval", action + "    approval: never\n", []string{"line 6", `"never" is not one of human, confirm, auto`}},
		{"approval case variant", action + "    approval: Auto\n", []string{`"Auto" is not one of`}},
		{"enabled yes", action + "    enabled: yes\n", []string{"line 6", "enabled must be true or false"}},
		{"reversible quoted", "action_operations:\n  a:\n    mcp_tool: wazuh_block_ip\n    risk_level: low\n    reversible: \"true\"\n    approval: auto\n", []string{"reversible must be true or false"}},
		{"risk level not a string", "action_operations:\n  a:\n    mcp_tool: wazuh_block_ip\n    risk_level: 1\n", []string{"risk_level must be a non-empty string"}},
		{"parameters not a list", action + "    parameters: {name: ip}\n", []string{"parameters must be a list"}},
		{"parameter without name", action + "    parameters:\n      - type: string\n", []string{"line 7", "name is missing"}},
		{"parameter bad type", action + "    parameters:\n      - name: ip\n        type: str\n", []string{"line 8", `"str" is not one of`}},
		{"parameter twice", action + "    parameters:\n      - name: ip\n      - name: ip\n", []string{"line 8", `"ip" is declared twice`}},
		{"parameter default not scalar", action + "    parameters:\n      - name: ip\n        default: [1]\n", []string{"default must be a single value"}},
		{"target_param unknown", action + "    target_param: ip\n    parameters:\n      - name: ip_address\n", []string{"line 6", `target_param: "ip" is not one of the action's parameters`}},
		{"bad rollback name", action + "    rollback:\n      tool: \"rm -rf /\"\n", []string{"is not a name"}},
		{"alias in action", "x: &v true\n" + action + "    enabled: *v\n", []string{"unknown key \"x\"", "aliases are not accepted"}},
		{"alias in action without top-level anchor key", "discovery:\n  v: &v true\n" + action + "    enabled: *v\n", []string{"line 8", "aliases are not accepted"}},
		{"merge key in action", "discovery: &d {risk_level: low}\naction_operations:\n  a:\n    <<: *d\n    mcp_tool: wazuh_block_ip\n", []string{"merge keys"}},
		{"read operation without tool", "read_operations:\n  get_alert:\n    description: x\n", []string{"line 2", "read_operations.get_alert: mcp_tool is missing"}},
		{"read operation tool not a string", "read_operations:\n  get_alert:\n    mcp_tool: 5\n", []string{"line 3", "mcp_tool must be a non-empty string"}},
		{"read operation empty", "verification_operations:\n  check_blocked_ip:\n", []string{"is empty"}},
		{"rollback operation tool a map", "rollback_operations:\n  x:\n    mcp_tool: {a: b}\n", []string{"line 3", "mcp_tool must be"}},
		{"section not a mapping", "read_operations: [a, b]\n", []string{"read_operations must be a mapping"}},
		{"action_operations a list", "action_operations:\n  - mcp_tool: wazuh_block_ip\n", []string{"action_operations must be a mapping"}},
		{"complex key", "action_operations:\n  ? [a]\n  : {mcp_tool: wazuh_block_ip}\n", []string{"keys must be plain names"}},
		{"schema_version a map", "schema_version: {a: 1}\n", []string{"schema_version must be a value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := ParseToolMap([]byte(tt.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", tm)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestParseToolMapLimits(t *testing.T) {
	big := []byte(action + "description: \"" + strings.Repeat("a", MaxToolMapSize) + "\"\n")
	if _, err := ParseToolMap(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversize: %v", err)
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadToolMap(path); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversize file: %v", err)
	}
	if _, err := LoadToolMap(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing file must be an error")
	}
	// Many errors are reported, but boundedly.
	var b strings.Builder
	b.WriteString("action_operations:\n")
	for i := range 100 {
		b.WriteString("  a" + itoa(i) + ":\n    mcp_tool: nope\n    risk_level: low\n")
	}
	_, err := ParseToolMap([]byte(b.String()))
	if err == nil {
		t.Fatal("accepted")
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != maxToolMapErrors+1 {
		t.Errorf("%d error lines, want %d", n, maxToolMapErrors+1)
	}
}

func TestApprovalMode(t *testing.T) {
	tm := &ToolMap{Actions: map[string]ActionPolicy{
		"wazuh_block_ip":        {RiskLevel: "low", Reversible: true, Enabled: true},
		"wazuh_kill_process":    {RiskLevel: "low", Reversible: false, Enabled: true},
		"wazuh_host_deny":       {RiskLevel: "medium", Reversible: true, Enabled: true},
		"wazuh_quarantine_file": {RiskLevel: "low", Reversible: true, Approval: "auto", Enabled: true},
		"wazuh_firewall_drop":   {RiskLevel: "low", Reversible: true, Approval: "confirm", Enabled: true},
		"wazuh_disable_user":    {RiskLevel: "low", Reversible: true, Approval: "human"},
	}}
	tests := []struct {
		tool    string
		allow   bool
		want    string
		enabled bool
	}{
		{"wazuh_block_ip", true, "auto", true},
		{"wazuh_block_ip", false, "human", true},
		{"wazuh_kill_process", true, "human", true},
		{"wazuh_host_deny", true, "human", true},
		{"wazuh_quarantine_file", true, "auto", true},
		{"wazuh_quarantine_file", false, "human", true}, // explicit auto still needs the server's consent
		{"wazuh_firewall_drop", false, "confirm", true},
		{"wazuh_firewall_drop", true, "confirm", true},
		{"wazuh_disable_user", true, "human", false},
		{"wazuh_restart", true, "human", true}, // no entry
	}
	for _, tt := range tests {
		if got := tm.ApprovalMode(tt.tool, tt.allow); got != tt.want {
			t.Errorf("ApprovalMode(%s, %t) = %s, want %s", tt.tool, tt.allow, got, tt.want)
		}
		if got := tm.Enabled(tt.tool); got != tt.enabled {
			t.Errorf("Enabled(%s) = %t", tt.tool, got)
		}
	}
	var none *ToolMap
	if none.ApprovalMode("wazuh_block_ip", true) != "human" || !none.Enabled("wazuh_block_ip") {
		t.Error("no toolmap: human and enabled")
	}
	if _, ok := none.Policy("wazuh_block_ip"); ok {
		t.Error("no toolmap: no policy")
	}
}

func FuzzParseToolMap(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input, which is slow
	// for the 26 KB Autopilot file (parsed by TestParseToolMapAutopilotFile).
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", "toolmap.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(action))
	f.Add([]byte(action + "    approval: auto\n    enabled: false\n"))
	f.Add([]byte("action_operations:\n  a:\n    mcp_tool: wazuh_restart\n    risk_level: critical\n    approval: confirm\n"))
	f.Add([]byte("x: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm, err := ParseToolMap(data)
		if err != nil {
			if tm != nil {
				t.Fatal("a map with an error")
			}
			return
		}
		for tool, ap := range tm.Actions {
			if tool != ap.MCPTool || !slices.Contains(responseTools, tool) {
				t.Fatalf("action %q maps tool %q", tool, ap.MCPTool)
			}
			if !slices.Contains(riskLevels, ap.RiskLevel) {
				t.Fatalf("%s: risk level %q", tool, ap.RiskLevel)
			}
			switch ap.Approval {
			case "", "human":
			case "auto":
				if ap.RiskLevel != "low" || !ap.Reversible {
					t.Fatalf("%s: auto at %s reversible=%t", tool, ap.RiskLevel, ap.Reversible)
				}
			case "confirm":
				if ap.RiskLevel != "low" && ap.RiskLevel != "medium" {
					t.Fatalf("%s: confirm at %s", tool, ap.RiskLevel)
				}
			default:
				t.Fatalf("%s: approval %q", tool, ap.Approval)
			}
			for _, allow := range []bool{false, true} {
				m := tm.ApprovalMode(tool, allow)
				if m == "auto" && (!allow || ap.RiskLevel != "low" || !ap.Reversible) {
					t.Fatalf("%s: auto with allow=%t %+v", tool, allow, ap)
				}
			}
		}
	})
}

package tools

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the tool schema snapshot in testdata")

// TestToolSchemaSnapshot pins what clients see: names, descriptions,
// annotations and schemas of every tool. A change fails this test until
// the snapshot is regenerated with `go test ./internal/tools -run Snapshot
// -update` and the diff is reviewed.
func TestToolSchemaSnapshot(t *testing.T) {
	all := Catalogue(Deps{})
	defs := make([]any, 0, len(all))
	for _, tool := range all {
		defs = append(defs, map[string]any{"toolset": tool.Toolset, "write": tool.Write, "tool": tool.Def})
	}
	got, err := json.MarshalIndent(defs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "tool_schemas.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no snapshot (%v): run go test ./internal/tools -run Snapshot -update", err)
	}
	if string(append(got, '\n')) != string(want) {
		t.Fatalf("tool schemas changed: review and run go test ./internal/tools -run Snapshot -update")
	}
}

// TestV4ContractNames checks that the v4.0.6 names and arguments that
// existing clients send are all accepted by name.
func TestV4ContractNames(t *testing.T) {
	want := map[string][]string{
		"get_wazuh_alerts":                   {"limit", "rule_id", "level", "agent_id", "rule_groups", "timestamp_start", "timestamp_end", "compact"},
		"get_wazuh_alert_summary":            {"time_range", "group_by"},
		"analyze_alert_patterns":             {"time_range", "min_frequency"},
		"search_security_events":             {"query", "time_range", "limit", "rule_id", "agent_id", "level", "srcip", "dstip", "compact"},
		"get_wazuh_agents":                   {"agent_id", "status", "limit"},
		"get_wazuh_running_agents":           {},
		"check_agent_health":                 {"agent_id"},
		"get_agent_processes":                {"agent_id", "limit"},
		"get_agent_ports":                    {"agent_id", "limit"},
		"get_agent_configuration":            {"agent_id"},
		"get_wazuh_vulnerabilities":          {"agent_id", "severity", "limit"},
		"get_wazuh_critical_vulnerabilities": {"limit"},
		"get_wazuh_vulnerability_summary":    {"time_range"},
		"analyze_security_threat":            {"indicator", "indicator_type"},
		"check_ioc_reputation":               {"indicator", "indicator_type"},
		"perform_risk_assessment":            {"agent_id"},
		"get_top_security_threats":           {"limit", "time_range"},
		"generate_security_report":           {"report_type", "include_recommendations"},
		"run_compliance_check":               {"framework", "agent_id"},
		"get_wazuh_statistics":               {},
		"get_wazuh_weekly_stats":             {},
		"get_wazuh_cluster_health":           {},
		"get_wazuh_cluster_nodes":            {},
		"get_wazuh_rules_summary":            {},
		"get_wazuh_remoted_stats":            {},
		"get_wazuh_log_collector_stats":      {},
		"validate_wazuh_connection":          {},
		"search_wazuh_manager_logs":          {"query", "limit"},
		"get_wazuh_manager_error_logs":       {"limit"},
		"get_alerts_aggregated":              {"timestamp_start", "timestamp_end", "top_rules", "top_agents"},
		"get_sca_policy_checks":              {"agent_id", "policy_id"},
	}
	byName := map[string]Tool{}
	for _, tool := range Catalogue(Deps{}) {
		byName[tool.Def.Name] = tool
	}
	for name, params := range want {
		tool, ok := byName[name]
		if !ok {
			t.Errorf("tool %s missing", name)
			continue
		}
		props := propertyNames(mustSchema[struct{}](name, true))
		b, _ := json.Marshal(tool.Def.InputSchema)
		var s struct {
			Properties map[string]any `json:"properties"`
		}
		_ = json.Unmarshal(b, &s)
		for p := range s.Properties {
			props[p] = true
		}
		for _, p := range params {
			if !props[p] {
				t.Errorf("%s: argument %s missing from the input schema", name, p)
			}
		}
	}
}

func TestAnnotationsAndSchemas(t *testing.T) {
	for _, tool := range Catalogue(Deps{}) {
		a := tool.Def.Annotations
		destructive := a != nil && a.DestructiveHint != nil && *a.DestructiveHint
		if a == nil || destructive != tool.Write || a.ReadOnlyHint == tool.Write || a.IdempotentHint == tool.Write || a.OpenWorldHint == nil {
			t.Errorf("%s: annotations do not match write=%v", tool.Def.Name, tool.Write)
		}
		if tool.Def.OutputSchema == nil || tool.Def.Description == "" {
			t.Errorf("%s: missing output schema or description", tool.Def.Name)
		}
	}
}

func TestSelect(t *testing.T) {
	all := Catalogue(Deps{})
	tests := []struct {
		name    string
		sel     Selection
		has     []string
		hasNot  []string
		wantErr bool
	}{
		{"defaults", Selection{}, []string{"get_wazuh_alerts", "get_wazuh_agents"}, nil, false},
		{"one toolset", Selection{Toolsets: []string{"agents"}}, []string{"get_wazuh_agents"}, []string{"get_wazuh_alerts"}, false},
		{"plus a tool", Selection{Toolsets: []string{"agents"}, Enabled: []string{"get_alert"}}, []string{"get_alert"}, []string{"get_wazuh_alerts"}, false},
		{"disabled", Selection{Disabled: []string{"get_agent_ports"}}, []string{"get_agent_processes"}, []string{"get_agent_ports"}, false},
		{"unknown toolset", Selection{Toolsets: []string{"nope"}}, nil, nil, true},
		{"unknown tool", Selection{Disabled: []string{"nope"}}, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Select(all, tt.sel)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			names := Names(got)
			for _, n := range tt.has {
				if !slices.Contains(names, n) {
					t.Errorf("missing %s in %v", n, names)
				}
			}
			for _, n := range tt.hasNot {
				if slices.Contains(names, n) {
					t.Errorf("unexpected %s", n)
				}
			}
		})
	}
}

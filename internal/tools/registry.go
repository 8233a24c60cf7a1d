package tools

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ToolsetInfo describes a toolset.
type ToolsetInfo struct {
	Name        string
	Description string
	Default     bool
}

// Toolsets lists every toolset in display order.
func Toolsets() []ToolsetInfo {
	return []ToolsetInfo{
		{"alerts", "Alerts in the Wazuh indexer: search, summaries and patterns computed over all matching alerts", true},
		{"agents", "Agents and their inventory from the Wazuh Manager API", true},
		{"vulnerabilities", "Vulnerability detections in the indexer (wazuh-states-vulnerabilities-*)", true},
		{"analysis", "Computed analyses: IoC sightings, risk, top threats, reports, compliance; each states its method", true},
		{"monitoring", "Manager, cluster and daemon health, statistics and logs", true},
		{"rules", "Rules, decoders, rule files and CDB lists", false},
		{"posture", "SCA policies and checks, file integrity monitoring and rootcheck", false},
		{"mitre", "MITRE ATT&CK techniques and alert-to-technique mapping", false},
		{"manager", "Manager configuration (secrets redacted)", false},
		{"response", "Incident response behind a human approval gate (block IP, disable user, isolate, restart…), action status, verification checks and evidence packs", false},
	}
}

// Selection says which tools to register.
type Selection struct {
	Toolsets []string // empty = the default toolsets; "all" = every toolset
	Enabled  []string // extra individual tools
	Disabled []string // tools never registered
	ReadOnly bool     // drop write tools
}

// Select applies sel to the catalogue. Unknown toolset or tool names are
// errors: a typo must not silently change what an agent can do.
func Select(all []Tool, sel Selection) ([]Tool, error) {
	byName := make(map[string]Tool, len(all))
	for _, t := range all {
		byName[t.Def.Name] = t
	}
	sets, err := toolsetNames(sel.Toolsets)
	if err != nil {
		return nil, err
	}
	chosen := map[string]bool{}
	for _, t := range all {
		if sets[t.Toolset] {
			chosen[t.Def.Name] = true
		}
	}
	for _, n := range sel.Enabled {
		if _, ok := byName[n]; !ok {
			return nil, unknownTool("enabled tools", n, all)
		}
		chosen[n] = true
	}
	for _, n := range sel.Disabled {
		if _, ok := byName[n]; !ok {
			return nil, unknownTool("disabled tools", n, all)
		}
		delete(chosen, n)
	}
	var out []Tool
	for _, t := range all {
		if chosen[t.Def.Name] && !(sel.ReadOnly && t.Write) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Def.Name < out[j].Def.Name })
	return out, nil
}

func toolsetNames(requested []string) (map[string]bool, error) {
	sets := map[string]bool{}
	known := Toolsets()
	if len(requested) == 0 {
		for _, ts := range known {
			if ts.Default {
				sets[ts.Name] = true
			}
		}
		return sets, nil
	}
	for _, r := range requested {
		r = strings.TrimSpace(strings.ToLower(r))
		switch {
		case r == "all":
			for _, ts := range known {
				sets[ts.Name] = true
			}
		case r == "default":
			for _, ts := range known {
				if ts.Default {
					sets[ts.Name] = true
				}
			}
		case slices.ContainsFunc(known, func(ts ToolsetInfo) bool { return ts.Name == r }):
			sets[r] = true
		default:
			names := make([]string, len(known))
			for i, ts := range known {
				names[i] = ts.Name
			}
			return nil, fmt.Errorf("unknown toolset %q (known: %s, all, default)", r, strings.Join(names, ", "))
		}
	}
	return sets, nil
}

func unknownTool(what, name string, all []Tool) error {
	return fmt.Errorf("%s: unknown tool %q (see `wazuh-mcp tools` for the %d known tools)", what, name, len(all))
}

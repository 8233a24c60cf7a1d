package dataset

import (
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
)

// examplesPath is the reference data of the real Wazuh 4.14.7 spec; it is
// only read by tests and its absence skips them.
var examplesPath = testref.Path("api-response-examples.json")

func loadExamples(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(examplesPath)
	if err != nil {
		t.Skip("../shared absent: " + examplesPath + " not readable")
	}
	var doc struct {
		Operations map[string]any `json:"operations"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decoding %s: %v", examplesPath, err)
	}
	return doc.Operations
}

// exampleKeys returns the keys every example item of an operation has (the
// intersection, since examples vary: one port has no state).
func exampleKeys(t *testing.T, ops map[string]any, op string) []string {
	t.Helper()
	var cur any = ops[op]
	for _, k := range []string{"responses", "200", "application/json"} {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%s: no %s in example", op, k)
		}
		cur = m[k]
	}
	data := cur.(map[string]any)
	if d, ok := data["data"].(map[string]any); ok {
		data = d // GET / answers without the data envelope
	}
	items, ok := data["affected_items"].([]any)
	if !ok {
		items = []any{data}
	}
	count := map[string]int{}
	for _, it := range items {
		for k := range it.(map[string]any) {
			count[k]++
		}
	}
	var keys []string
	for k, n := range count {
		if n == len(items) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func TestItemsHaveSpecExampleKeys(t *testing.T) {
	ops := loadExamples(t)
	ds := load(t)
	reporting := func(status string) bool { return status == "active" || status == "disconnected" }
	var agents []Item
	for _, a := range ds.Agents {
		if a["id"] != "000" && reporting(a["status"].(string)) {
			agents = append(agents, a)
		}
	}
	sys := func(kind string, skipWindows ...string) func() ([]Item, []string) {
		return func() ([]Item, []string) {
			var out []Item
			for _, id := range sortedKeys(ds.Syscollector) {
				out = append(out, ds.Syscollector[id][kind]...)
			}
			return out, skipWindows
		}
	}
	perAgent := func(m map[string][]Item) func() ([]Item, []string) {
		return func() ([]Item, []string) {
			var out []Item
			for _, id := range sortedKeys(m) {
				out = append(out, m[id]...)
			}
			return out, nil
		}
	}
	fixed := func(items []Item, optional ...string) func() ([]Item, []string) {
		return func() ([]Item, []string) { return items, optional }
	}
	var checks []Item
	for _, id := range sortedKeys(ds.SCAChecks) {
		for _, pid := range sortedKeys(ds.SCAChecks[id]) {
			checks = append(checks, ds.SCAChecks[id][pid]...)
		}
	}
	var logc []Item
	for _, id := range sortedKeys(ds.Logcollector) {
		logc = append(logc, ds.Logcollector[id])
	}
	unixProc := []string{"egroup", "euser", "fgroup", "nice", "pgrp", "processor", "resident", "rgroup", "ruser", "sgroup", "share", "state", "suser", "tgid", "tty"}
	cases := []struct {
		op    string
		items func() ([]Item, []string) // items and keys Windows items may lack
	}{
		{"GET /agents", fixed(agents)},
		{"GET /groups", fixed(ds.Groups)},
		{"GET /syscollector/{agent_id}/os", sys("os")},
		{"GET /syscollector/{agent_id}/hardware", sys("hardware")},
		{"GET /syscollector/{agent_id}/packages", sys("packages")},
		{"GET /syscollector/{agent_id}/processes", sys("processes", unixProc...)},
		{"GET /syscollector/{agent_id}/ports", sys("ports")},
		{"GET /syscollector/{agent_id}/netaddr", sys("netaddr")},
		{"GET /syscollector/{agent_id}/netiface", sys("netiface")},
		{"GET /syscollector/{agent_id}/hotfixes", sys("hotfixes")},
		{"GET /sca/{agent_id}", perAgent(ds.SCA)},
		{"GET /sca/{agent_id}/checks/{policy_id}", fixed(checks, "reason", "command")},
		{"GET /syscheck/{agent_id}", perAgent(ds.Syscheck)},
		{"GET /rootcheck/{agent_id}", perAgent(ds.Rootcheck)},
		{"GET /agents/{agent_id}/stats/{component}", fixed(logc)},
		{"GET /rules", fixed(ds.Rules)},
		{"GET /rules/files", fixed(ds.RuleFiles)},
		{"GET /decoders", fixed(ds.Decoders)},
		{"GET /lists", fixed(ds.Lists)},
		{"GET /mitre/techniques", fixed(ds.MitreTechniques)},
		{"GET /mitre/tactics", fixed(ds.MitreTactics)},
		{"GET /mitre/mitigations", fixed(ds.MitreMitigations)},
		{"GET /", fixed([]Item{ds.Info})},
		{"GET /manager/info", fixed([]Item{ds.Manager.Info})},
		{"GET /manager/stats", fixed(ds.Manager.Stats)},
		{"GET /manager/stats/hourly", fixed(ds.Manager.StatsHourly)},
		{"GET /manager/stats/analysisd", fixed(ds.Manager.Analysisd)},
		{"GET /manager/stats/remoted", fixed(ds.Manager.Remoted)},
		{"GET /manager/daemons/stats", fixed(ds.Manager.DaemonStats)},
		{"GET /manager/logs", fixed(ds.Manager.Logs)},
		{"GET /cluster/status", fixed([]Item{ds.Cluster.Status})},
		{"GET /cluster/nodes", fixed(ds.Cluster.Nodes)},
		{"GET /cluster/local/info", fixed([]Item{ds.Cluster.LocalInfo})},
		{"GET /cluster/healthcheck", fixed(ds.Cluster.Healthcheck)},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			want := exampleKeys(t, ops, tc.op)
			items, optional := tc.items()
			if len(items) == 0 {
				t.Fatal("no items generated")
			}
			for i, it := range items {
				for _, k := range want {
					if _, ok := it[k]; ok || contains(optional, k) {
						continue
					}
					t.Errorf("item %d lacks key %q (has %v)", i, k, sortedKeys(it))
					return
				}
			}
		})
	}
}

func TestAgentConfigHasSpecComponents(t *testing.T) {
	ds := load(t)
	want := []string{"agent/client", "agent/buffer", "agent/labels", "agent/internal", "com/active-response", "com/logging",
		"com/internal", "logcollector/localfile", "logcollector/socket", "logcollector/internal", "syscheck/syscheck",
		"syscheck/rootcheck", "syscheck/internal", "wmodules/wmodules", "request/remote"}
	for id, cfg := range ds.AgentConfig {
		for _, k := range want {
			if cfg[k] == nil {
				t.Errorf("agent %s lacks %s", id, k)
			}
		}
	}
	ops := loadExamples(t)
	keys := exampleKeys(t, ops, "GET /agents/{agent_id}/config/{component}/{configuration}")
	client := ds.AgentConfig["001"]["agent/client"]
	for _, k := range keys {
		if client[k] == nil {
			t.Errorf("agent/client lacks %q", k)
		}
	}
	for k := range ops["GET /agents/{agent_id}/config/{component}/{configuration}"].(map[string]any)["responses"].(map[string]any)["200"].(map[string]any)["application/json"].(map[string]any)["data"].(map[string]any)["client"].(map[string]any) {
		if _, ok := client["client"].(Item)[k]; !ok {
			t.Errorf("client section lacks %q", k)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

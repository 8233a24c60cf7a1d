package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// docString is the first value of a field of a stand-in document, as text.
func docString(d search.Doc, path string) string {
	if v := d.Values(path); len(v) > 0 {
		if t, ok := v[0].(time.Time); ok {
			return t.UTC().Format(time.RFC3339Nano)
		}
		return fmt.Sprint(v[0])
	}
	return ""
}

// unpadded drops the zero padding of an agent id ("001" → "1", "000" → "0").
func unpadded(id string) string {
	if s := strings.TrimLeft(id, "0"); s != "" {
		return s
	}
	return "0"
}

func countVulns(sim *wazuhsim.Sim, pred func(search.Doc) bool) int64 {
	var n int64
	for _, d := range sim.Dataset.Vulnerabilities {
		if pred(d) {
			n++
		}
	}
	return n
}

// vulnKey identifies a detection: what the document _id is built from.
func vulnKey(v Vulnerability) string {
	return v.Agent.ID + "|" + v.Package.Name + "|" + v.Package.Version + "|" + v.CVE
}

func TestVulnerabilitiesFilterTotalsAreExact(t *testing.T) {
	e := newEnv(t)
	if len(e.sim.Dataset.Vulnerabilities) == 0 {
		t.Fatal("the stand-in has no vulnerability documents")
	}
	var all VulnList
	e.call(t, "get_wazuh_vulnerabilities", map[string]any{"limit": 5}, &all)
	if all.Total != int64(len(e.sim.Dataset.Vulnerabilities)) || all.Returned != 5 || !all.Truncated {
		t.Fatalf("all: total %d (dataset %d), returned %d", all.Total, len(e.sim.Dataset.Vulnerabilities), all.Returned)
	}
	// Pick real values from the data so every filter matches something.
	first := e.sim.Dataset.Vulnerabilities[0]
	agent, cve, pkg := docString(first, "agent.id"), docString(first, "vulnerability.id"), docString(first, "package.name")
	tests := []struct {
		name string
		args map[string]any
		pred func(search.Doc) bool
	}{
		{"severity any case", map[string]any{"severity": "HIGH"}, func(d search.Doc) bool { return docString(d, "vulnerability.severity") == "High" }},
		{"agent unpadded", map[string]any{"agent_id": unpadded(agent)}, func(d search.Doc) bool { return docString(d, "agent.id") == agent }},
		{"cve lower case", map[string]any{"cve": strings.ToLower(cve)}, func(d search.Doc) bool { return docString(d, "vulnerability.id") == cve }},
		{"package and severity", map[string]any{"package": pkg, "severity": "critical"}, func(d search.Doc) bool {
			return docString(d, "package.name") == pkg && docString(d, "vulnerability.severity") == "Critical"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out VulnList
			tt.args["limit"] = 500
			e.call(t, "get_wazuh_vulnerabilities", tt.args, &out)
			want := countVulns(e.sim, tt.pred)
			if out.Total != want {
				t.Fatalf("total %d, want %d", out.Total, want)
			}
			if tt.name != "package and severity" && want == 0 {
				t.Fatal("the filter matches nothing: the test proves nothing")
			}
			for _, v := range out.Vulnerabilities {
				if v.CVE == "" || v.Severity == "" || v.Agent.ID == "" || v.Package.Name == "" || v.Detected == "" || v.Published == "" || !strings.HasPrefix(v.Reference, "https://") {
					t.Fatalf("incomplete detection: %+v", v)
				}
			}
		})
	}
}

func TestVulnerabilitiesCursorWalksEveryDetectionOnce(t *testing.T) {
	e := newEnv(t)
	args := map[string]any{"severity": "high", "limit": 37}
	seen := map[string]bool{}
	lastScore := 11.0
	var total int64
	for page := 0; page < 200; page++ {
		var out VulnList
		e.call(t, "get_wazuh_vulnerabilities", args, &out)
		total = out.Total
		for _, v := range out.Vulnerabilities {
			k := vulnKey(v)
			if seen[k] {
				t.Fatalf("detection %s returned twice", k)
			}
			seen[k] = true
			if v.Score > lastScore {
				t.Fatalf("not ordered by score: %v after %v", v.Score, lastScore)
			}
			lastScore = v.Score
		}
		if out.NextCursor == "" {
			break
		}
		args["cursor"] = out.NextCursor
	}
	want := countVulns(e.sim, func(d search.Doc) bool { return docString(d, "vulnerability.severity") == "High" })
	if int64(len(seen)) != want || total != want || want <= 37 {
		t.Fatalf("walked %d detections, total says %d, dataset has %d", len(seen), total, want)
	}
	res := e.call(t, "get_wazuh_vulnerabilities", map[string]any{"severity": "low", "cursor": args["cursor"]}, nil)
	if msg := resultError(t, res); !strings.Contains(msg, "cursor") {
		t.Fatalf("a cursor reused with other filters: %s", msg)
	}
}

func TestCriticalVulnerabilitiesMatchDataset(t *testing.T) {
	e := newEnv(t)
	var out CriticalVulns
	e.call(t, "get_wazuh_critical_vulnerabilities", map[string]any{"limit": "3"}, &out)
	agents := map[string]bool{}
	var scores []float64
	for _, d := range e.sim.Dataset.Vulnerabilities {
		if docString(d, "vulnerability.severity") == "Critical" {
			agents[docString(d, "agent.id")] = true
			var s float64
			fmt.Sscan(docString(d, "vulnerability.score.base"), &s)
			scores = append(scores, s)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(scores)))
	if out.Total != int64(len(scores)) || out.Agents != int64(len(agents)) || len(agents) == 0 {
		t.Fatalf("total %d agents %d, want %d and %d", out.Total, out.Agents, len(scores), len(agents))
	}
	if out.Returned != 3 || !out.Truncated {
		t.Fatalf("returned %d truncated %v", out.Returned, out.Truncated)
	}
	for i, v := range out.Vulnerabilities {
		if v.Severity != "Critical" || v.Score != scores[i] {
			t.Fatalf("item %d: %+v, want score %v", i, v, scores[i])
		}
	}
}

func TestVulnerabilitySummaryMatchesDataset(t *testing.T) {
	e := newEnv(t)
	for _, tr := range []string{"", "7d"} {
		t.Run("time_range="+tr, func(t *testing.T) {
			var out VulnSummary
			e.call(t, "get_wazuh_vulnerability_summary", map[string]any{"time_range": tr}, &out)
			from := e.now.Add(-7 * 24 * time.Hour)
			in := func(d search.Doc) bool {
				if tr == "" {
					return true
				}
				v := d.Values("vulnerability.detected_at")
				ts, _ := v[0].(time.Time)
				return !ts.Before(from) && !ts.After(e.now)
			}
			counts := map[string]map[string]int64{"sev": {}, "cve": {}, "pkg": {}, "agent": {}}
			cveAgents := map[string]map[string]bool{}
			var total int64
			for _, d := range e.sim.Dataset.Vulnerabilities {
				if !in(d) {
					continue
				}
				total++
				counts["sev"][strings.ToLower(docString(d, "vulnerability.severity"))]++
				cve := docString(d, "vulnerability.id")
				counts["cve"][cve]++
				counts["pkg"][docString(d, "package.name")]++
				counts["agent"][docString(d, "agent.id")]++
				if cveAgents[cve] == nil {
					cveAgents[cve] = map[string]bool{}
				}
				cveAgents[cve][docString(d, "agent.id")] = true
			}
			if out.Total != total || total == 0 {
				t.Fatalf("total %d, want %d", out.Total, total)
			}
			if tr == "" && total != int64(len(e.sim.Dataset.Vulnerabilities)) {
				t.Fatal("the default must count every detection")
			}
			for sev, n := range counts["sev"] {
				if out.BySeverity[sev] != n {
					t.Errorf("severity %s: %d, want %d", sev, out.BySeverity[sev], n)
				}
			}
			checkTop(t, "cve", out.TopCVEs, counts["cve"])
			checkTop(t, "package", out.TopPackages, counts["pkg"])
			checkTop(t, "agent", out.Agents.Top, counts["agent"])
			for _, g := range out.TopCVEs {
				if g.Agents != int64(len(cveAgents[g.Key])) || g.Severity == "" {
					t.Errorf("cve %s: agents %d (want %d), severity %q", g.Key, g.Agents, len(cveAgents[g.Key]), g.Severity)
				}
			}
			if out.Agents.Distinct != int64(len(counts["agent"])) || out.Agents.Top[0].Name == "" {
				t.Errorf("agents: %+v, want %d distinct", out.Agents, len(counts["agent"]))
			}
			if tr != "" && out.Window.From == "" || tr == "" && out.Window.From != "" {
				t.Errorf("window %+v for time_range %q", out.Window, tr)
			}
		})
	}
}

// checkTop compares a top-N list with brute-force counts: each listed count
// is exact and no unlisted key has a higher count than the last listed one.
func checkTop(t *testing.T, what string, got []VulnGroup, want map[string]int64) {
	t.Helper()
	checkTopN(t, what, vulnSummaryTop, got, want)
}

func TestVulnerabilityBadArguments(t *testing.T) {
	e := newEnv(t)
	checkToolErrors(t, e, []toolErrorCase{
		{"get_wazuh_vulnerabilities", map[string]any{"severity": "severe"}, "invalid argument severity"},
		{"get_wazuh_vulnerabilities", map[string]any{"cve": "CVE-24-1"}, "invalid argument cve"},
		{"get_wazuh_vulnerabilities", map[string]any{"cve": "CVE-2024-6387 OR 1=1"}, "invalid argument cve"},
		{"get_wazuh_vulnerabilities", map[string]any{"limit": 501}, "invalid argument limit: 501 is out of range (1-500)"},
		{"get_wazuh_vulnerabilities", map[string]any{"agent_id": "web-01"}, "invalid argument agent_id"},
		{"get_wazuh_vulnerabilities", map[string]any{"cursor": "bogus"}, "invalid argument cursor"},
		{"get_wazuh_critical_vulnerabilities", map[string]any{"limit": -1}, "invalid argument limit"},
		{"get_wazuh_vulnerability_summary", map[string]any{"time_range": "last week"}, "invalid argument time_range"},
	})
}

// TestIndexerToolsWithoutIndexer: every indexer-backed tool of this slice
// says clearly that the indexer is not configured.
func TestIndexerToolsWithoutIndexer(t *testing.T) {
	sim := sharedSim(t)
	wc, _ := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword})
	closeVerified(t, wc)
	ic, _ := indexer.New(indexer.Config{})
	want := map[string]string{
		"get_wazuh_vulnerabilities":          `{}`,
		"get_wazuh_critical_vulnerabilities": `{}`,
		"get_wazuh_vulnerability_summary":    `{}`,
		"get_alerts_aggregated":              `{}`,
		"map_alert_to_attack":                `{"alert_id":"1732201234.123456"}`,
	}
	for _, tool := range Catalogue(Deps{Wazuh: wc, Indexer: ic}) {
		argsJSON, ok := want[tool.Def.Name]
		if !ok {
			continue
		}
		delete(want, tool.Def.Name)
		res, _ := tool.Handler(context.Background(), &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Arguments: json.RawMessage(argsJSON)}})
		if !res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, "WAZUH_INDEXER_HOST") {
			t.Errorf("%s without indexer: %+v", tool.Def.Name, res.Content[0])
		}
	}
	if len(want) > 0 {
		t.Errorf("tools not in the catalogue: %v", want)
	}
}

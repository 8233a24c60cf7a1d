package tools

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// numOf reads a number of a dataset item.
func numOf(it dataset.Item, key string) int64 {
	switch v := it[key].(type) {
	case float64:
		return int64(v)
	case int:
		return int64(v)
	case int64:
		return v
	}
	return -1
}

func datasetLevels(docs []search.Doc, pred func(search.Doc) bool) (int64, map[int]int64) {
	var total int64
	by := map[int]int64{}
	for _, d := range docs {
		if pred(d) {
			total++
			by[level(d)]++
		}
	}
	return total, by
}

func levelMap(ls []LevelCount) map[int]int64 {
	m := map[int]int64{}
	for _, l := range ls {
		m[l.Level] = l.Count
	}
	return m
}

func TestStatisticsMatchDataset(t *testing.T) {
	e := newEnv(t)
	var out WazuhStatistics
	e.call(t, "get_wazuh_statistics", nil, &out)
	a := e.sim.Dataset.Manager.Analysisd[0]
	if out.Analysisd.EventsReceived != numOf(a, "events_received") || out.Analysisd.EventsProcessed != numOf(a, "events_processed") ||
		out.Analysisd.AlertsWritten != numOf(a, "alerts_written") || out.Analysisd.EventsReceived == 0 {
		t.Fatalf("analysisd = %+v, dataset %v", out.Analysisd, a)
	}
	if len(out.Analysisd.BusiestQueues) != 5 || out.Analysisd.BusiestQueues[0].Size != 16384 {
		t.Fatalf("queues = %+v", out.Analysisd.BusiestQueues)
	}
	byStatus := map[string]int{}
	for _, ag := range e.sim.Dataset.Agents {
		byStatus[ag["status"].(string)]++
	}
	if out.Agents.Active != byStatus["active"] || out.Agents.Disconnected != byStatus["disconnected"] ||
		out.Agents.NeverConnected != byStatus["never_connected"] || out.Agents.Total != len(e.sim.Dataset.Agents) {
		t.Fatalf("agents = %+v, dataset %v", out.Agents, byStatus)
	}
	from := e.now.Add(-24 * time.Hour)
	total, by := datasetLevels(e.sim.Dataset.Alerts, func(d search.Doc) bool {
		at := alertTime(d)
		return !at.Before(from) && !at.After(e.now)
	})
	if out.Alerts24h == nil || out.Alerts24h.Total != total || total == 0 || !maps.Equal(levelMap(out.Alerts24h.ByLevel), by) {
		t.Fatalf("alerts_24h = %+v, want %d %v", out.Alerts24h, total, by)
	}
	if !slices.IsSortedFunc(out.Alerts24h.ByLevel, func(x, y LevelCount) int { return y.Level - x.Level }) {
		t.Fatalf("by_level not highest first: %v", out.Alerts24h.ByLevel)
	}
}

// noIndexer is an env whose indexer is not configured.
func noIndexer(d *Deps) {
	ic, err := indexer.New(indexer.Config{})
	if err != nil {
		panic(err)
	}
	d.Indexer = ic
}

func TestStatisticsWithoutIndexer(t *testing.T) {
	e := newEnvOn(t, sharedSim(t), noIndexer)
	var out WazuhStatistics
	e.call(t, "get_wazuh_statistics", nil, &out)
	if out.Alerts24h != nil || out.Analysisd.EventsReceived == 0 || out.Agents.Total == 0 {
		t.Fatalf("%+v", out)
	}
	if !strings.Contains(strings.Join(out.Notes, " "), "WAZUH_INDEXER_HOST") {
		t.Fatalf("notes do not say the indexer is not configured: %v", out.Notes)
	}
	var weekly WeeklyStats
	e.call(t, "get_wazuh_weekly_stats", nil, &weekly)
	if weekly.Alerts7d != nil || len(weekly.Weekdays) != 7 || !strings.Contains(strings.Join(weekly.Notes, " "), "not configured") {
		t.Fatalf("%+v", weekly)
	}
}

func TestWeeklyStatsMatchDataset(t *testing.T) {
	e := newEnv(t)
	var out WeeklyStats
	e.call(t, "get_wazuh_weekly_stats", nil, &out)
	want := map[string]WeekdayStats{}
	for _, it := range e.sim.Dataset.Manager.StatsWeekly {
		for day, v := range it {
			w := WeekdayStats{Day: day}
			for h, x := range v.(dataset.Item)["averages"].([]any) {
				n := int64(x.(int))
				w.AvgAlerts += n
				if n > w.PeakAvg {
					w.PeakHour, w.PeakAvg = h, n
				}
			}
			want[day] = w
		}
	}
	if len(out.Weekdays) != 7 || out.Weekdays[0].Day != "Mon" {
		t.Fatalf("weekdays = %+v", out.Weekdays)
	}
	var sum int64
	for _, w := range out.Weekdays {
		if w != want[w.Day] {
			t.Fatalf("%s = %+v, want %+v", w.Day, w, want[w.Day])
		}
		sum += w.AvgAlerts
	}
	if sum != int64(len(e.sim.Dataset.Alerts)) {
		t.Fatalf("weekday totals %d, dataset %d alerts (the stand-in's averages are counts of one week)", sum, len(e.sim.Dataset.Alerts))
	}
	start := time.Date(e.now.Year(), e.now.Month(), e.now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -6)
	perDay := map[string]int64{}
	var total int64
	for _, d := range e.sim.Dataset.Alerts {
		at := alertTime(d).UTC()
		if !at.Before(start) && !at.After(e.now) {
			perDay[at.Format("2006-01-02")]++
			total++
		}
	}
	if len(out.AlertsPerDay) != 7 || out.AlertsPerDay[0].Date != start.Format("2006-01-02") || out.Alerts7d == nil || *out.Alerts7d != total {
		t.Fatalf("alerts_per_day = %+v, alerts_7d %v, want %d", out.AlertsPerDay, out.Alerts7d, total)
	}
	for _, dc := range out.AlertsPerDay {
		if dc.Count != perDay[dc.Date] {
			t.Fatalf("%s: %d alerts, dataset %d", dc.Date, dc.Count, perDay[dc.Date])
		}
	}
}

func TestClusterHealthAndNodes(t *testing.T) {
	e := newEnv(t)
	var out ClusterHealth
	e.call(t, "get_wazuh_cluster_health", nil, &out)
	if !out.Cluster.Enabled || !out.Cluster.Running || out.Verdict != "healthy" || !out.Healthy || out.Indexer == nil || out.Indexer.Status != "green" {
		t.Fatalf("%+v", out)
	}
	hc := e.sim.Dataset.Cluster.Healthcheck
	if len(out.Cluster.Nodes) != len(hc) {
		t.Fatalf("nodes = %+v", out.Cluster.Nodes)
	}
	for i, n := range out.Cluster.Nodes {
		info := hc[i]["info"].(dataset.Item)
		if n.Name != info["name"] || int64(n.ActiveAgents) != numOf(info, "n_active_agents") {
			t.Fatalf("node %+v, dataset %v", n, info)
		}
	}
	if !strings.Contains(out.Method, "120 s") {
		t.Fatalf("method = %q", out.Method)
	}

	var nodes ClusterNodes
	e.call(t, "get_wazuh_cluster_nodes", nil, &nodes)
	if !nodes.Enabled || nodes.Total != len(e.sim.Dataset.Cluster.Nodes) || len(nodes.Nodes) != nodes.Total {
		t.Fatalf("%+v", nodes)
	}
	for _, n := range nodes.Nodes {
		if n.IP != "[internal-ip-redacted]" || n.Version == "" || (n.Type != "master" && n.Type != "worker") {
			t.Fatalf("node %+v: internal address not redacted by default", n)
		}
	}
	e.call(t, "get_wazuh_cluster_nodes", map[string]any{"include_ip": true}, &nodes)
	ips := map[string]string{}
	for _, n := range e.sim.Dataset.Cluster.Nodes {
		ips[n["name"].(string)] = n["ip"].(string)
	}
	for _, n := range nodes.Nodes {
		if n.IP != ips[n.Name] {
			t.Fatalf("node %s ip %q, dataset %q", n.Name, n.IP, ips[n.Name])
		}
	}
}

// TestClusterVerdictRules checks the verdict rule on nodes the stand-in does
// not produce: a stale worker and a version mismatch.
func TestClusterVerdictRules(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	node := func(name, typ, version string, keepAlive time.Duration) wazuh.NodeHealth {
		var n wazuh.NodeHealth
		n.Info.Name, n.Info.Type, n.Info.Version = name, typ, version
		if typ == "worker" {
			n.Status = []byte(fmt.Sprintf(`{"last_keep_alive":%q}`, now.Add(-keepAlive).Format("2006-01-02 15:04:05.000000+00:00")))
		}
		return n
	}
	tests := []struct {
		name  string
		nodes []wazuh.NodeHealth
		want  string
	}{
		{"fresh", []wazuh.NodeHealth{node("m", "master", "4.14.7", 0), node("w", "worker", "4.14.7", 30*time.Second)}, "healthy"},
		{"stale worker", []wazuh.NodeHealth{node("m", "master", "4.14.7", 0), node("w", "worker", "4.14.7", 5*time.Minute)}, "unhealthy"},
		{"version", []wazuh.NodeHealth{node("m", "master", "4.14.7", 0), node("w", "worker", "4.13.1", time.Second)}, "degraded"},
	}
	for _, tt := range tests {
		_, checks := nodeChecks(tt.nodes, now)
		if got := verdict(checks); got != tt.want {
			t.Errorf("%s: verdict %s, want %s (%+v)", tt.name, got, tt.want, checks)
		}
	}
	if got := verdict([]HealthCheck{indexerCheck(indexer.ClusterHealth{Status: "yellow"})}); got != "degraded" {
		t.Errorf("yellow indexer: %s", got)
	}
	if got := verdict([]HealthCheck{indexerCheck(indexer.ClusterHealth{Status: "red"})}); got != "unhealthy" {
		t.Errorf("red indexer: %s", got)
	}
}

func TestRulesSummaryCountsEveryRule(t *testing.T) {
	e := newEnv(t)
	var out RulesSummary
	e.call(t, "get_wazuh_rules_summary", nil, &out)
	rules := e.sim.Dataset.Rules
	byLevel := map[int]int64{}
	groups := map[string]int{}
	files := map[string]bool{}
	var pci, mitre int64
	for _, r := range rules {
		byLevel[int(numOf(r, "level"))]++
		for _, g := range r["groups"].([]any) {
			groups[g.(string)]++
		}
		files[r["filename"].(string)] = true
		if len(r["pci_dss"].([]any)) > 0 {
			pci++
		}
		if len(r["mitre"].([]any)) > 0 {
			mitre++
		}
	}
	if out.Total != len(rules) || len(rules) == 0 {
		t.Fatalf("total = %d, dataset %d rules", out.Total, len(rules))
	}
	if !maps.Equal(levelMap(out.ByLevel), byLevel) {
		t.Fatalf("by_level = %v, dataset %v", out.ByLevel, byLevel)
	}
	if out.ByStatus["enabled"] != len(rules) || out.Files.Total != len(files) {
		t.Fatalf("status %v files %d, dataset %d rules %d files", out.ByStatus, out.Files.Total, len(rules), len(files))
	}
	if out.Compliance["pci_dss"] != pci || out.Compliance["mitre"] != mitre || pci == 0 {
		t.Fatalf("compliance = %v, dataset pci_dss %d mitre %d", out.Compliance, pci, mitre)
	}
	if len(out.TopGroups) != 20 {
		t.Fatalf("top_groups = %v", out.TopGroups)
	}
	for i, g := range out.TopGroups {
		if g.Count != groups[g.Name] || (i > 0 && g.Count > out.TopGroups[i-1].Count) {
			t.Fatalf("group %+v, dataset %d", g, groups[g.Name])
		}
	}
}

// TestRulesSummaryCoalesces fires 100 identical concurrent calls at a
// stand-in of its own: the client's cache and singleflight must turn them
// into one login and one GET /rules.
func TestRulesSummaryCoalesces(t *testing.T) {
	sim, err := wazuhsim.Serve(sharedSim(t).Dataset, wazuhsim.Options{Seed: 7, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := newEnvOn(t, sim, nil)
	const calls = 100
	totals := make([]int, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			var out RulesSummary
			e.call(t, "get_wazuh_rules_summary", nil, &out)
			totals[i] = out.Total
		})
	}
	wg.Wait()
	st := sim.Manager.Stats()
	if st.TotalRequests > 2 || st.ByPath["GET /rules"] != 1 {
		t.Fatalf("%d concurrent calls made %d Manager requests (%v), want at most 2 (login + one GET /rules)", calls, st.TotalRequests, st.ByPath)
	}
	for _, n := range totals {
		if n != len(sim.Dataset.Rules) {
			t.Fatalf("a call answered total %d, want %d", n, len(sim.Dataset.Rules))
		}
	}
}

func TestRemotedStatsMatchDataset(t *testing.T) {
	e := newEnv(t)
	var out RemotedStats
	e.call(t, "get_wazuh_remoted_stats", nil, &out)
	r := e.sim.Dataset.Manager.Remoted[0]
	want := RemotedCounters{TCPSessions: numOf(r, "tcp_sessions"), EventsReceived: numOf(r, "evt_count"), ControlMessages: numOf(r, "ctrl_msg_count"),
		Discarded: numOf(r, "discarded_count"), DequeuedAfterClose: numOf(r, "dequeued_after_close"), BytesReceived: numOf(r, "recv_bytes"),
		BytesSent: numOf(r, "sent_bytes"), QueueUsed: numOf(r, "queue_size"), QueueSize: numOf(r, "total_queue_size")}
	if out.Remoted != want || want.EventsReceived <= 0 {
		t.Fatalf("remoted = %+v, want %+v", out.Remoted, want)
	}
	for _, d := range e.sim.Dataset.Manager.DaemonStats {
		if d["name"] == "wazuh-remoted" && out.Since != d["uptime"] {
			t.Fatalf("since = %q, dataset %v", out.Since, d["uptime"])
		}
	}
}

func TestLogCollectorStats(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"1", ""} {
		var out LogCollectorStats
		e.call(t, "get_wazuh_log_collector_stats", map[string]any{"agent_id": id}, &out)
		want := map[string]string{"1": "001", "": "000"}[id]
		if out.AgentID != want {
			t.Fatalf("agent_id = %q, want %q", out.AgentID, want)
		}
		lc := e.sim.Dataset.Logcollector[want]
		for name, w := range map[string]LogWindow{"global": out.Global, "interval": out.Interval} {
			period := lc[name].(dataset.Item)
			files := period["files"].([]any)
			var events, bytes int64
			for i, f := range files {
				fi := f.(dataset.Item)
				events += numOf(fi, "events")
				bytes += numOf(fi, "bytes")
				if w.Files[i].Location != fi["location"] || w.Files[i].Events != numOf(fi, "events") {
					t.Fatalf("%s file %d = %+v, dataset %v", name, i, w.Files[i], fi)
				}
			}
			if len(w.Files) != len(files) || w.Events != events || w.Bytes != bytes || w.Start != period["start"] {
				t.Fatalf("%s = %+v, dataset %d events %d bytes", name, w, events, bytes)
			}
		}
		if out.Global.Events == 0 {
			t.Fatal("no events in the global window")
		}
	}
	if msg := resultError(t, e.call(t, "get_wazuh_log_collector_stats", map[string]any{"agent_id": "abc"}, nil)); !strings.Contains(msg, "agent_id") {
		t.Fatalf("error does not name agent_id: %s", msg)
	}
	var inactive string
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == "never_connected" {
			inactive = a["id"].(string)
			break
		}
	}
	if msg := resultError(t, e.call(t, "get_wazuh_log_collector_stats", map[string]any{"agent_id": inactive}, nil)); !strings.Contains(msg, inactive) {
		t.Fatalf("error for a never connected agent: %s", msg)
	}
}

func TestSearchManagerLogs(t *testing.T) {
	e := newEnv(t)
	var want []dataset.Item
	for _, l := range e.sim.Dataset.Manager.Logs {
		if strings.Contains(strings.ToLower(fmt.Sprint(l["timestamp"], l["tag"], l["level"], l["description"])), "vacuum") {
			want = append(want, l)
		}
	}
	var out ManagerLogs
	e.call(t, "search_wazuh_manager_logs", map[string]any{"query": "Vacuum", "limit": "3"}, &out)
	if out.Total != len(want) || len(want) <= 3 || len(out.Untrusted.Logs) != 3 || !out.Truncated {
		t.Fatalf("total %d returned %d truncated %v, dataset %d", out.Total, len(out.Untrusted.Logs), out.Truncated, len(want))
	}
	for i, l := range out.Untrusted.Logs {
		if !strings.Contains(l.Description, "Vacuum") || (i > 0 && l.Timestamp > out.Untrusted.Logs[i-1].Timestamp) {
			t.Fatalf("line %d %+v: not a match or not newest first", i, l)
		}
	}
	if !slices.Contains(out.Notes, policy.UntrustedNotice) {
		t.Fatalf("no untrusted notice: %v", out.Notes)
	}
	e.call(t, "search_wazuh_manager_logs", map[string]any{"query": "Vacuum", "limit": 800}, &out)
	if len(out.Untrusted.Logs) != len(want) || !strings.Contains(strings.Join(out.Notes, " "), "lowered to 500") {
		t.Fatalf("limit 800: %d lines, notes %v", len(out.Untrusted.Logs), out.Notes)
	}
	bad := []struct {
		args map[string]any
		arg  string
	}{
		{map[string]any{}, "query"},
		{map[string]any{"query": "a;b"}, "query"},
		{map[string]any{"query": strings.Repeat("x", 501)}, "query"},
		{map[string]any{"query": "x", "limit": 5000}, "limit"},
	}
	for _, b := range bad {
		if msg := resultError(t, e.call(t, "search_wazuh_manager_logs", b.args, nil)); !strings.Contains(msg, b.arg) {
			t.Errorf("%v: error does not name %s: %s", b.args, b.arg, msg)
		}
	}
}

func TestManagerErrorLogs(t *testing.T) {
	e := newEnv(t)
	var errs []dataset.Item
	for _, l := range e.sim.Dataset.Manager.Logs {
		if l["level"] == "error" {
			errs = append(errs, l)
		}
	}
	var out ManagerLogs
	e.call(t, "get_wazuh_manager_error_logs", map[string]any{"limit": 500}, &out)
	if out.Total != len(errs) || len(errs) == 0 || len(out.Untrusted.Logs) != len(errs) || out.Truncated {
		t.Fatalf("total %d returned %d, dataset %d errors", out.Total, len(out.Untrusted.Logs), len(errs))
	}
	newest := slices.MaxFunc(errs, func(a, b dataset.Item) int {
		return strings.Compare(fmt.Sprint(a["timestamp"]), fmt.Sprint(b["timestamp"]))
	})
	if out.Untrusted.Logs[0].Timestamp != fmt.Sprint(newest["timestamp"]) {
		t.Fatalf("first line %+v is not the newest error %v", out.Untrusted.Logs[0], newest)
	}
	for _, l := range out.Untrusted.Logs {
		if l.Level != "error" {
			t.Fatalf("non-error line %+v", l)
		}
	}
	if msg := resultError(t, e.call(t, "get_wazuh_manager_error_logs", map[string]any{"limit": -1}, nil)); !strings.Contains(msg, "limit") {
		t.Fatalf("error does not name limit: %s", msg)
	}
}

func TestValidateConnection(t *testing.T) {
	e := newEnv(t)
	var out ConnectionReport
	e.call(t, "validate_wazuh_connection", nil, &out)
	ds := e.sim.Dataset
	if !out.OK || !out.Manager.OK || !out.Indexer.OK || len(out.Problems) != 0 {
		t.Fatalf("%+v", out)
	}
	if out.Manager.APIVersion != ds.Info["api_version"] || !out.Manager.Supported || !out.Manager.Authenticated {
		t.Fatalf("manager = %+v", out.Manager)
	}
	var vulns int64
	for _, idx := range ds.VulnerabilityIndices {
		vulns += int64(len(idx.Docs))
	}
	if a := out.Indexer.Alerts; a == nil || !a.Exists || a.Docs != int64(len(ds.Alerts)) || a.Indices != len(ds.AlertIndices) {
		t.Fatalf("alerts index = %+v, dataset %d alerts in %d indices", a, len(ds.Alerts), len(ds.AlertIndices))
	}
	if v := out.Indexer.Vulnerabilities; v == nil || !v.Exists || v.Docs != vulns || vulns == 0 {
		t.Fatalf("vulnerabilities index = %+v, dataset %d", v, vulns)
	}
	if out.Indexer.ClusterStatus != "green" || out.Indexer.Version == "" {
		t.Fatalf("indexer = %+v", out.Indexer)
	}
}

func TestValidateConnectionProblems(t *testing.T) {
	sim := sharedSim(t)
	const wrong = "not-the-password-Zq9"
	e := newEnvOn(t, sim, func(d *Deps) {
		noIndexer(d)
		wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wrong, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			panic(err)
		}
		d.Wazuh = wc
	})
	var out ConnectionReport
	res := e.call(t, "validate_wazuh_connection", nil, &out)
	text := fmt.Sprint(res.Content[0])
	if strings.Contains(text, wrong) {
		t.Fatal("the result shows the password")
	}
	if out.OK || out.Manager.OK || out.Indexer.OK || !out.Manager.Reachable || out.Manager.Authenticated || out.Indexer.Configured {
		t.Fatalf("%+v", out)
	}
	fixes := map[string]string{}
	for _, p := range out.Problems {
		fixes[p.Component] = p.Fix
	}
	if !strings.Contains(fixes["manager"], "WAZUH_PASS") || !strings.Contains(fixes["indexer"], "WAZUH_INDEXER_HOST") {
		t.Fatalf("problems = %+v", out.Problems)
	}
	// Unreachable: nothing listens on this port.
	e = newEnvOn(t, sim, func(d *Deps) {
		wc, err := wazuh.New(wazuh.Config{BaseURL: "http://127.0.0.1:1", Username: "u", Password: wrong, Logger: slog.New(slog.DiscardHandler), MaxRetries: -1})
		if err != nil {
			panic(err)
		}
		d.Wazuh = wc
	})
	e.call(t, "validate_wazuh_connection", nil, &out)
	if out.Manager.Reachable || len(out.Problems) == 0 || !strings.Contains(out.Problems[0].Fix, "WAZUH_HOST") {
		t.Fatalf("%+v", out)
	}
}

// TestMonitoringV4Names checks the v4.0.6 names and arguments of the
// monitoring toolset.
func TestMonitoringV4Names(t *testing.T) {
	want := map[string][]string{
		"get_wazuh_statistics": {}, "get_wazuh_weekly_stats": {}, "get_wazuh_cluster_health": {}, "get_wazuh_cluster_nodes": {},
		"get_wazuh_rules_summary": {}, "get_wazuh_remoted_stats": {}, "get_wazuh_log_collector_stats": {}, "validate_wazuh_connection": {},
		"search_wazuh_manager_logs": {"query", "limit"}, "get_wazuh_manager_error_logs": {"limit"},
	}
	got := map[string]Tool{}
	for _, tool := range monitoringTools(Deps{}) {
		got[tool.Def.Name] = tool
	}
	if len(got) != len(want) {
		t.Fatalf("monitoring has %d tools, want %d", len(got), len(want))
	}
	for name, params := range want {
		tool, ok := got[name]
		if !ok {
			t.Fatalf("tool %s missing", name)
		}
		b, _ := json.Marshal(tool.Def.InputSchema)
		for _, p := range params {
			if !strings.Contains(string(b), `"`+p+`"`) {
				t.Errorf("%s: argument %s missing", name, p)
			}
		}
	}
}

package tools

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
)

const monitoringToolset = "monitoring"

// monitoringTools returns the monitoring toolset.
func monitoringTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_statistics",
			Title:       "Wazuh statistics",
			Description: "Analysisd event counters and queues, agents by status, alerts in the last 24h by level.",
		}, lim, d.statistics),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_weekly_stats",
			Title:       "Weekly statistics",
			Description: "Alert volume per weekday with peak hour, and alerts per day over the last 7 days.",
		}, lim, d.weeklyStats),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_cluster_health",
			Title:       "Cluster health",
			Description: "Manager cluster and indexer health with per-node evidence and a verdict.",
		}, lim, d.clusterHealth),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_cluster_nodes",
			Title:       "Cluster nodes",
			Description: "Manager cluster nodes: name, type, version, address.",
		}, lim, d.clusterNodes),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_rules_summary",
			Title:       "Rules summary",
			Description: "Totals over all rules by level, status, group, file and compliance tag.",
		}, lim, d.rulesSummary),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_remoted_stats",
			Title:       "Remoted statistics",
			Description: "Agent communication daemon (remoted) counters: sessions, events, bytes, queue.",
		}, lim, d.remotedStats),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_log_collector_stats",
			Title:       "Log collector statistics",
			Description: "Per log file events, bytes and drops read by an agent's logcollector.",
		}, lim, d.logCollectorStats),
		newTool(monitoringToolset, Spec{
			Name:        "search_wazuh_manager_logs",
			Title:       "Search manager logs",
			Description: "Search the manager log (ossec.log), newest first.",
		}, lim, d.searchManagerLogs),
		newTool(monitoringToolset, Spec{
			Name:        "get_wazuh_manager_error_logs",
			Title:       "Manager error logs",
			Description: "Newest error lines of the manager's own log (ossec.log).",
		}, lim, d.managerErrorLogs),
		newTool(monitoringToolset, Spec{
			Name:        "validate_wazuh_connection",
			Title:       "Validate connection",
			Description: "Check Manager and indexer reachability, auth, version and indices; says how to fix.",
		}, lim, d.validateConnection),
	}
}

// monitorIn is the input of tools that take no arguments.
type monitorIn struct{}

// LevelCount is a count for one rule level.
type LevelCount struct {
	Level int   `json:"level"`
	Count int64 `json:"count"`
}

// levelCounts reads a terms aggregation on rule.level, highest level first.
func levelCounts(buckets []indexer.Bucket) []LevelCount {
	out := make([]LevelCount, 0, len(buckets))
	for _, b := range buckets {
		n, err := strconv.Atoi(b.Key)
		if err != nil {
			continue
		}
		out = append(out, LevelCount{Level: n, Count: b.DocCount})
	}
	sortLevels(out)
	return out
}

func sortLevels(ls []LevelCount) {
	slices.SortFunc(ls, func(a, b LevelCount) int { return b.Level - a.Level })
}

// indexerNote explains an indexer failure in a result that still answers
// from the Manager.
func indexerNote(what string, err error) string {
	if errors.Is(err, indexer.ErrNotConfigured) {
		return what + " left out: the Wazuh indexer is not configured (set WAZUH_INDEXER_HOST, WAZUH_INDEXER_USER, WAZUH_INDEXER_PASS)"
	}
	return fmt.Sprintf("%s left out: %s", what, errorText(err))
}

// indexerAnswerNote says how the part what of an answer was counted: by
// method over a whole answer; else that there is no alert index, or that
// the answer is partial (so not exact).
func indexerAnswerNote(what string, res indexer.AggResult, method string) string {
	switch {
	case res.NoIndex:
		return what + ": " + noAlertIndexNote
	case res.TimedOut || res.FailedShards > 0:
		return what + ": " + partialText(res.TimedOut, res.FailedShards)
	}
	return what + ": " + method
}

// num reads a number from a decoded JSON object; absent or non-numeric is 0.
func num(m map[string]any, key string) float64 {
	switch v := m[key].(type) {
	case float64:
		return v
	case string:
		f, _ := strconv.ParseFloat(v, 64)
		return f
	}
	return 0
}

// count rounds a counter read as float64.
func count(m map[string]any, key string) int64 { return int64(math.Round(num(m, key))) }

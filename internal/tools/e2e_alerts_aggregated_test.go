package tools

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

func TestAlertsAggregatedMatchesDataset(t *testing.T) {
	e := newEnv(t)
	start, end := e.now.Add(-72*time.Hour), e.now.Add(-12*time.Hour)
	var out AlertsAggregated
	e.call(t, "get_alerts_aggregated", map[string]any{
		"timestamp_start": start.Format(time.RFC3339), "timestamp_end": "now-12h", "top_rules": 5, "top_agents": "3",
	}, &out)
	in := func(d search.Doc) bool { ts := alertTime(d); return !ts.Before(start) && !ts.After(end) }
	levels, rules, agents := map[int]int64{}, map[string]int64{}, map[string]int64{}
	var total int64
	for _, d := range e.sim.Dataset.Alerts {
		if !in(d) {
			continue
		}
		total++
		levels[level(d)]++
		rules[docString(d, "rule.id")]++
		agents[docString(d, "agent.id")]++
	}
	if out.Total != total || total == 0 {
		t.Fatalf("total %d, want %d", out.Total, total)
	}
	if len(out.ByLevel) != len(levels) {
		t.Fatalf("%d levels, want %d", len(out.ByLevel), len(levels))
	}
	for i, l := range out.ByLevel {
		if l.Count != levels[l.Level] || i > 0 && l.Level >= out.ByLevel[i-1].Level {
			t.Errorf("level %d: %d, want %d (order %v)", l.Level, l.Count, levels[l.Level], out.ByLevel)
		}
	}
	ruleGroups := make([]VulnGroup, 0, len(out.TopRules))
	for _, r := range out.TopRules {
		if r.Description == "" || r.Level == 0 {
			t.Errorf("rule without label: %+v", r)
		}
		ruleGroups = append(ruleGroups, VulnGroup{Key: r.ID, Count: r.Count})
	}
	checkTopN(t, "rule", 5, ruleGroups, rules)
	agentGroups := make([]VulnGroup, 0, len(out.TopAgents))
	for _, a := range out.TopAgents {
		if a.Name == "" {
			t.Errorf("agent without name: %+v", a)
		}
		agentGroups = append(agentGroups, VulnGroup{Key: a.ID, Count: a.Count})
	}
	checkTopN(t, "agent", 3, agentGroups, agents)

	// 60 hours at 6h buckets: every alert in exactly one bucket.
	if out.Timeline.Interval != "6h" || len(out.Timeline.Buckets) < 10 {
		t.Fatalf("timeline %s with %d buckets", out.Timeline.Interval, len(out.Timeline.Buckets))
	}
	var sum int64
	for _, b := range out.Timeline.Buckets {
		sum += b.Count
	}
	if sum != total {
		t.Errorf("timeline adds up to %d, total %d", sum, total)
	}
	if !strings.Contains(strings.Join(out.Notes, " "), "beyond the top 5") || !strings.Contains(out.Method, "aggregations") {
		t.Errorf("notes %v, method %q", out.Notes, out.Method)
	}
}

func TestAlertsAggregatedDefaultsAndErrors(t *testing.T) {
	e := newEnv(t)
	var out AlertsAggregated
	e.call(t, "get_alerts_aggregated", map[string]any{}, &out)
	want := countAlerts(e.sim, func(d search.Doc) bool {
		ts := alertTime(d)
		return !ts.Before(e.now.Add(-24*time.Hour)) && !ts.After(e.now)
	})
	if out.Total != want || out.Window.To != e.now.Format(time.RFC3339) || out.Timeline.Interval != "1h" {
		t.Fatalf("default window: total %d (want %d), window %+v, interval %s", out.Total, want, out.Window, out.Timeline.Interval)
	}
	const tool = "get_alerts_aggregated"
	checkToolErrors(t, e, []toolErrorCase{
		{tool, map[string]any{"top_rules": 501}, "invalid argument top_rules"},
		{tool, map[string]any{"top_agents": "many"}, "invalid argument top_agents"},
		{tool, map[string]any{"timestamp_start": "tomorrow"}, "invalid argument timestamp_start"},
		{tool, map[string]any{"timestamp_start": "now-1h", "timestamp_end": "now-2h"}, "invalid argument timestamp_start"},
	})
}

// checkTopN is checkTop with an explicit list size.
func checkTopN(t *testing.T, what string, n int, got []VulnGroup, want map[string]int64) {
	t.Helper()
	if len(got) != min(n, len(want)) {
		t.Fatalf("%s: %d listed, want %d", what, len(got), min(n, len(want)))
	}
	if len(got) == 0 {
		t.Fatalf("%s: nothing listed: the test proves nothing", what)
	}
	listed := map[string]bool{}
	for _, g := range got {
		if g.Count != want[g.Key] {
			t.Errorf("%s %s: count %d, want %d", what, g.Key, g.Count, want[g.Key])
		}
		listed[g.Key] = true
	}
	floor := got[len(got)-1].Count
	for k, c := range want {
		if !listed[k] && c > floor {
			t.Errorf("%s %s (%d) missing from the top list (floor %d)", what, k, c, floor)
		}
	}
}

// A timeline is zero-filled over the whole window, so its step grows with
// the window: a window from 2010 must not be thousands of buckets.
func TestHistogramIntervalBoundsBuckets(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		span time.Duration
		want string
	}{
		{time.Hour, "5m"},
		{24 * time.Hour, "1h"},
		{7 * day, "6h"},
		{90 * day, "1d"},
		{200 * day, "1d"},
		{201 * day, "7d"},
		{3 * 365 * day, "7d"},
		{10 * 365 * day, "30d"},
		{17 * 365 * day, "32d"},
		{100 * 365 * day, "183d"},
	}
	for _, tt := range tests {
		got := histogramInterval(tt.span)
		if got != tt.want {
			t.Errorf("span %v: interval %s, want %s", tt.span, got, tt.want)
		}
		step, err := time.ParseDuration(got)
		if days, ok := strings.CutSuffix(got, "d"); ok {
			var n int
			n, err = strconv.Atoi(days)
			step = time.Duration(n) * day
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := tt.span / step; n > maxTimelineBuckets {
			t.Errorf("span %v at %s: %d buckets, over %d", tt.span, got, n, maxTimelineBuckets)
		}
	}
}

func TestAlertsAggregatedMultiYearWindow(t *testing.T) {
	e := newEnv(t)
	var out AlertsAggregated
	e.call(t, "get_alerts_aggregated", map[string]any{"timestamp_start": "2010-01-01T00:00:00Z"}, &out)
	if n := len(out.Timeline.Buckets); n == 0 || n > maxTimelineBuckets+2 {
		t.Fatalf("timeline %s: %d buckets, want at most about %d", out.Timeline.Interval, n, maxTimelineBuckets)
	}
	var sum int64
	for _, b := range out.Timeline.Buckets {
		sum += b.Count
	}
	if sum != out.Total || out.Total == 0 {
		t.Errorf("timeline adds up to %d, total %d", sum, out.Total)
	}
}

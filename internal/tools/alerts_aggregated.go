package tools

import (
	"context"
	"fmt"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
)

// --- get_alerts_aggregated ---

type alertsAggregatedIn struct {
	TimestampStart args.String `json:"timestamp_start,omitempty" jsonschema:"from (default now-24h)"`
	TimestampEnd   args.String `json:"timestamp_end,omitempty" jsonschema:"to (default now)"`
	TopRules       args.Int    `json:"top_rules,omitempty" jsonschema:"1-500, default 50"`
	TopAgents      args.Int    `json:"top_agents,omitempty" jsonschema:"1-500, default 50"`
}

// AlertsAggregated is the aggregate picture of the alerts in a window.
type AlertsAggregated struct {
	Result
	Window    Window            `json:"window"`
	Total     int64             `json:"total"`
	ByLevel   []LevelCount      `json:"by_level" jsonschema:"highest level first"`
	TopRules  []ThreatRuleCount `json:"top_rules"`
	TopAgents []ThreatCount     `json:"top_agents"`
	Timeline  Timeline          `json:"timeline"`
	Method    string            `json:"method"`
}

// Timeline is an alert histogram.
type Timeline struct {
	Interval string       `json:"interval"`
	Buckets  []TimeBucket `json:"buckets"`
}

// TimeBucket is one histogram bucket.
type TimeBucket struct {
	Start string `json:"start"`
	Count int64  `json:"count"`
}

func (d Deps) alertsAggregated(ctx context.Context, in *alertsAggregatedIn) (*AlertsAggregated, error) {
	from, to, err := args.Window("timestamp_start", string(in.TimestampStart), "timestamp_end", string(in.TimestampEnd), 24*time.Hour, d.now())
	if err != nil {
		return nil, err
	}
	topRules, err := args.Range("top_rules", in.TopRules, 50, 1, 500)
	if err != nil {
		return nil, err
	}
	topAgents, err := args.Range("top_agents", in.TopAgents, 50, 1, 500)
	if err != nil {
		return nil, err
	}
	interval := histogramInterval(to.Sub(from))
	zero := 0
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: to}, map[string]indexer.Agg{
		"levels":   indexer.TermsAgg{Field: indexer.FieldRuleLevel, Size: 20, Order: []indexer.BucketOrder{{By: "_key", Desc: true}}},
		"rules":    ruleTermsAgg(topRules),
		"agents":   agentTermsAgg(topAgents),
		"timeline": indexer.DateHistogramAgg{Field: indexer.FieldTimestamp, FixedInterval: interval, MinDocCount: &zero, ExtendedBounds: &indexer.Bounds{Min: from, Max: to}},
	})
	if err != nil {
		return nil, alertError(err)
	}
	out := &AlertsAggregated{Window: windowOf(from, to), Total: total, Timeline: Timeline{Interval: interval}}
	if err := fillAggregated(out, res); err != nil {
		return nil, alertError(err)
	}
	out.Method = fmt.Sprintf("indexer aggregations over all %d alerts in the window (no sampling): terms on rule.level, rule.id (top %d) and agent.id (top %d); date_histogram every %s", total, topRules, topAgents, interval)
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	return out, nil
}

func fillAggregated(out *AlertsAggregated, res indexer.AggResult) error {
	levels, _, err := res.Terms("levels")
	if err != nil {
		return err
	}
	out.ByLevel = levelCounts(levels)
	var otherRules, otherAgents int64
	if out.TopRules, otherRules, err = ruleCounts(res, "rules"); err != nil {
		return err
	}
	if out.TopAgents, otherAgents, err = termCounts(res, "agents", indexer.FieldAgentName, 16); err != nil {
		return err
	}
	timeline, err := res.DateHistogram("timeline")
	if err != nil {
		return err
	}
	out.Timeline.Buckets = make([]TimeBucket, 0, len(timeline))
	for _, b := range timeline {
		out.Timeline.Buckets = append(out.Timeline.Buckets, TimeBucket{Start: b.Key.Format(time.RFC3339), Count: b.DocCount})
	}
	if otherRules > 0 {
		out.AddNote("%d alerts belong to rules beyond the top %d; raise top_rules to see them", otherRules, len(out.TopRules))
	}
	if otherAgents > 0 {
		out.AddNote("%d alerts come from agents beyond the top %d; raise top_agents to see them", otherAgents, len(out.TopAgents))
	}
	return nil
}

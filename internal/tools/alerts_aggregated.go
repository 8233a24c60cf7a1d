package tools

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
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
	Window    Window       `json:"window"`
	Total     int64        `json:"total"`
	ByLevel   []LevelCount `json:"by_level" jsonschema:"highest level first"`
	TopRules  []RuleCount  `json:"top_rules"`
	TopAgents []AgentCount `json:"top_agents"`
	Timeline  Timeline     `json:"timeline"`
	Method    string       `json:"method"`
}

// RuleCount is a rule with its alert count.
type RuleCount struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Level       int    `json:"level"`
	Count       int64  `json:"count"`
}

// AgentCount is an agent with its alert count.
type AgentCount struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Count int64  `json:"count"`
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
		"levels": indexer.TermsAgg{Field: indexer.FieldRuleLevel, Size: 20, Order: []indexer.BucketOrder{{By: "_key", Desc: true}}},
		"rules": indexer.TermsAgg{Field: indexer.FieldRuleID, Size: topRules, Aggs: map[string]indexer.Agg{
			"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldRuleDesc, indexer.FieldRuleLevel}},
		}},
		"agents": indexer.TermsAgg{Field: indexer.FieldAgentID, Size: topAgents, Aggs: map[string]indexer.Agg{
			"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldAgentName}},
		}},
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
	rules, otherRules, err := res.Terms("rules")
	if err != nil {
		return err
	}
	out.TopRules = make([]RuleCount, 0, len(rules))
	for _, b := range rules {
		r := RuleCount{ID: policy.Fence(b.Key, 16), Description: bucketLabel(b, indexer.FieldRuleDesc), Count: b.DocCount}
		if hits, err := b.Sub.TopHits("label"); err == nil && len(hits) > 0 {
			r.Level, _ = strconv.Atoi(sourceString(hits[0].Source, indexer.FieldRuleLevel))
		}
		out.TopRules = append(out.TopRules, r)
	}
	agents, otherAgents, err := res.Terms("agents")
	if err != nil {
		return err
	}
	out.TopAgents = make([]AgentCount, 0, len(agents))
	for _, b := range agents {
		out.TopAgents = append(out.TopAgents, AgentCount{ID: policy.Fence(b.Key, 16), Name: bucketLabel(b, indexer.FieldAgentName), Count: b.DocCount})
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
		out.AddNote("%d alerts belong to rules beyond the top %d; raise top_rules to see them", otherRules, len(rules))
	}
	if otherAgents > 0 {
		out.AddNote("%d alerts come from agents beyond the top %d; raise top_agents to see them", otherAgents, len(agents))
	}
	return nil
}

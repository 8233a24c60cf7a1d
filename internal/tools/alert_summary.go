package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

// --- get_wazuh_alert_summary ---

type alertSummaryIn struct {
	TimeRange args.String `json:"time_range,omitempty" jsonschema:"default 24h"`
	GroupBy   args.String `json:"group_by,omitempty" jsonschema:"rule.level (default), rule.id, rule.groups, agent.id, agent.name, data.srcip, rule.mitre.id"`
	Top       args.Int    `json:"top,omitempty" jsonschema:"groups to list, 1-500 (default 50)"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// AlertSummary is a grouped count of alerts.
type AlertSummary struct {
	Result
	Window         Window         `json:"window"`
	Total          int64          `json:"total" jsonschema:"alerts in the window (exact)"`
	GroupBy        string         `json:"group_by"`
	DistinctValues int64          `json:"distinct_values" jsonschema:"distinct values of group_by in the window"`
	Groups         []SummaryGroup `json:"groups"`
	OtherCount     int64          `json:"other_count" jsonschema:"alerts in groups beyond the listed ones"`
	Method         string         `json:"method"`
}

// SummaryGroup is one group of a summary.
type SummaryGroup struct {
	Key     string  `json:"key"`
	Label   string  `json:"label,omitempty" jsonschema:"rule description or agent name for id keys"`
	Count   int64   `json:"count"`
	Percent float64 `json:"percent" jsonschema:"share of total, 0-100"`
}

// labelField names the field that labels the keys of a group_by field
// (rule ids get their description, agent ids their name), or "".
func labelField(groupBy string) string {
	switch groupBy {
	case "rule.id":
		return "rule.description"
	case "agent.id":
		return "agent.name"
	}
	return ""
}

func (d Deps) alertSummary(ctx context.Context, in *alertSummaryIn) (*AlertSummary, error) {
	from, to, err := args.TimeRange("time_range", string(in.TimeRange), "24h", d.now())
	if err != nil {
		return nil, err
	}
	field, err := args.OneOf("group_by", string(in.GroupBy), "rule.level",
		"rule.level", "rule.id", "rule.groups", "agent.id", "agent.name", "data.srcip", "rule.mitre.id")
	if err != nil {
		return nil, err
	}
	top, err := args.Range("top", in.Top, 50, 1, 500)
	if err != nil {
		return nil, err
	}
	terms := indexer.TermsAgg{Field: field, Size: top}
	if lf := labelField(field); lf != "" {
		terms.Aggs = map[string]indexer.Agg{"label": indexer.TopHitsAgg{Size: 1, Source: []string{lf}}}
	}
	f := indexer.AlertFilter{From: from, To: to}
	total, res, err := d.Indexer.AggregateAlerts(ctx, f, map[string]indexer.Agg{
		"groups":   terms,
		"distinct": indexer.CardinalityAgg{Field: field, PrecisionThreshold: 40000},
	})
	if err != nil {
		return nil, alertError(err)
	}
	buckets, other, err := res.Terms("groups")
	if err != nil {
		return nil, alertError(err)
	}
	distinct, _ := res.Cardinality("distinct")
	out := &AlertSummary{
		Window: windowOf(from, to), Total: total, GroupBy: field, DistinctValues: distinct, OtherCount: other,
		Groups: make([]SummaryGroup, 0, len(buckets)),
		Method: fmt.Sprintf("OpenSearch terms aggregation on %s over all %d alerts in the window (no sampling); distinct_values from a cardinality aggregation (exact below 40,000 values)", field, total),
	}
	includeIP := includeIPs(in.IncludeIP, d)
	for _, b := range buckets {
		key := policy.Fence(b.Key, 256)
		if field == "data.srcip" {
			key = policy.IP(key, includeIP)
		}
		out.Groups = append(out.Groups, SummaryGroup{Key: key, Label: bucketLabel(b, labelField(field)), Count: b.DocCount, Percent: percent(b.DocCount, total)})
	}
	if field == "rule.groups" || field == "rule.mitre.id" {
		out.AddNote("an alert has several %s values, so it is counted in each of its groups and the counts add up to more than total", field)
	}
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	return out, nil
}

// bucketLabel reads a label field from a bucket's "label" top hit.
func bucketLabel(b indexer.Bucket, field string) string {
	if field == "" {
		return ""
	}
	hits, err := b.Sub.TopHits("label")
	if err != nil || len(hits) == 0 {
		return ""
	}
	return policy.Fence(sourceString(hits[0].Source, field), 256)
}

// sourceString reads a dotted path from a JSON document.
func sourceString(src json.RawMessage, path string) string {
	var doc map[string]any
	if json.Unmarshal(src, &doc) != nil {
		return ""
	}
	var cur any = doc
	for _, part := range splitPath(path) {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[part]
	}
	switch v := cur.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	}
	return ""
}

func splitPath(p string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return append(parts, p[start:])
}

func percent(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(n)*10000/float64(total)) / 100
}

// --- analyze_alert_patterns ---

type alertPatternsIn struct {
	TimeRange    args.String `json:"time_range,omitempty" jsonschema:"default 24h"`
	MinFrequency args.Int    `json:"min_frequency,omitempty" jsonschema:"min occurrences, 1-1000 (default 5)"`
	IncludeIP    *args.Bool  `json:"include_ip,omitempty"`
}

// AlertPatterns is the answer of analyze_alert_patterns.
type AlertPatterns struct {
	Result
	Window         Window          `json:"window"`
	Total          int64           `json:"total"`
	RecurringRules []RulePattern   `json:"recurring_rules" jsonschema:"rules that fired at least min_frequency times, most frequent first"`
	NoisySources   []SourcePattern `json:"noisy_sources" jsonschema:"source IPs behind at least min_frequency alerts"`
	SpreadSources  []SourcePattern `json:"multi_agent_sources" jsonschema:"source IPs seen on two or more agents"`
	Bursts         []Burst         `json:"bursts" jsonschema:"time buckets far above the window's average"`
	BucketInterval string          `json:"bucket_interval"`
	Method         string          `json:"method"`
}

// RulePattern is a recurring rule.
type RulePattern struct {
	RuleID      string  `json:"rule_id"`
	Description string  `json:"description,omitempty"`
	Level       int     `json:"level,omitempty"`
	Count       int64   `json:"count"`
	Agents      int64   `json:"agents" jsonschema:"distinct agents"`
	Sources     int64   `json:"sources" jsonschema:"distinct source IPs"`
	FirstSeen   string  `json:"first_seen,omitempty"`
	LastSeen    string  `json:"last_seen,omitempty"`
	PerHour     float64 `json:"per_hour" jsonschema:"average rate between first and last seen"`
}

// SourcePattern is a source address behind many alerts.
type SourcePattern struct {
	SrcIP    string `json:"src_ip"`
	Count    int64  `json:"count"`
	Agents   int64  `json:"agents"`
	Rules    int64  `json:"rules" jsonschema:"distinct rules fired"`
	MaxLevel int    `json:"max_level"`
}

// Burst is a time bucket with unusually many alerts.
type Burst struct {
	Start  string  `json:"start"`
	Count  int64   `json:"count"`
	ZScore float64 `json:"z_score" jsonschema:"standard deviations above the mean bucket"`
}

const burstZ = 3.0

func (d Deps) alertPatterns(ctx context.Context, in *alertPatternsIn) (*AlertPatterns, error) {
	from, to, err := args.TimeRange("time_range", string(in.TimeRange), "24h", d.now())
	if err != nil {
		return nil, err
	}
	minFreq, err := args.Range("min_frequency", in.MinFrequency, 5, 1, 1000)
	if err != nil {
		return nil, err
	}
	interval := histogramInterval(to.Sub(from))
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: to}, patternAggs(minFreq, interval, from, to))
	if err != nil {
		return nil, alertError(err)
	}
	out := &AlertPatterns{Window: windowOf(from, to), Total: total, BucketInterval: interval}
	if out.RecurringRules, err = rulePatterns(res); err != nil {
		return nil, alertError(err)
	}
	includeIP := includeIPs(in.IncludeIP, d)
	if out.NoisySources, out.SpreadSources, err = sourcePatterns(res, includeIP); err != nil {
		return nil, alertError(err)
	}
	if out.Bursts, err = bursts(res, int64(minFreq)); err != nil {
		return nil, alertError(err)
	}
	out.Method = fmt.Sprintf("Indexer aggregations over all %d alerts in the window: terms on rule.id and data.srcip (min_doc_count %d) with cardinality of agents, sources and rules and min/max timestamp; "+
		"a date_histogram every %s flags buckets more than %.0f standard deviations above the mean as bursts (a heuristic).", total, minFreq, interval, burstZ)
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	return out, nil
}

func patternAggs(minFreq int, interval string, from, to time.Time) map[string]indexer.Agg {
	minDoc := minFreq
	zero := 0
	return map[string]indexer.Agg{
		"rules": indexer.TermsAgg{Field: "rule.id", Size: 50, MinDocCount: &minDoc, Aggs: map[string]indexer.Agg{
			"agents":  indexer.CardinalityAgg{Field: "agent.id"},
			"sources": indexer.CardinalityAgg{Field: "data.srcip"},
			"first":   indexer.MinAgg{Field: "timestamp"},
			"last":    indexer.MaxAgg{Field: "timestamp"},
			"rule":    indexer.TopHitsAgg{Size: 1, Source: []string{"rule.description", "rule.level"}},
		}},
		"sources": indexer.TermsAgg{Field: "data.srcip", Size: 50, MinDocCount: &minDoc, Aggs: map[string]indexer.Agg{
			"agents":    indexer.CardinalityAgg{Field: "agent.id"},
			"rules":     indexer.CardinalityAgg{Field: "rule.id"},
			"max_level": indexer.MaxAgg{Field: "rule.level"},
		}},
		"timeline": indexer.DateHistogramAgg{Field: "timestamp", FixedInterval: interval, MinDocCount: &zero, ExtendedBounds: &indexer.Bounds{Min: from, Max: to}},
	}
}

// maxTimelineBuckets bounds a timeline: the histogram is zero-filled over
// the whole window (extended bounds), so without a bound a window from 2010
// would be thousands of empty buckets, over the result limit.
const maxTimelineBuckets = 200

// histogramInterval keeps the timeline at most about maxTimelineBuckets
// buckets long, in round steps where one fits.
func histogramInterval(span time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case span <= 2*time.Hour:
		return "5m"
	case span <= 48*time.Hour:
		return "1h"
	case span <= 14*day:
		return "6h"
	case span <= maxTimelineBuckets*day:
		return "1d"
	case span <= maxTimelineBuckets*7*day:
		return "7d"
	case span <= maxTimelineBuckets*30*day:
		return "30d"
	}
	n := (span + maxTimelineBuckets*day - 1) / (maxTimelineBuckets * day)
	return strconv.FormatInt(int64(n), 10) + "d"
}

func rulePatterns(res indexer.AggResult) ([]RulePattern, error) {
	buckets, _, err := res.Terms("rules")
	if err != nil {
		return nil, err
	}
	out := make([]RulePattern, 0, len(buckets))
	for _, b := range buckets {
		p := RulePattern{RuleID: policy.Fence(b.Key, 16), Count: b.DocCount}
		p.Agents, _ = b.Sub.Cardinality("agents")
		p.Sources, _ = b.Sub.Cardinality("sources")
		first, last := epochValue(b.Sub, "first"), epochValue(b.Sub, "last")
		if !first.IsZero() {
			p.FirstSeen, p.LastSeen = first.Format(time.RFC3339), last.Format(time.RFC3339)
			hours := math.Max(last.Sub(first).Hours(), 1)
			p.PerHour = math.Round(float64(b.DocCount)/hours*100) / 100
		}
		if hits, err := b.Sub.TopHits("rule"); err == nil && len(hits) > 0 {
			p.Description = policy.Fence(sourceString(hits[0].Source, "rule.description"), 256)
			fmt.Sscan(sourceString(hits[0].Source, "rule.level"), &p.Level)
		}
		out = append(out, p)
	}
	return out, nil
}

func epochValue(r indexer.AggResult, name string) time.Time {
	v, err := r.Value(name)
	if err != nil || v == nil {
		return time.Time{}
	}
	return time.UnixMilli(int64(*v)).UTC()
}

func sourcePatterns(res indexer.AggResult, includeIP bool) (noisy, spread []SourcePattern, err error) {
	buckets, _, err := res.Terms("sources")
	if err != nil {
		return nil, nil, err
	}
	noisy, spread = []SourcePattern{}, []SourcePattern{}
	for _, b := range buckets {
		p := SourcePattern{SrcIP: policy.IP(policy.Fence(b.Key, 64), includeIP), Count: b.DocCount}
		p.Agents, _ = b.Sub.Cardinality("agents")
		p.Rules, _ = b.Sub.Cardinality("rules")
		if v, err := b.Sub.Value("max_level"); err == nil && v != nil {
			p.MaxLevel = int(*v)
		}
		noisy = append(noisy, p)
		if p.Agents >= 2 {
			spread = append(spread, p)
		}
	}
	return noisy, spread, nil
}

// bursts flags histogram buckets more than burstZ standard deviations
// above the mean and at least minCount alerts.
func bursts(res indexer.AggResult, minCount int64) ([]Burst, error) {
	buckets, err := res.DateHistogram("timeline")
	if err != nil {
		return nil, err
	}
	out := []Burst{}
	if len(buckets) < 3 {
		return out, nil
	}
	var sum, sq float64
	for _, b := range buckets {
		sum += float64(b.DocCount)
		sq += float64(b.DocCount) * float64(b.DocCount)
	}
	n := float64(len(buckets))
	mean := sum / n
	std := math.Sqrt(math.Max(sq/n-mean*mean, 0))
	if std == 0 {
		return out, nil
	}
	for _, b := range buckets {
		z := (float64(b.DocCount) - mean) / std
		if z >= burstZ && b.DocCount >= minCount {
			out = append(out, Burst{Start: b.Key.Format(time.RFC3339), Count: b.DocCount, ZScore: math.Round(z*100) / 100})
		}
	}
	return out, nil
}

package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

const alertsToolset = "alerts"

func alertTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(alertsToolset, Spec{
			Name:        "get_wazuh_alerts",
			Title:       "Get Wazuh alerts",
			Description: "Alerts newest first, filtered by rule, level, agent, groups and time; exact total.",
		}, lim, d.getAlerts),
		newTool(alertsToolset, Spec{
			Name:        "search_security_events",
			Title:       "Search security events",
			Description: "Full-text search of alerts (log, description, fields) in a time range.",
		}, lim, d.searchEvents),
		newTool(alertsToolset, Spec{
			Name:        "get_alert",
			Title:       "Get one alert",
			Description: "One alert by id, with compliance tags and decoded fields.",
		}, lim, d.getAlert),
		newTool(alertsToolset, Spec{
			Name:        "get_wazuh_alert_summary",
			Title:       "Summarize alerts",
			Description: "Exact alert counts in a time range grouped by level, rule, group, agent or source IP.",
		}, lim, d.alertSummary),
		newTool(alertsToolset, Spec{
			Name:        "analyze_alert_patterns",
			Title:       "Analyze alert patterns",
			Description: "Recurring rules, noisy sources, sources on several agents and bursts, from aggregations.",
		}, lim, d.alertPatterns),
		newTool(alertsToolset, Spec{
			Name:        "get_alerts_aggregated",
			Title:       "Aggregate alerts",
			Description: "Exact alert totals in a window by level, top rules, top agents and over time.",
		}, lim, d.alertsAggregated),
	}
}

// --- get_wazuh_alerts ---

type getAlertsIn struct {
	Limit          args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	RuleID         args.String `json:"rule_id,omitempty" jsonschema:"rule id, e.g. 5712"`
	Level          args.String `json:"level,omitempty" jsonschema:"min level \"12\"/\"12+\" or span \"10-12\""`
	AgentID        args.String `json:"agent_id,omitempty" jsonschema:"agent id, e.g. 001"`
	RuleGroups     args.List   `json:"rule_groups,omitempty" jsonschema:"any of these rule groups, e.g. sshd"`
	TimestampStart args.String `json:"timestamp_start,omitempty" jsonschema:"from: ISO-8601 or now-24h"`
	TimestampEnd   args.String `json:"timestamp_end,omitempty" jsonschema:"to (default now)"`
	commonAlertOptions
}

// commonAlertOptions are the presentation and paging options of alert lists.
type commonAlertOptions struct {
	Compact        *args.Bool  `json:"compact,omitempty" jsonschema:"false: add compliance, data"`
	IncludeFullLog args.Bool   `json:"include_full_log,omitempty"`
	IncludeIP      *args.Bool  `json:"include_ip,omitempty"`
	Cursor         args.String `json:"cursor,omitempty"`
}

func (o commonAlertOptions) shape(d Deps) shapeOptions {
	return shapeOptions{
		compact:    o.Compact == nil || bool(*o.Compact),
		fullLog:    bool(o.IncludeFullLog),
		includeIPs: includeIPs(o.IncludeIP, d),
	}
}

func includeIPs(v *args.Bool, d Deps) bool {
	if v == nil {
		return d.IncludeInternalIPs
	}
	return bool(*v)
}

// AlertList is the answer of the alert list tools.
type AlertList struct {
	Result
	Total         int64   `json:"total" jsonschema:"alerts matching the filters (exact unless total_relation is gte)"`
	TotalRelation string  `json:"total_relation" jsonschema:"eq when total is exact, gte when it is a lower bound"`
	Returned      int     `json:"returned"`
	Truncated     bool    `json:"truncated" jsonschema:"true when more alerts match than were returned"`
	NextCursor    string  `json:"next_cursor,omitempty" jsonschema:"pass as cursor to get the next page"`
	Window        Window  `json:"window"`
	Alerts        []Alert `json:"alerts"`
}

// Window is the time window a result covers.
type Window struct {
	From string `json:"from,omitempty" jsonschema:"inclusive start, RFC 3339; empty = unbounded"`
	To   string `json:"to,omitempty" jsonschema:"inclusive end, RFC 3339"`
}

func windowOf(from, to time.Time) Window {
	var w Window
	if !from.IsZero() {
		w.From = from.UTC().Format(time.RFC3339)
	}
	if !to.IsZero() {
		w.To = to.UTC().Format(time.RFC3339)
	}
	return w
}

func (d Deps) getAlerts(ctx context.Context, in *getAlertsIn) (*AlertList, error) {
	now := d.now()
	limit, err := args.Limit("limit", in.Limit, 100, d.maxAlerts())
	if err != nil {
		return nil, err
	}
	f, err := commonFilter(string(in.RuleID), string(in.Level), string(in.AgentID))
	if err != nil {
		return nil, err
	}
	if f.RuleGroups, err = args.Groups("rule_groups", in.RuleGroups); err != nil {
		return nil, err
	}
	if f.From, f.To, err = args.Window("timestamp_start", string(in.TimestampStart), "timestamp_end", string(in.TimestampEnd), 0, now); err != nil {
		return nil, err
	}
	return d.listAlerts(ctx, f, limit, in.commonAlertOptions)
}

// commonFilter parses the rule/level/agent arguments shared by alert tools.
func commonFilter(ruleID, level, agentID string) (indexer.AlertFilter, error) {
	var f indexer.AlertFilter
	rid, err := args.RuleID("rule_id", ruleID)
	if err != nil {
		return f, err
	}
	if rid != "" {
		f.RuleIDs = []string{rid}
	}
	lv, err := args.Level("level", level)
	if err != nil {
		return f, err
	}
	f.MinLevel, f.MaxLevel = lv.Min, lv.Max
	aid, err := args.OptionalAgentID("agent_id", agentID)
	if err != nil {
		return f, err
	}
	if aid != "" {
		f.AgentIDs = []string{aid}
	}
	return f, nil
}

func (d Deps) listAlerts(ctx context.Context, f indexer.AlertFilter, limit int, o commonAlertOptions) (*AlertList, error) {
	cursor, err := args.Text("cursor", string(o.Cursor), 4096, false)
	if err != nil {
		return nil, err
	}
	res, err := d.Indexer.SearchAlerts(ctx, indexer.SearchRequest{
		Filter:         f,
		Size:           limit,
		After:          indexer.Cursor(cursor),
		TrackTotalHits: true,
	})
	if err != nil {
		return nil, alertError(err)
	}
	out := &AlertList{
		Total:         res.Total,
		TotalRelation: firstNonEmpty(res.TotalRelation, "eq"),
		Returned:      len(res.Hits),
		NextCursor:    string(res.Next),
		Window:        windowOf(f.From, f.To),
		Alerts:        make([]Alert, 0, len(res.Hits)),
	}
	out.Truncated = out.NextCursor != ""
	shape := o.shape(d)
	for _, h := range res.Hits {
		out.Alerts = append(out.Alerts, shapeAlert(h, shape))
	}
	noteAlertList(&out.Result, res, out)
	return out, nil
}

func noteAlertList(r *Result, res indexer.SearchResult, out *AlertList) {
	noteAlertAnswer(r, res.NoIndex, res.TimedOut, res.FailedShards)
	if out.Truncated {
		r.AddNote("%d of %d matching alerts returned, newest first; pass next_cursor as cursor for more", out.Returned, out.Total)
	}
	if hasUntrusted(out.Alerts) {
		r.AddNote(policy.UntrustedNotice)
	}
}

// noteAlertAnswer states what an alert-index answer leaves out: no alert
// index at all, or a partial answer whose counts may be low. Every tool
// that reports counts from the alert index says it the same way.
func noteAlertAnswer(r *Result, noIndex, timedOut bool, failedShards int) {
	if noIndex {
		r.AddNote(noAlertIndexNote)
	}
	notePartial(r, timedOut, failedShards)
}

const noAlertIndexNote = "no alert index matched (wazuh-alerts-4.x-*): the indexer holds no alerts yet"

// notePartial says that an indexer answer is partial.
func notePartial(r *Result, timedOut bool, failedShards int) {
	if s := partialText(timedOut, failedShards); s != "" {
		r.AddNote("%s", s)
	}
}

// partialText is notePartial's sentence, or "" for a whole answer; tools
// with several sources prefix it with the part it concerns.
func partialText(timedOut bool, failedShards int) string {
	if !timedOut && failedShards <= 0 {
		return ""
	}
	return fmt.Sprintf("the indexer answered partially (timed out: %v, failed shards: %d): counts may be low", timedOut, failedShards)
}

func hasUntrusted(alerts []Alert) bool {
	for _, a := range alerts {
		if a.Untrusted != nil {
			return true
		}
	}
	return false
}

// alertError adds the indexer context to errors that do not carry it.
func alertError(err error) error {
	if errors.Is(err, indexer.ErrNotConfigured) || errors.Is(err, indexer.ErrUnreachable) {
		return err
	}
	return fmt.Errorf("alert query failed: %w", err)
}

// --- search_security_events ---

type searchEventsIn struct {
	Query     args.String `json:"query" jsonschema:"text to find, matched literally"`
	TimeRange args.String `json:"time_range,omitempty" jsonschema:"default 24h"`
	Limit     args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	RuleID    args.String `json:"rule_id,omitempty" jsonschema:"rule id"`
	AgentID   args.String `json:"agent_id,omitempty" jsonschema:"agent id"`
	Level     args.String `json:"level,omitempty" jsonschema:"min level, e.g. 12"`
	SrcIP     args.String `json:"srcip,omitempty" jsonschema:"source IP"`
	DstIP     args.String `json:"dstip,omitempty" jsonschema:"destination IP"`
	commonAlertOptions
}

func (d Deps) searchEvents(ctx context.Context, in *searchEventsIn) (*AlertList, error) {
	now := d.now()
	q, err := args.Text("query", string(in.Query), 500, true)
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 100, d.maxAlerts())
	if err != nil {
		return nil, err
	}
	f, err := commonFilter(string(in.RuleID), string(in.Level), string(in.AgentID))
	if err != nil {
		return nil, err
	}
	f.Text = q
	if f.From, f.To, err = args.TimeRange("time_range", string(in.TimeRange), "24h", now); err != nil {
		return nil, err
	}
	if f.SrcIPs, err = optionalIPList("srcip", string(in.SrcIP)); err != nil {
		return nil, err
	}
	if f.DstIPs, err = optionalIPList("dstip", string(in.DstIP)); err != nil {
		return nil, err
	}
	return d.listAlerts(ctx, f, limit, in.commonAlertOptions)
}

func optionalIPList(arg, v string) ([]string, error) {
	ip, err := args.OptionalIP(arg, v)
	if err != nil || ip == "" {
		return nil, err
	}
	return []string{ip}, nil
}

// --- get_alert ---

type getAlertIn struct {
	AlertID   args.String `json:"alert_id" jsonschema:"alert id or document _id"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// AlertDetail is one whole alert.
type AlertDetail struct {
	Result
	Alert Alert `json:"alert"`
}

func (d Deps) getAlert(ctx context.Context, in *getAlertIn) (*AlertDetail, error) {
	h, err := d.alertHit(ctx, in.AlertID)
	if err != nil {
		return nil, err
	}
	return alertDetail(h, includeIPs(in.IncludeIP, d), true), nil
}

// alertHit validates alert_id and fetches the alert document.
func (d Deps) alertHit(ctx context.Context, alertID args.String) (indexer.Hit, error) {
	id, err := alertIDArg(string(alertID))
	if err != nil {
		return indexer.Hit{}, err
	}
	h, err := d.Indexer.GetAlert(ctx, id)
	if err != nil {
		return indexer.Hit{}, alertError(err)
	}
	return h, nil
}

// alertIDArg validates an alert id argument: bounded text without control
// characters or white space (alert ids and document _ids have none).
func alertIDArg(v string) (string, error) {
	id, err := args.Text("alert_id", v, 128, true)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(id, " \t") {
		return "", args.Errorf("alert_id", "%q is not an alert id: ids have no spaces (e.g. 1763712345.1234567, or a document _id)", truncateName(id))
	}
	return id, nil
}

// alertDetail is get_alert's answer for a fetched alert (which shows the
// raw log line: fullLog true).
func alertDetail(h indexer.Hit, includeIP, fullLog bool) *AlertDetail {
	out := &AlertDetail{Alert: shapeAlert(h, shapeOptions{compact: false, fullLog: fullLog, includeIPs: includeIP})}
	out.AddNote(policy.UntrustedNotice)
	return out
}

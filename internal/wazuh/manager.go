package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// ManagerInfo is GET /manager/info.
type ManagerInfo struct {
	Path           string     `json:"path"`
	Version        string     `json:"version"`
	Type           string     `json:"type"`
	MaxAgents      FlexString `json:"max_agents"` // "unlimited" or a number
	OpenSSLSupport FlexString `json:"openssl_support"`
	TZOffset       FlexString `json:"tz_offset"`
	TZName         string     `json:"tz_name"`
	UUID           string     `json:"uuid"`
	Extra          Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (m *ManagerInfo) UnmarshalJSON(b []byte) error {
	type plain ManagerInfo
	extra, err := decodeWithExtra(b, (*plain)(m))
	m.Extra = extra
	return err
}

// ManagerInfo returns basic information about the manager.
func (c *Client) ManagerInfo(ctx context.Context) (ManagerInfo, error) {
	return first(List[ManagerInfo](ctx, c, "/manager/info", nil, nil))
}

// ManagerStatus returns each daemon's state ("running", "stopped").
func (c *Client) ManagerStatus(ctx context.Context) (map[string]string, error) {
	return first(List[map[string]string](ctx, c, "/manager/status", nil, nil))
}

// ManagerConfiguration returns the manager's ossec.conf as JSON, optionally
// one section (e.g. "global") and field. Secrets are NOT redacted here: that
// is the tool layer's job.
func (c *Client) ManagerConfiguration(ctx context.Context, section, field string) (json.RawMessage, error) {
	q := url.Values{}
	if section != "" {
		if !qField.MatchString(strings.ReplaceAll(section, "-", "_")) {
			return nil, fmt.Errorf("%w: configuration section %q", ErrInvalidArgument, section)
		}
		q.Set("section", section)
	}
	if field != "" {
		if section == "" || !qField.MatchString(strings.ReplaceAll(field, "-", "_")) {
			return nil, fmt.Errorf("%w: configuration field %q needs a section and must be a plain name", ErrInvalidArgument, field)
		}
		q.Set("field", field)
	}
	return first(List[json.RawMessage](ctx, c, "/manager/configuration", nil, q))
}

// ManagerStats returns the hourly statistics of one day (date "YYYY-MM-DD",
// "" = today): one item per hour with alerts by rule, totalAlerts, events…
func (c *Client) ManagerStats(ctx context.Context, date string) (Page[json.RawMessage], error) {
	q := url.Values{}
	if date != "" {
		if !dateRe.MatchString(date) {
			return Page[json.RawMessage]{}, fmt.Errorf("%w: stats date %q must be YYYY-MM-DD", ErrInvalidArgument, date)
		}
		q.Set("date", date)
	}
	return List[json.RawMessage](ctx, c, "/manager/stats", nil, q)
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// HourlyStats is the answer of /manager/stats/hourly and one day of /weekly.
type HourlyStats struct {
	Averages     []FlexInt `json:"averages"`
	Interactions FlexInt   `json:"interactions"`
}

// ManagerStatsHourly returns the average number of alerts per hour.
func (c *Client) ManagerStatsHourly(ctx context.Context) (HourlyStats, error) {
	return first(List[HourlyStats](ctx, c, "/manager/stats/hourly", nil, nil))
}

// ManagerStatsWeekly returns hourly averages per weekday ("Sun" … "Sat").
func (c *Client) ManagerStatsWeekly(ctx context.Context) (map[string]HourlyStats, error) {
	p, err := List[map[string]HourlyStats](ctx, c, "/manager/stats/weekly", nil, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]HourlyStats, 7)
	for _, item := range p.Items {
		for day, s := range item {
			out[day] = s
		}
	}
	return out, nil
}

// ManagerAnalysisd returns analysisd counters (/manager/stats/analysisd).
func (c *Client) ManagerAnalysisd(ctx context.Context) (map[string]any, error) {
	return first(List[map[string]any](ctx, c, "/manager/stats/analysisd", nil, nil))
}

// ManagerRemoted returns remoted counters (/manager/stats/remoted).
func (c *Client) ManagerRemoted(ctx context.Context) (map[string]any, error) {
	return first(List[map[string]any](ctx, c, "/manager/stats/remoted", nil, nil))
}

// DaemonStats is an item of /manager/daemons/stats.
type DaemonStats struct {
	Name      string          `json:"name"`
	Uptime    string          `json:"uptime"`
	Timestamp string          `json:"timestamp"`
	Metrics   json.RawMessage `json:"metrics"`
	Extra     Extra           `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (d *DaemonStats) UnmarshalJSON(b []byte) error {
	type plain DaemonStats
	extra, err := decodeWithExtra(b, (*plain)(d))
	d.Extra = extra
	return err
}

// statsDaemons are the daemons_list values the API accepts (an enum in the
// spec); any other name is answered with 400.
var statsDaemons = map[string]bool{"wazuh-analysisd": true, "wazuh-remoted": true, "wazuh-db": true}

// ManagerDaemonStats returns daemon statistics (daemons: wazuh-analysisd,
// wazuh-remoted, wazuh-db; nil = all).
func (c *Client) ManagerDaemonStats(ctx context.Context, daemons []string) (Page[DaemonStats], error) {
	q := url.Values{}
	for _, d := range daemons {
		if !statsDaemons[d] {
			return Page[DaemonStats]{}, fmt.Errorf("%w: daemon name %q (want wazuh-analysisd, wazuh-remoted or wazuh-db)", ErrInvalidArgument, d)
		}
	}
	if len(daemons) > 0 {
		q.Set("daemons_list", strings.Join(daemons, ","))
	}
	return List[DaemonStats](ctx, c, "/manager/daemons/stats", nil, q)
}

// LogEntry is an item of GET /manager/logs.
type LogEntry struct {
	Timestamp   string `json:"timestamp"`
	Tag         string `json:"tag"`
	Level       string `json:"level"`
	Description string `json:"description"`
}

// LogFilter selects manager log lines.
type LogFilter struct {
	Level string // critical, debug, debug2, error, info, warning
	Tag   string // e.g. "wazuh-modulesd:syscollector"
	ListOptions
}

var logLevels = map[string]bool{"critical": true, "debug": true, "debug2": true, "error": true, "info": true, "warning": true}

// MaxLogLimit is the largest page of GET /manager/logs: its limit parameter
// (log_lines in the spec) allows 1..500, not the 100000 of other lists.
const MaxLogLimit = 500

// ManagerLogs returns the manager's ossec.log lines, newest first by default.
func (c *Client) ManagerLogs(ctx context.Context, f LogFilter) (Page[LogEntry], error) {
	if f.Limit > MaxLogLimit {
		return Page[LogEntry]{}, fmt.Errorf("%w: manager logs limit must be within 1..%d (got %d)", ErrInvalidArgument, MaxLogLimit, f.Limit)
	}
	q, err := f.ListOptions.values()
	if err != nil {
		return Page[LogEntry]{}, err
	}
	if f.Level != "" && !logLevels[f.Level] {
		return Page[LogEntry]{}, fmt.Errorf("%w: log level %q", ErrInvalidArgument, f.Level)
	}
	setIf(q, "level", f.Level)
	setIf(q, "tag", f.Tag)
	return List[LogEntry](ctx, c, "/manager/logs", nil, q)
}

// LogCounts are the per-level line counts of one log tag.
type LogCounts struct {
	All      FlexInt `json:"all"`
	Info     FlexInt `json:"info"`
	Error    FlexInt `json:"error"`
	Critical FlexInt `json:"critical"`
	Warning  FlexInt `json:"warning"`
	Debug    FlexInt `json:"debug"`
}

// ManagerLogsSummary returns line counts per tag and level.
func (c *Client) ManagerLogsSummary(ctx context.Context) (map[string]LogCounts, error) {
	p, err := List[map[string]LogCounts](ctx, c, "/manager/logs/summary", nil, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]LogCounts, len(p.Items))
	for _, item := range p.Items {
		for tag, n := range item {
			out[tag] = n
		}
	}
	return out, nil
}

package tools

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// --- get_wazuh_statistics ---

// WazuhStatistics is the answer of get_wazuh_statistics.
type WazuhStatistics struct {
	Result
	Analysisd AnalysisdStats `json:"analysisd" jsonschema:"analysis engine counters since it started"`
	Agents    FleetStatus    `json:"agents" jsonschema:"agent counts by connection status"`
	Alerts24h *AlertsByLevel `json:"alerts_24h,omitempty" jsonschema:"alerts of the last 24 hours (indexer)"`
}

// AnalysisdStats are the analysisd counters that say whether events flow.
type AnalysisdStats struct {
	EventsReceived  int64        `json:"events_received"`
	EventsProcessed int64        `json:"events_processed"`
	EventsDropped   int64        `json:"events_dropped"`
	AlertsWritten   int64        `json:"alerts_written"`
	BusiestQueues   []QueueUsage `json:"busiest_queues" jsonschema:"the five fullest queues"`
}

// QueueUsage is the fill level of one analysisd queue.
type QueueUsage struct {
	Name         string  `json:"name"`
	UsagePercent float64 `json:"usage_pct"`
	Size         int64   `json:"size"`
}

// AlertsByLevel counts alerts in a window by rule level.
type AlertsByLevel struct {
	Window  Window       `json:"window"`
	Total   int64        `json:"total"`
	ByLevel []LevelCount `json:"by_level" jsonschema:"highest level first"`
}

func (d Deps) statistics(ctx context.Context, _ *monitorIn) (*WazuhStatistics, error) {
	a, err := d.Wazuh.ManagerAnalysisd(ctx)
	if err != nil {
		return nil, fmt.Errorf("analysisd statistics: %w", err)
	}
	sum, err := d.Wazuh.AgentsSummary(ctx)
	if err != nil {
		return nil, fmt.Errorf("agent summary: %w", err)
	}
	c := sum.Connection
	out := &WazuhStatistics{
		Analysisd: analysisdStats(a),
		Agents:    FleetStatus{Active: c.Active, Disconnected: c.Disconnected, NeverConnected: c.NeverConnected, Pending: c.Pending, Total: c.Total},
	}
	out.AddNote("analysisd counters are cumulative since the daemon started (GET /manager/stats/analysisd); queue usage is the share of the queue in use now")
	now := d.now()
	from := now.Add(-24 * time.Hour)
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: now},
		map[string]indexer.Agg{"levels": indexer.TermsAgg{Field: "rule.level", Size: 20}})
	var buckets []indexer.Bucket
	if err == nil {
		buckets, _, err = res.Terms("levels")
	}
	if err != nil {
		out.AddNote("%s", indexerNote("alerts_24h", err))
		return out, nil
	}
	out.Alerts24h = &AlertsByLevel{Window: windowOf(from, now), Total: total, ByLevel: levelCounts(buckets)}
	out.AddNote("%s", indexerAnswerNote("alerts_24h", res, "exact count and a terms aggregation on rule.level over every alert of the window"))
	return out, nil
}

func analysisdStats(a map[string]any) AnalysisdStats {
	s := AnalysisdStats{
		EventsReceived:  count(a, "events_received"),
		EventsProcessed: count(a, "events_processed"),
		EventsDropped:   count(a, "events_dropped"),
		AlertsWritten:   count(a, "alerts_written"),
		BusiestQueues:   []QueueUsage{},
	}
	for k := range a {
		name, ok := strings.CutSuffix(k, "_queue_usage")
		if !ok {
			continue
		}
		s.BusiestQueues = append(s.BusiestQueues, QueueUsage{
			Name:         policy.Fence(name, 64),
			UsagePercent: math.Round(num(a, k)*10000) / 100,
			Size:         count(a, name+"_queue_size"),
		})
	}
	slices.SortFunc(s.BusiestQueues, func(x, y QueueUsage) int {
		if x.UsagePercent != y.UsagePercent {
			if x.UsagePercent > y.UsagePercent {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Name, y.Name)
	})
	s.BusiestQueues = s.BusiestQueues[:min(5, len(s.BusiestQueues))]
	return s
}

// --- get_wazuh_weekly_stats ---

// WeeklyStats is the answer of get_wazuh_weekly_stats.
type WeeklyStats struct {
	Result
	Weekdays     []WeekdayStats `json:"weekdays" jsonschema:"Manager hourly averages per weekday, compacted"`
	AlertsPerDay []DayCount     `json:"alerts_per_day,omitempty" jsonschema:"indexer counts of the last 7 days (UTC)"`
	Alerts7d     *int64         `json:"alerts_7d,omitempty"`
}

// WeekdayStats compacts one weekday of /manager/stats/weekly.
type WeekdayStats struct {
	Day       string `json:"day"`
	AvgAlerts int64  `json:"avg_alerts" jsonschema:"sum of the hourly averages: alerts on an average such day"`
	PeakHour  int    `json:"peak_hour" jsonschema:"hour of day (manager time) with the highest average"`
	PeakAvg   int64  `json:"peak_avg"`
}

// DayCount is the number of alerts of one day.
type DayCount struct {
	Date  string `json:"date"`
	Count int64  `json:"count"`
}

var weekdayOrder = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

func (d Deps) weeklyStats(ctx context.Context, _ *monitorIn) (*WeeklyStats, error) {
	weekly, err := d.Wazuh.ManagerStatsWeekly(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly statistics: %w", err)
	}
	out := &WeeklyStats{Weekdays: weekdayStats(weekly)}
	out.AddNote("weekdays: GET /manager/stats/weekly gives average alerts per hour for each weekday; avg_alerts sums the 24 hourly averages")
	now := d.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -6)
	zero := 0
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: now}, map[string]indexer.Agg{
		"days": indexer.DateHistogramAgg{Field: "timestamp", CalendarInterval: "day", TimeZone: "UTC", MinDocCount: &zero,
			ExtendedBounds: &indexer.Bounds{Min: from, Max: now}},
	})
	var days []indexer.DateBucket
	if err == nil {
		days, err = res.DateHistogram("days")
	}
	if err != nil {
		out.AddNote("%s", indexerNote("alerts_per_day", err))
		return out, nil
	}
	out.Alerts7d = &total
	out.AlertsPerDay = make([]DayCount, 0, len(days))
	for _, b := range days {
		out.AlertsPerDay = append(out.AlertsPerDay, DayCount{Date: b.Key.UTC().Format("2006-01-02"), Count: b.DocCount})
	}
	out.AddNote("%s", indexerAnswerNote("alerts_per_day", res, fmt.Sprintf("date_histogram per UTC day from %s to now over every alert (today is partial)", from.Format("2006-01-02"))))
	return out, nil
}

func weekdayStats(weekly map[string]wazuh.HourlyStats) []WeekdayStats {
	out := make([]WeekdayStats, 0, 7)
	for _, day := range weekdayOrder {
		s, ok := weekly[day]
		if !ok {
			continue
		}
		w := WeekdayStats{Day: day}
		for h, v := range s.Averages {
			n := int64(v)
			w.AvgAlerts += n
			if n > w.PeakAvg {
				w.PeakHour, w.PeakAvg = h, n
			}
		}
		out = append(out, w)
	}
	return out
}

// --- get_wazuh_remoted_stats ---

// RemotedStats is the answer of get_wazuh_remoted_stats.
type RemotedStats struct {
	Result
	Remoted RemotedCounters `json:"remoted"`
	Since   string          `json:"since,omitempty" jsonschema:"when remoted started (counters are cumulative)"`
}

// RemotedCounters are the counters of GET /manager/stats/remoted.
type RemotedCounters struct {
	TCPSessions        int64 `json:"tcp_sessions"`
	EventsReceived     int64 `json:"events_received"`
	ControlMessages    int64 `json:"control_messages"`
	Discarded          int64 `json:"discarded"`
	DequeuedAfterClose int64 `json:"dequeued_after_close"`
	BytesReceived      int64 `json:"bytes_received"`
	BytesSent          int64 `json:"bytes_sent"`
	QueueUsed          int64 `json:"queue_used" jsonschema:"messages waiting in the receive queue"`
	QueueSize          int64 `json:"queue_size"`
}

func (d Deps) remotedStats(ctx context.Context, _ *monitorIn) (*RemotedStats, error) {
	r, err := d.Wazuh.ManagerRemoted(ctx)
	if err != nil {
		return nil, fmt.Errorf("remoted statistics: %w", err)
	}
	out := &RemotedStats{Remoted: RemotedCounters{
		TCPSessions:        count(r, "tcp_sessions"),
		EventsReceived:     count(r, "evt_count"),
		ControlMessages:    count(r, "ctrl_msg_count"),
		Discarded:          count(r, "discarded_count"),
		DequeuedAfterClose: count(r, "dequeued_after_close"),
		BytesReceived:      count(r, "recv_bytes"),
		BytesSent:          count(r, "sent_bytes"),
		QueueUsed:          count(r, "queue_size"),
		QueueSize:          count(r, "total_queue_size"),
	}}
	out.AddNote("GET /manager/stats/remoted; counters are cumulative since remoted started")
	if p, err := d.Wazuh.ManagerDaemonStats(ctx, []string{"wazuh-remoted"}); err == nil && len(p.Items) > 0 {
		out.Since = policy.Fence(p.Items[0].Uptime, 40)
	} else if err != nil {
		out.AddNote("start time unavailable (GET /manager/daemons/stats): %s", errorText(err))
	}
	return out, nil
}

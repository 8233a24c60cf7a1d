package dataset

import (
	"strconv"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// eventsPerAlert: analysisd decodes many more events than it turns into
// alerts (level-0 rules, archives); the ratio keeps counters plausible.
const eventsPerAlert = 7

// alertFacts is the little each statistic needs from one alert.
type alertFacts struct {
	at    time.Time
	rule  int
	level int
}

func factsOf(d search.Doc) alertFacts {
	var f alertFacts
	if v := d.Values("timestamp"); len(v) > 0 {
		f.at = asTime(v[0])
	}
	if v := d.Values("rule.id"); len(v) > 0 {
		f.rule = asInt(v[0])
	}
	if v := d.Values("rule.level"); len(v) > 0 {
		f.level = asInt(v[0])
	}
	return f
}

func asTime(v any) time.Time {
	switch v := v.(type) {
	case time.Time:
		return v
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05.000Z0700"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

func asInt(v any) int {
	switch v := v.(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

func isSyscheckRule(id int) bool { return id >= 550 && id <= 599 }

// alertTally is everything the stats endpoints need from the alerts,
// gathered in one pass (a million alerts are walked once, not per endpoint).
type alertTally struct {
	total, syscheck int
	perWeekday      [7][24]int
	perHour         [24]int
	days            int         // distinct UTC days with alerts
	today           []hourTally // index = hour of today (UTC) up to Now
}

type ruleLevel struct{ rule, level int }

type hourTally struct {
	counts   map[ruleLevel]int
	order    []ruleLevel // first-seen order, so output never depends on map order
	syscheck int
}

func tallyAlerts(alerts []search.Doc, now time.Time) alertTally {
	t := alertTally{today: make([]hourTally, now.UTC().Hour()+1)}
	lastDay := int64(-1 << 62)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, d := range alerts {
		f := factsOf(d)
		at := f.at.UTC()
		t.total++
		t.perWeekday[at.Weekday()][at.Hour()]++
		t.perHour[at.Hour()]++
		// Alerts are sorted by time, so a new day starts where the day number changes.
		if d := at.Unix() / 86400; d != lastDay {
			t.days++
			lastDay = d
		}
		if isSyscheckRule(f.rule) {
			t.syscheck++
		}
		if at.Before(day) || at.After(now) {
			continue
		}
		h := &t.today[at.Hour()]
		if h.counts == nil {
			h.counts = map[ruleLevel]int{}
		}
		k := ruleLevel{f.rule, f.level}
		if _, ok := h.counts[k]; !ok {
			h.order = append(h.order, k)
		}
		h.counts[k]++
		if isSyscheckRule(f.rule) {
			h.syscheck++
		}
	}
	return t
}

// managerStats renders /manager/stats: one bucket per hour of today (UTC)
// up to Now, from the alerts actually generated.
func managerStats(t alertTally) []Item {
	out := make([]Item, 0, len(t.today))
	for hour, h := range t.today {
		list := []any{}
		total := 0
		for _, k := range h.order {
			list = append(list, Item{"sigid": k.rule, "level": k.level, "times": h.counts[k]})
			total += h.counts[k]
		}
		out = append(out, Item{"hour": hour, "alerts": list, "totalAlerts": total, "syscheck": h.syscheck, "firewall": 0,
			"events": total*eventsPerAlert + 900})
	}
	return out
}

var weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// weeklyAndHourly renders /manager/stats/weekly and /manager/stats/hourly:
// per weekday and per hour-of-day averages of the alert counts.
func weeklyAndHourly(t alertTally) (weekly, hourly []Item) {
	for i, name := range weekdays {
		avg := make([]any, 24)
		for h := range avg {
			avg[h] = t.perWeekday[i][h]
		}
		weekly = append(weekly, Item{name: Item{"averages": avg, "interactions": 1}})
	}
	n := t.days
	if n == 0 {
		n = 1
	}
	avg := make([]any, 24)
	for h := range avg {
		avg[h] = t.perHour[h] / n
	}
	return weekly, []Item{{"averages": avg, "interactions": n}}
}

// analysisdStats and remotedStats are the cumulative counters of the
// daemons since they started (the 7-day window).
func analysisdStats(t alertTally) Item {
	n := float64(t.total)
	sys := float64(t.syscheck)
	ev := n * eventsPerAlert
	it := Item{
		"total_events_decoded": ev, "syscheck_events_decoded": sys * 3, "syscollector_events_decoded": ev * 0.08,
		"rootcheck_events_decoded": ev * 0.002, "sca_events_decoded": ev * 0.03, "winevt_events_decoded": ev * 0.25,
		"dbsync_messages_dispatched": ev * 0.1, "other_events_decoded": ev * 0.5, "events_processed": ev,
		"events_received": ev, "events_dropped": 0.0, "alerts_written": n, "firewall_written": 0.0, "fts_written": n * 0.01,
	}
	for _, q := range []string{"syscheck", "syscollector", "rootcheck", "sca", "hostinfo", "winevt", "dbsync", "upgrade",
		"event", "rule_matching", "alerts", "firewall", "statistical", "archives"} {
		it[q+"_queue_usage"] = 0.0
		it[q+"_queue_size"] = 16384.0
	}
	return it
}

func remotedStats(t alertTally, agents []agent) Item {
	ev := float64(t.total * eventsPerAlert)
	return Item{
		"queue_size": 0.0, "total_queue_size": 131072.0, "tcp_sessions": float64(countActive(agents)),
		"evt_count": ev, "ctrl_msg_count": float64(countActive(agents) * 7 * 24 * 360), "discarded_count": 0.0,
		"sent_bytes": ev * 18, "recv_bytes": ev * 610, "dequeued_after_close": 0.0,
	}
}

// countActive counts connected agents (the manager itself is not one).
func countActive(agents []agent) int {
	n := 0
	for _, a := range agents {
		if a.status == "active" && a.id != "000" {
			n++
		}
	}
	return n
}

// daemonStats renders /manager/daemons/stats for remoted, analysisd and
// wazuh-db, with numbers consistent with the alert volume.
func daemonStats(t alertTally, agents []agent, now time.Time) []Item {
	n := t.total
	ev := n * eventsPerAlert
	up := spaceTime(now.Add(-7 * 24 * time.Hour))
	ts := spaceTime(now)
	act := countActive(agents)
	remoted := Item{"uptime": up, "timestamp": ts, "name": "wazuh-remoted", "metrics": Item{
		"bytes": Item{"received": ev * 610, "sent": ev * 18}, "keys_reload_count": 3,
		"messages": Item{
			"received_breakdown": Item{"control": act * 7 * 24 * 360, "control_breakdown": Item{"keepalive": act * 7 * 24 * 360, "request": 12, "shutdown": 3, "startup": act + 4},
				"dequeued_after": 0, "discarded": 0, "event": ev, "ping": 0, "unknown": 2},
			"sent_breakdown": Item{"ack": act*7*24*360 + 7, "ar": 0, "discarded": 0, "request": 12, "sca": act * 14, "shared": act * 3},
		},
		"queues": Item{"received": Item{"size": 131072, "usage": 0}}, "tcp_sessions": act,
	}}
	analysisd := Item{"uptime": up, "timestamp": ts, "name": "wazuh-analysisd", "metrics": Item{
		"bytes": Item{"received": ev * 610},
		"eps":   Item{"available_credits": 0, "available_credits_prev": 0, "events_dropped": 0, "events_dropped_not_eps": 0, "seconds_over_limit": 0},
		"events": Item{"processed": ev, "received": ev,
			"received_breakdown": Item{
				"decoded_breakdown": Item{"agent": ev / 100, "dbsync": ev / 10, "integrations_breakdown": Item{"virustotal": n / 200},
					"modules_breakdown": Item{"aws": 0, "azure": 0, "ciscat": 0, "command": ev / 200, "docker": ev / 100, "gcp": 0, "github": 0,
						"logcollector_breakdown": Item{"eventchannel": ev / 4, "eventlog": 0, "macos": ev / 20, "others": ev / 2},
						"office365":              0, "ms-graph": 0, "oscap": 0, "osquery": 0, "rootcheck": ev / 500, "sca": ev / 30, "syscheck": ev / 40,
						"syscollector": ev / 12, "upgrade": 0, "vulnerability": 0},
					"monitor": act * 7, "remote": act * 7},
				"dropped_breakdown": Item{"agent": 0, "dbsync": 0, "integrations_breakdown": Item{"virustotal": 0}, "monitor": 0, "remote": 0},
			},
			"written_breakdown": Item{"alerts": n, "archives": 0, "firewall": 0, "fts": n / 100, "stats": 7 * 24},
		},
		"queues": Item{
			"alerts": Item{"size": 16384, "usage": 0}, "archives": Item{"size": 16384, "usage": 0}, "dbsync": Item{"size": 16384, "usage": 0},
			"eventchannel": Item{"size": 16384, "usage": 0}, "firewall": Item{"size": 16384, "usage": 0}, "fts": Item{"size": 16384, "usage": 0},
			"hostinfo": Item{"size": 16384, "usage": 0}, "others": Item{"size": 16384, "usage": 0}, "processed": Item{"size": 16384, "usage": 0},
			"rootcheck": Item{"size": 16384, "usage": 0}, "sca": Item{"size": 16384, "usage": 0}, "stats": Item{"size": 16384, "usage": 0},
			"syscheck": Item{"size": 16384, "usage": 0}, "syscollector": Item{"size": 16384, "usage": 0}, "upgrade": Item{"size": 16384, "usage": 0},
		},
	}}
	q := ev / 3
	wazuhDB := Item{"uptime": up, "timestamp": ts, "name": "wazuh-db", "metrics": Item{
		"queries": Item{"received": q,
			"received_breakdown": Item{"agent": q * 6 / 10,
				"agent_breakdown": Item{
					"db": Item{"begin": 0, "close": 0, "commit": 0, "remove": 0, "sql": 0, "vacuum": 12, "get_fragmentation": 24},
					"tables": Item{"ciscat": Item{"ciscat": 0}, "rootcheck": Item{"rootcheck": q / 500}, "sca": Item{"sca": q / 30},
						"sync": Item{"dbsync": q / 10}, "syscheck": Item{"fim_file": q / 40, "fim_registry": q / 200, "fim_registry_key": q / 400, "fim_registry_value": q / 400, "syscheck": 0},
						"syscollector": Item{"deprecated": Item{"process": 0, "package": 0, "hotfix": 0, "port": 0, "osinfo": 0, "hwinfo": 0},
							"syscollector_hotfixes": q / 900, "syscollector_hwinfo": q / 900, "syscollector_network_address": q / 900,
							"syscollector_network_iface": q / 900, "syscollector_network_protocol": q / 900, "syscollector_osinfo": q / 900,
							"syscollector_packages": q / 60, "syscollector_ports": q / 120, "syscollector_processes": q / 30},
						"vulnerability": Item{"vuln_cves": 0}},
				},
				"global": q * 3 / 10,
				"global_breakdown": Item{
					"db":     Item{"backup": 1, "sql": 0, "vacuum": 7, "get_fragmentation": 14},
					"tables": Item{"agent": Item{"delete-agent": 0, "disconnect-agents": 3, "get-agent-info": q / 50, "get-agents-by-connection-status": q / 100, "insert-agent": 2, "update-keepalive": q / 10}, "belongs": Item{"get-group-agents": q / 500}, "group": Item{"get-groups": q / 900}, "labels": Item{"get-labels": q / 400}},
				},
				"mitre": q / 1000, "task": q / 2000, "wazuh": 0,
			},
		},
		"time": Item{"execution": q / 20, "execution_breakdown": Item{"agent": q / 40, "global": q / 80, "mitre": 1, "task": 1, "wazuh": 0}},
	}}
	return []Item{remoted, analysisd, wazuhDB}
}

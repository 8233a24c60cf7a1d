package dataset

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// logLine is a template of ossec.log; weight is its relative frequency.
type logLine struct {
	tag, level, text string
	weight           int
}

// routineLogs are what a healthy manager writes continuously.
var routineLogs = []logLine{
	{"wazuh-modulesd:syscollector", "info", "Starting evaluation.", 40},
	{"wazuh-modulesd:syscollector", "info", "Evaluation finished.", 40},
	{"wazuh-syscheckd", "info", "(6008): File integrity monitoring scan started.", 6},
	{"wazuh-syscheckd", "info", "(6009): File integrity monitoring scan ended.", 6},
	{"rootcheck", "info", "Starting rootcheck scan.", 6},
	{"rootcheck", "info", "Ending rootcheck scan.", 6},
	{"sca", "info", "Starting Security Configuration Assessment scan.", 6},
	{"sca", "info", "Security Configuration Assessment scan finished. Duration: 4 seconds.", 6},
	{"wazuh-modulesd:vulnerability-scanner", "info", "Vulnerability scan for new packages started.", 20},
	{"wazuh-modulesd:vulnerability-scanner", "info", "Vulnerability scan for new packages finished.", 20},
	{"wazuh-modulesd:content_manager", "info", "Content update available. Downloading offset 1428120 to 1428377.", 10},
	{"wazuh-modulesd:content_manager", "info", "Content updated successfully.", 10},
	{"wazuh-modulesd:vulnerability-scanner", "info", "Vulnerability scanner module is up to date.", 10},
	{"wazuh-remoted", "info", "(1410): Reading authentication keys file.", 4},
	{"wazuh-analysisd", "info", "EPS limit disabled.", 1},
	{"wazuh-logcollector", "info", "(9203): Monitoring journal entries.", 1},
	{"wazuh-logcollector", "info", "(1950): Analyzing file: '/var/ossec/logs/active-responses.log'.", 1},
	{"wazuh-monitord", "info", "(1225): SIGNAL [(15)-(Terminated)] Received. Exit Cleaning...", 1},
	{"wazuh-db", "info", "Vacuum of 'global' database completed.", 2},
	{"wazuh-modulesd:task-manager", "info", "(8200): Module Task Manager started.", 1},
	{"indexer-connector", "info", "IndexerConnector initialized successfully for index: wazuh-states-vulnerabilities-wazuh.", 2},
	{"wazuh-authd", "info", "(1410): Reading authentication keys file.", 2},
	{"wazuh-modulesd:agent-upgrade", "info", "(8153): Module Agent Upgrade started.", 1},
	{"wazuh-analysisd", "info", "Total rules enabled: '7254'", 1},
	{"wazuh-analysisd", "info", "(7200): Logtest started", 1},
}

// troubleLogs are the warnings and errors a real deployment accumulates.
var troubleLogs = []logLine{
	{"wazuh-remoted", "warning", "(1408): Invalid ID 026 for the source ip: '10.0.9.99' (name 'unknown').", 8},
	{"indexer-connector", "warning", "Failed to sync agent '020' with the indexer.", 6},
	{"wazuh-modulesd:syscollector", "warning", "Timeout reached waiting for inventory synchronization.", 3},
	{"wazuh-analysisd", "warning", "(4810): Rule ID '100200' does not exist but 'if_sid' references it.", 1},
	{"wazuh-db", "error", "DB(020) Cannot execute SQL query; err database /var/ossec/queue/db/020.db: disk I/O error", 2},
	{"wazuh-modulesd:vulnerability-scanner", "error", "Error processing package 'linux-image-6.1.0-25-amd64' for agent 004: missing CNA mapping.", 2},
	{"wazuh-authd", "warning", "(1229): Invalid password provided by 10.0.9.99. Closing connection.", 2},
	{"wazuh-remoted", "error", "(1404): Authentication error. Wrong key or corrupt payload. Message received from agent '020' at 'any'.", 1},
	{"wazuh-integratord", "error", "Unable to run integration for pagerduty -> integrations: exit status 1.", 1},
}

// buildManagerLogs renders /manager/logs newest first (about 2,000 lines
// over the 7-day window) and the per-tag summary computed from them.
func buildManagerLogs(seed int64, agents []agent, now time.Time) (logs, summary []Item) {
	r := newRand(seed, "manager/logs")
	start := now.Add(-7 * 24 * time.Hour)
	type entry struct {
		at   time.Time
		line logLine
	}
	var entries []entry
	add := func(at time.Time, l logLine) { entries = append(entries, entry{at.Truncate(time.Second), l}) }
	routineTotal, troubleTotal := totalWeight(routineLogs), totalWeight(troubleLogs)
	for i := 0; i < 1900; i++ {
		at := start.Add(time.Duration(r.Int64N(int64(7 * 24 * time.Hour))))
		if chance(r, 0.06) {
			add(at, weighted(r, troubleLogs, troubleTotal))
		} else {
			add(at, weighted(r, routineLogs, routineTotal))
		}
	}
	for _, l := range agentLifecycleLogs(agents, now) {
		if !l.at.Before(start) {
			add(l.at, l.line)
		}
	}
	add(now.Add(-7*24*time.Hour+3*time.Minute), logLine{"wazuh-analysisd", "critical", "(1226): Error reading XML file 'etc/rules/local_rules.xml': XMLERR: Element 'rule' not closed. (line 42).", 0})
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.After(entries[j].at) })
	counts := map[string]map[string]int{}
	for _, e := range entries {
		logs = append(logs, Item{"timestamp": zTime(e.at), "tag": e.line.tag, "level": e.line.level, "description": e.line.text})
		if counts[e.line.tag] == nil {
			counts[e.line.tag] = map[string]int{}
		}
		counts[e.line.tag][e.line.level]++
		counts[e.line.tag]["all"]++
	}
	var tags []string
	for t := range counts {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	for _, t := range tags {
		c := counts[t]
		summary = append(summary, Item{t: Item{"all": c["all"], "info": c["info"], "error": c["error"], "critical": c["critical"], "warning": c["warning"], "debug": c["debug"]}})
	}
	return logs, summary
}

type timedLine struct {
	at   time.Time
	line logLine
}

// agentLifecycleLogs ties the log to the roster: disconnections of the
// disconnected agents, enrolments of the new ones.
func agentLifecycleLogs(agents []agent, now time.Time) []timedLine {
	var out []timedLine
	for _, a := range agents {
		switch a.status {
		case "disconnected":
			out = append(out, timedLine{a.lastKeepAlive.Add(disconnectionGrace), logLine{"wazuh-db", "warning",
				fmt.Sprintf("Agent '%s' (%s) has been disconnected: no keepalive received in %s.", a.name, a.id, disconnectionGrace), 0}})
		case "pending", "never_connected":
			out = append(out,
				timedLine{a.dateAdd.Add(-2 * time.Second), logLine{"wazuh-authd", "info", fmt.Sprintf("New connection from %s", a.ip), 0}},
				timedLine{a.dateAdd.Add(-time.Second), logLine{"wazuh-authd", "info", fmt.Sprintf("Received request for a new agent (%s) from: %s", a.name, a.ip), 0}},
				timedLine{a.dateAdd, logLine{"wazuh-authd", "info", fmt.Sprintf("Agent key generated for '%s' (requested by %s)", a.name, a.ip), 0}})
		}
		if a.version != "" && a.version != WazuhVersion && a.status == "active" {
			out = append(out, timedLine{now.Add(-26 * time.Hour), logLine{"wazuh-modulesd:agent-upgrade", "warning",
				fmt.Sprintf("(8161): Agent '%s' is outdated: Wazuh %s, manager %s.", a.id, a.version, WazuhVersion), 0}})
		}
	}
	return out
}

func totalWeight(ls []logLine) int {
	n := 0
	for _, l := range ls {
		n += l.weight
	}
	return n
}

func weighted(r *rand.Rand, ls []logLine, total int) logLine {
	x := r.IntN(total)
	for _, l := range ls {
		if x < l.weight {
			return l
		}
		x -= l.weight
	}
	return ls[len(ls)-1]
}

package events

import (
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// alertTimeLayout is how the manager writes alert timestamps.
const alertTimeLayout = "2006-01-02T15:04:05.000-0700"

// ruleInfo is a catalogue rule prepared for alerts: strings and slices built
// once and shared by every alert of the rule.
type ruleInfo struct {
	rule       *Rule
	id         string
	level      float64
	frequency  float64 // 0 when the rule is not a frequency rule
	mitreID    []string
	tactics    []string
	techniques []string
	fired      uint32 // running firedtimes counter while numbering alerts
}

// agentInfo is an agent prepared for alerts.
type agentInfo struct {
	ref      AgentRef
	windows  bool
	authLog  string
	syslog   string
	from, to int64 // unix ms window in which the agent can produce alerts
	common   *commonInfo
}

// commonInfo holds the deployment-wide names every alert carries.
type commonInfo struct {
	manager, cluster, node string
}

// alert is one generated alert. It keeps only what differs between alerts;
// everything else is shared through pointers, and full_log is rendered on
// demand from the stored values and aux.
type alert struct {
	ms     int64
	rule   *ruleInfo
	agent  *agentInfo
	shape  *shape
	vals   []string
	prev   *alert // previous event of the same burst (previous_output)
	fired  uint32
	offset uint32
	aux    uint32 // per-alert random bits for rendering (pids, variants)
}

var _ search.Doc = (*alert)(nil)

// ID is the alert id "<epoch seconds>.<alerts.json byte offset>".
func (a *alert) ID() string {
	return strconv.FormatInt(a.ms/1000, 10) + "." + strconv.FormatUint(uint64(a.offset), 10)
}

func (a *alert) time() time.Time { return time.UnixMilli(a.ms).UTC() }

func (a *alert) timestamp() string { return a.time().Format(alertTimeLayout) }

// description is the rule description with $(field) placeholders expanded.
func (a *alert) description() string {
	if a.shape.desc != nil {
		return a.shape.desc(a)
	}
	return a.rule.rule.Description
}

// hasFullLog reports whether the alert carries full_log: rules with the
// no_full_log option (Windows eventchannel rules) do not.
func (a *alert) hasFullLog() bool {
	if a.shape.render == nil {
		return false
	}
	opt, _ := a.rule.rule.Details["options"].(string)
	return opt != "no_full_log"
}

func (a *alert) fullLog() string {
	var b strings.Builder
	b.Grow(160)
	a.shape.render(a, &b)
	return b.String()
}

// previousOutput joins the full_log of earlier events of a frequency burst,
// newest first, as analysisd does (at most frequency-1 lines).
func (a *alert) previousOutput() string {
	if a.rule.frequency == 0 || a.prev == nil || a.shape.render == nil {
		return ""
	}
	var b strings.Builder
	n := 0
	for p := a.prev; p != nil && float64(n) < a.rule.frequency-1; p = p.prev {
		if n > 0 {
			b.WriteByte('\n')
		}
		p.shape.render(p, &b)
		n++
	}
	return b.String()
}

func (a *alert) location() string {
	switch a.shape.location {
	case locAuth:
		return a.agent.authLog
	case locSyslog:
		return a.agent.syslog
	}
	return a.shape.location
}

// syslogStamp is the syslog header time ("Nov  7 08:30:40").
func (a *alert) syslogStamp() string { return a.time().Format(time.Stamp) }

// val returns the string form of a shape field.
func (a *alert) val(f *field) string {
	switch f.src {
	case srcConst:
		return f.c
	case srcAgentName:
		return a.agent.ref.Name
	case srcWinTime:
		return a.time().Format("2006-01-02T15:04:05.0000000Z")
	}
	return a.vals[f.slot]
}

// get returns the string value of a field path, "" when absent.
func (a *alert) get(path string) string {
	i, ok := a.shape.byPath[path]
	if !ok {
		return ""
	}
	return a.val(&a.shape.fields[i])
}

// srcIP is data.srcip, used for GeoLocation.
func (a *alert) srcIP() string { return a.get("data.srcip") }

package events

import (
	"strconv"
	"strings"
)

// Source renders the alert as the manager writes it to alerts.json and
// Filebeat indexes it (with @timestamp copied from timestamp).
func (a *alert) Source() any {
	ts := a.timestamp()
	m := map[string]any{
		"timestamp":  ts,
		"@timestamp": ts,
		"id":         a.ID(),
		"rule":       a.ruleSource(),
		"agent":      a.agentSource(),
		"manager":    map[string]any{"name": a.agent.common.manager},
		"location":   a.location(),
		"decoder":    a.decoderSource(),
	}
	if c := a.agent.common; c.cluster != "" {
		m["cluster"] = map[string]any{"name": c.cluster, "node": c.node}
	}
	if a.shape.program != "" {
		m["predecoder"] = map[string]any{
			"program_name": a.shape.program,
			"timestamp":    a.syslogStamp(),
			"hostname":     a.agent.ref.Name,
		}
	} else if a.shape.emptyPre {
		m["predecoder"] = map[string]any{}
	}
	if a.shape.input {
		m["input"] = map[string]any{"type": "log"}
	}
	if a.hasFullLog() {
		m["full_log"] = a.fullLog()
	}
	if p := a.previousOutput(); p != "" {
		m["previous_output"] = p
	}
	for i := range a.shape.fields {
		f := &a.shape.fields[i]
		if v, ok := fieldJSON(f, a.val(f)); ok {
			setPath(m, f.path, v)
		}
	}
	if g, ok := geoOf(a.srcIP()); ok {
		m["GeoLocation"] = g.source()
	}
	return m
}

func (a *alert) agentSource() map[string]any {
	m := map[string]any{"id": a.agent.ref.ID, "name": a.agent.ref.Name}
	if a.agent.ref.IP != "" {
		m["ip"] = a.agent.ref.IP
	}
	return m
}

func (a *alert) decoderSource() map[string]any {
	m := map[string]any{}
	if a.shape.decoderName != "" {
		m["name"] = a.shape.decoderName
	}
	if a.shape.decoderParent != "" {
		m["parent"] = a.shape.decoderParent
	}
	return m
}

func (a *alert) ruleSource() map[string]any {
	r := a.rule
	m := map[string]any{
		"id":          r.id,
		"level":       int(r.level),
		"description": a.description(),
		"firedtimes":  int(a.fired),
		"mail":        false,
		"groups":      r.rule.Groups,
	}
	if r.frequency != 0 {
		m["frequency"] = int(r.frequency)
	}
	for _, c := range []struct {
		key string
		v   []string
	}{{"pci_dss", r.rule.PCIDSS}, {"gpg13", r.rule.GPG13}, {"gdpr", r.rule.GDPR}, {"hipaa", r.rule.HIPAA}, {"nist_800_53", r.rule.NIST80053}, {"tsc", r.rule.TSC}} {
		if len(c.v) > 0 {
			m[c.key] = c.v
		}
	}
	if len(r.mitreID) > 0 {
		m["mitre"] = map[string]any{"id": r.mitreID, "tactic": r.tactics, "technique": r.techniques}
	}
	return m
}

// fieldJSON converts a stored string to its _source JSON value.
func fieldJSON(f *field, s string) (any, bool) {
	if s == "" {
		return nil, false
	}
	switch f.kind {
	case kNumber, kNumKeyword:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
		n, err := strconv.ParseFloat(s, 64)
		return n, err == nil
	case kList:
		return strings.Split(s, ","), true
	}
	return s, true
}

// setPath stores v at a dotted path, creating intermediate objects.
func setPath(m map[string]any, path string, v any) {
	for {
		i := strings.IndexByte(path, '.')
		if i < 0 {
			m[path] = v
			return
		}
		next, ok := m[path[:i]].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[path[:i]] = next
		}
		m, path = next, path[i+1:]
	}
}

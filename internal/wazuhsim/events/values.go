package events

import (
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Values returns the indexed values at a dotted path. Types follow the
// wazuh-alerts-4.x template: long/double -> float64, date -> time.Time,
// boolean -> bool, text (full_log) -> search.Text, keyword -> string.
func (a *alert) Values(path string) []any {
	if v, ok := a.topValues(path); ok {
		return v
	}
	if strings.HasPrefix(path, "rule.") {
		return a.ruleValues(path[len("rule."):])
	}
	if strings.HasPrefix(path, "GeoLocation.") {
		return a.geoValues(path[len("GeoLocation."):])
	}
	i, ok := a.shape.byPath[path]
	if !ok {
		return nil
	}
	return fieldValues(&a.shape.fields[i], a.val(&a.shape.fields[i]))
}

func one(v any) []any { return []any{v} }

func nonEmpty(s string) []any {
	if s == "" {
		return nil
	}
	return one(s)
}

func (a *alert) topValues(path string) ([]any, bool) {
	switch path {
	case "timestamp", "@timestamp":
		return one(a.time()), true
	case "id":
		return one(a.ID()), true
	case "agent.id":
		return one(a.agent.ref.ID), true
	case "agent.name":
		return one(a.agent.ref.Name), true
	case "agent.ip":
		return nonEmpty(a.agent.ref.IP), true
	case "manager.name":
		return one(a.agent.common.manager), true
	case "cluster.name":
		return nonEmpty(a.agent.common.cluster), true
	case "cluster.node":
		return nonEmpty(a.agent.common.node), true
	case "location":
		return one(a.location()), true
	case "decoder.name":
		return nonEmpty(a.shape.decoderName), true
	case "decoder.parent":
		return nonEmpty(a.shape.decoderParent), true
	case "predecoder.program_name":
		return nonEmpty(a.shape.program), true
	case "predecoder.timestamp":
		if a.shape.program == "" {
			return nil, true
		}
		return one(a.syslogStamp()), true
	case "predecoder.hostname":
		if a.shape.program == "" {
			return nil, true
		}
		return one(a.agent.ref.Name), true
	case "input.type":
		if !a.shape.input {
			return nil, true
		}
		return one("log"), true
	case "full_log":
		if !a.hasFullLog() {
			return nil, true
		}
		return one(search.Text(a.fullLog())), true
	case "previous_output":
		return nonEmpty(a.previousOutput()), true
	}
	return nil, false
}

func strs(xs []string) []any {
	if len(xs) == 0 {
		return nil
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func (a *alert) ruleValues(sub string) []any {
	r := a.rule
	switch sub {
	case "id":
		return one(r.id)
	case "level":
		return one(r.level)
	case "description":
		return one(a.description())
	case "firedtimes":
		return one(float64(a.fired))
	case "frequency":
		if r.frequency == 0 {
			return nil
		}
		return one(r.frequency)
	case "mail":
		return one(false)
	case "groups":
		return strs(r.rule.Groups)
	case "pci_dss":
		return strs(r.rule.PCIDSS)
	case "gpg13":
		return strs(r.rule.GPG13)
	case "gdpr":
		return strs(r.rule.GDPR)
	case "hipaa":
		return strs(r.rule.HIPAA)
	case "nist_800_53":
		return strs(r.rule.NIST80053)
	case "tsc":
		return strs(r.rule.TSC)
	case "mitre.id":
		return strs(r.mitreID)
	case "mitre.tactic":
		return strs(r.tactics)
	case "mitre.technique":
		return strs(r.techniques)
	}
	return nil
}

func (a *alert) geoValues(sub string) []any {
	g, ok := geoOf(a.srcIP())
	if !ok {
		return nil
	}
	switch sub {
	case "country_name":
		return one(g.country)
	case "city_name":
		return one(g.city)
	case "region_name":
		return one(g.region)
	case "location.lat":
		return one(g.lat)
	case "location.lon":
		return one(g.lon)
	}
	return nil
}

// fieldValues converts a field's stored string to its indexed type.
func fieldValues(f *field, s string) []any {
	if s == "" {
		return nil
	}
	switch f.kind {
	case kNumber:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil
		}
		return one(n)
	case kDate:
		t, err := parseDate(s)
		if err != nil {
			return nil
		}
		return one(t)
	case kList:
		return strs(strings.Split(s, ","))
	}
	return one(s)
}

// parseDate accepts the date forms alerts carry (RFC 3339 with or without
// fraction, the manager's "+0000" form, and plain dates).
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, alertTimeLayout, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Parse(time.RFC3339, s)
}

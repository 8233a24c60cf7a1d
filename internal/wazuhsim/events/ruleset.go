package events

import "slices"

// Ruleset returns the stand-in's catalogue of real Wazuh rules, ordered by id.
// The result is a deep copy: callers may modify it freely.
func Ruleset() []Rule {
	out := make([]Rule, len(ruleTable))
	for i, r := range ruleTable {
		out[i] = cloneRule(r)
	}
	slices.SortFunc(out, func(a, b Rule) int { return a.ID - b.ID })
	return out
}

func cloneRule(r Rule) Rule {
	r.Groups = slices.Clone(r.Groups)
	r.PCIDSS = slices.Clone(r.PCIDSS)
	r.GPG13 = slices.Clone(r.GPG13)
	r.GDPR = slices.Clone(r.GDPR)
	r.HIPAA = slices.Clone(r.HIPAA)
	r.NIST80053 = slices.Clone(r.NIST80053)
	r.TSC = slices.Clone(r.TSC)
	r.MITRE = slices.Clone(r.MITRE)
	r.Details = cloneDetails(r.Details)
	return r
}

func cloneDetails(d map[string]any) map[string]any {
	if d == nil {
		return nil
	}
	out := make(map[string]any, len(d))
	for k, v := range d {
		switch v := v.(type) {
		case map[string]any:
			out[k] = cloneDetails(v)
		case []any:
			out[k] = slices.Clone(v)
		default:
			out[k] = v
		}
	}
	return out
}

// Techniques returns every MITRE ATT&CK technique the catalogue references
// (plus a few the incidents describe), ordered by id.
func Techniques() []Technique {
	out := make([]Technique, len(techniqueTable))
	for i, t := range techniqueTable {
		t.Tactics = slices.Clone(t.Tactics)
		out[i] = t
	}
	slices.SortFunc(out, func(a, b Technique) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

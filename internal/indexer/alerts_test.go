package indexer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAlertFilterGolden(t *testing.T) {
	from := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	to := time.Date(2026, 11, 21, 11, 30, 0, 250e6, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		f    AlertFilter
		want string
	}{
		{"empty", AlertFilter{}, `{"match_all":{}}`},
		{"time and level", AlertFilter{From: from, To: to, MinLevel: 10, MaxLevel: 15},
			`{"bool":{"filter":[{"range":{"timestamp":{"format":"strict_date_optional_time","gte":"2026-11-20T10:00:00.000Z","lte":"2026-11-21T10:30:00.250Z"}}},{"range":{"rule.level":{"gte":10,"lte":15}}}]}}`},
		{"open-ended from", AlertFilter{From: from},
			`{"bool":{"filter":[{"range":{"timestamp":{"format":"strict_date_optional_time","gte":"2026-11-20T10:00:00.000Z"}}}]}}`},
		{"ids and agents", AlertFilter{RuleIDs: []string{"5712", " 5710 "}, RuleGroups: []string{"sshd"}, AgentIDs: []string{"1", "012", "1234"}, AgentNames: []string{"web-01"}},
			`{"bool":{"filter":[{"terms":{"rule.id":["5712","5710"]}},{"terms":{"rule.groups":["sshd"]}},{"terms":{"agent.id":["001","012","1234"]}},{"terms":{"agent.name":["web-01"]}}]}}`},
		{"ips", AlertFilter{SrcIPs: []string{"203.0.113.7", "10.0.0.1/32"}, DstIPs: []string{"2001:DB8:0:0::1"}},
			`{"bool":{"filter":[{"terms":{"data.srcip":["203.0.113.7","10.0.0.1"]}},{"terms":{"data.dstip":["2001:db8::1"]}}]}}`},
		{"alert ids", AlertFilter{IDs: []string{"1652272159.1549653"}},
			`{"bool":{"filter":[{"bool":{"minimum_should_match":1,"should":[{"ids":{"values":["1652272159.1549653"]}},{"terms":{"id":["1652272159.1549653"]}}]}}]}}`},
		{"hostile group and name", AlertFilter{RuleGroups: []string{`"}},{"match_all":{}}`}, AgentNames: []string{`a\"b`}},
			`{"bool":{"filter":[{"terms":{"rule.groups":["\"}},{\"match_all\":{}}"]}},{"terms":{"agent.name":["a\\\"b"]}}]}}`},
		{"extra", AlertFilter{MinLevel: 3, Extra: []Query{Exists{Field: "data.srcip"}}},
			`{"bool":{"filter":[{"range":{"rule.level":{"gte":3}}},{"exists":{"field":"data.srcip"}}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := tt.f.Query()
			if err != nil {
				t.Fatal(err)
			}
			if got := mustJSON(t, q); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestAlertFilterText pins the free-text clause: full_log match with
// operator and, plus literal case-insensitive contains on keyword fields.
func TestAlertFilterText(t *testing.T) {
	q, err := AlertFilter{Text: ` say "}} *\ `}.Query()
	if err != nil {
		t.Fatal(err)
	}
	got := mustJSON(t, q)
	wantPrefix := `{"bool":{"filter":[{"bool":{"minimum_should_match":1,"should":[{"match":{"full_log":{"operator":"and","query":"say \"}} *\\"}}},{"wildcard":{"rule.description":{"case_insensitive":true,"value":"*say \"}} \\*\\\\*"}}},`
	if !strings.HasPrefix(got, wantPrefix) {
		t.Fatalf("got  %s\nwant prefix %s", got, wantPrefix)
	}
	for _, f := range textKeywordFields {
		if !strings.Contains(got, `{"wildcard":{"`+f+`":{"case_insensitive":true,"value":"*say \"}} \\*\\\\*"}}}`) {
			t.Errorf("no contains clause for %s in %s", f, got)
		}
	}
}

func TestAlertFilterValidation(t *testing.T) {
	tests := []struct {
		name    string
		f       AlertFilter
		wantErr string
	}{
		{"agent id letters", AlertFilter{AgentIDs: []string{"00a"}}, "invalid agent id"},
		{"agent id injection", AlertFilter{AgentIDs: []string{`001"}`}}, "invalid agent id"},
		{"agent id too long", AlertFilter{AgentIDs: []string{"123456789"}}, "invalid agent id"},
		{"agent id empty", AlertFilter{AgentIDs: []string{""}}, "invalid agent id"},
		{"rule id", AlertFilter{RuleIDs: []string{"57 12"}}, "invalid rule id"},
		{"rule id negative", AlertFilter{RuleIDs: []string{"-1"}}, "invalid rule id"},
		{"bad ip", AlertFilter{SrcIPs: []string{"300.1.1.1"}}, "invalid IP address"},
		{"ip hostname", AlertFilter{DstIPs: []string{"evil.example"}}, "invalid IP address"},
		{"ip zone", AlertFilter{SrcIPs: []string{"fe80::1%eth0"}}, "invalid IP address"},
		{"cidr refused", AlertFilter{SrcIPs: []string{"10.0.0.0/8"}}, "CIDR ranges"},
		{"cidr v6 refused", AlertFilter{DstIPs: []string{"2001:db8::/32"}}, "keyword field"},
		{"level range", AlertFilter{MinLevel: 17}, "rule level must be 0..16"},
		{"level order", AlertFilter{MinLevel: 12, MaxLevel: 5}, "above max level"},
		{"time order", AlertFilter{From: time.Unix(100, 0), To: time.Unix(50, 0)}, "is after"},
		{"empty group", AlertFilter{RuleGroups: []string{" "}}, "empty rule group"},
		{"control chars", AlertFilter{AgentNames: []string{"a\nb"}}, "control characters"},
		{"text too long", AlertFilter{Text: strings.Repeat("x", 300)}, "too long"},
		{"text control", AlertFilter{Text: "a\x1bb"}, "control characters"},
		{"nil extra", AlertFilter{Extra: []Query{nil}}, "is nil"},
		{"alert id space", AlertFilter{IDs: []string{"a b"}}, "invalid alert id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Query()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("%v does not match ErrInvalidQuery", err)
			}
		})
	}
}

func TestVulnFilterGolden(t *testing.T) {
	q, err := VulnFilter{
		AgentIDs:     []string{"1"},
		Severities:   []string{"critical", "HIGH"},
		CVEs:         []string{"cve-2016-2781"},
		PackageNames: []string{"coreutils"},
		DetectedFrom: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
	}.Query()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"bool":{"filter":[{"range":{"vulnerability.detected_at":{"format":"strict_date_optional_time","gte":"2025-05-01T00:00:00.000Z"}}},{"terms":{"agent.id":["001"]}},{"terms":{"vulnerability.severity":["Critical","High"]}},{"terms":{"vulnerability.id":["CVE-2016-2781"]}},{"terms":{"package.name":["coreutils"]}}]}}`
	if got := mustJSON(t, q); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []VulnFilter{{Severities: []string{"severe"}}, {CVEs: []string{"CVE-1"}}, {CVEs: []string{`CVE-2020-1234"`}}, {AgentIDs: []string{"x"}}} {
		if _, err := bad.Query(); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: err = %v, want ErrInvalidQuery", bad, err)
		}
	}
}

func TestParseTimeRange(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f, to, err := ParseTimeRange("now-24h", "2026-11-21T11:00:00Z", now)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Equal(now.Add(-24*time.Hour)) || !to.Equal(now.Add(-time.Hour)) {
		t.Errorf("got %v..%v", f, to)
	}
	if f, to, err := ParseTimeRange("", "", now); err != nil || !f.IsZero() || !to.IsZero() {
		t.Errorf("empty range: %v %v %v", f, to, err)
	}
	if _, _, err := ParseTimeRange("now", "now-1h", now); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("reversed range: err = %v", err)
	}
	if _, _, err := ParseTimeRange("yesterday", "", now); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("bad expression: err = %v", err)
	}
}

func TestWithTieBreakers(t *testing.T) {
	got := withTieBreakers(nil, alertsDefaultSort, alertsTieBreakers)
	if len(got) != 2 || got[0].Field != FieldTimestamp || got[1].Field != FieldAlertID {
		t.Errorf("default alert sort = %+v", got)
	}
	got = withTieBreakers([]SortField{{Field: "rule.level", Desc: true}, {Field: "id"}}, alertsDefaultSort, alertsTieBreakers)
	if len(got) != 2 {
		t.Errorf("id already present must not be appended: %+v", got)
	}
	got = withTieBreakers(nil, vulnDefaultSort, vulnTieBreakers)
	if len(got) != 6 {
		t.Errorf("vuln sort = %+v", got)
	}
}

// skeleton replaces every string value (not key) and every number in a
// JSON document with a placeholder, leaving only the structure.
func skeleton(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = skeleton(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = skeleton(e)
		}
		return out
	case string:
		return "<s>"
	}
	return v
}

func structureOf(t *testing.T, f AlertFilter) (string, bool) {
	q, err := f.Query()
	if err != nil {
		if !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("validation error does not match ErrInvalidQuery: %v", err)
		}
		return "", false
	}
	b, err := q.MarshalJSON()
	if err != nil {
		if !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("marshal error does not match ErrInvalidQuery: %v", err)
		}
		return "", false
	}
	if !json.Valid(b) {
		t.Fatalf("invalid JSON: %s", b)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	s, _ := json.Marshal(skeleton(v))
	return string(s), true
}

// FuzzAlertFilter: whatever string goes into a field, the query is valid
// JSON and its structure is the one a harmless value gives.
func FuzzAlertFilter(f *testing.F) {
	for _, s := range []string{"sshd", `"}}`, `\`, `*?`, "a\x00b", "\xff", `{"bool":{}}`, "web 01", "10.0.0.1", "5712", "001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		build := func(v string) AlertFilter {
			return AlertFilter{
				MinLevel: 5, RuleGroups: []string{v}, AgentNames: []string{v}, Text: v, IDs: []string{v},
			}
		}
		ref, _ := structureOf(t, build("x"))
		if got, ok := structureOf(t, build(s)); ok && got != ref {
			t.Fatalf("structure depends on value %q:\n%s\nvs\n%s", s, got, ref)
		}
		// Validated fields either refuse the value or emit it as a value.
		for _, f := range []AlertFilter{{AgentIDs: []string{s}}, {RuleIDs: []string{s}}, {SrcIPs: []string{s}}} {
			structureOf(t, f)
		}
	})
}

package indexer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// mustJSON marshals q and fails the test on error.
func mustJSON(t *testing.T, q json.Marshaler) string {
	t.Helper()
	b, err := q.MarshalJSON()
	if err != nil {
		t.Fatalf("marshal %T: %v", q, err)
	}
	if !json.Valid(b) {
		t.Fatalf("marshal %T: invalid JSON %s", q, b)
	}
	return string(b)
}

// TestQueryGolden pins the exact JSON of every DSL node. Hostile values
// (quotes, backslashes, braces) must come out as JSON string values.
func TestQueryGolden(t *testing.T) {
	hostile := `x"}},{"match_all":{}}\`
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"term", Term{Field: "rule.id", Value: "5712"}, `{"term":{"rule.id":{"value":"5712"}}}`},
		{"term hostile", Term{Field: "agent.name", Value: hostile},
			`{"term":{"agent.name":{"value":"x\"}},{\"match_all\":{}}\\"}}}`},
		{"term number", Term{Field: "rule.level", Value: 10}, `{"term":{"rule.level":{"value":10}}}`},
		{"term bool", Term{Field: "rule.mail", Value: false}, `{"term":{"rule.mail":{"value":false}}}`},
		{"terms", Terms{Field: "rule.groups", Values: []any{"sshd", `a\b`}}, `{"terms":{"rule.groups":["sshd","a\\b"]}}`},
		{"range time", Range{Field: "timestamp", GTE: time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CET", 3600)), LT: "now", Format: "strict_date_optional_time"},
			`{"range":{"timestamp":{"format":"strict_date_optional_time","gte":"2026-11-20T09:00:00.000Z","lt":"now"}}}`},
		{"range date math", Range{Field: "timestamp", GTE: "now-24h"}, `{"range":{"timestamp":{"gte":"now-24h"}}}`},
		{"range numbers", Range{Field: "rule.level", GT: 3, LTE: 12.5}, `{"range":{"rule.level":{"gt":3,"lte":12.5}}}`},
		{"match", Match{Field: "full_log", Query: hostile, Operator: "AND"},
			`{"match":{"full_log":{"operator":"and","query":"x\"}},{\"match_all\":{}}\\"}}}`},
		{"multi_match", MultiMatch{Query: "brute force", Fields: []string{"full_log", "rule.description^2", "data.*"}, Type: "phrase", Lenient: true},
			`{"multi_match":{"fields":["full_log","rule.description^2","data.*"],"lenient":true,"query":"brute force","type":"phrase"}}`},
		{"simple_query_string", SimpleQueryString{Query: `ssh + "fail"`, Fields: []string{"full_log"}, DefaultOperator: "and"},
			`{"simple_query_string":{"default_operator":"and","fields":["full_log"],"query":"ssh + \"fail\""}}`},
		{"ids", IDs{Values: []string{"a", `"}`}}, `{"ids":{"values":["a","\"}"]}}`},
		{"exists", Exists{Field: "data.srcip"}, `{"exists":{"field":"data.srcip"}}`},
		{"match_all", MatchAll{}, `{"match_all":{}}`},
		{"wildcard contains", Contains("agent.name", `web*01?\`),
			`{"wildcard":{"agent.name":{"case_insensitive":true,"value":"*web\\*01\\?\\\\*"}}}`},
		{"bool", Bool{
			Must:    []Query{Match{Field: "full_log", Query: "sshd"}},
			Filter:  []Query{Term{Field: "agent.id", Value: "001"}},
			Should:  []Query{Exists{Field: "data.srcip"}, Exists{Field: "data.dstip"}},
			MustNot: []Query{Term{Field: "rule.level", Value: 0}}, MinimumShouldMatch: 1},
			`{"bool":{"filter":[{"term":{"agent.id":{"value":"001"}}}],"minimum_should_match":1,"must":[{"match":{"full_log":{"query":"sshd"}}}],"must_not":[{"term":{"rule.level":{"value":0}}}],"should":[{"exists":{"field":"data.srcip"}},{"exists":{"field":"data.dstip"}}]}}`},
		{"empty bool", Bool{}, `{"bool":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustJSON(t, tt.q); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestQueryValidation(t *testing.T) {
	tests := []struct {
		name    string
		q       Query
		wantErr string
	}{
		{"bad field quote", Term{Field: `rule.id"`, Value: "1"}, "invalid field name"},
		{"bad field brace", Exists{Field: "a}{"}, "invalid field name"},
		{"bad field space", Range{Field: "rule level", GTE: 1}, "invalid field name"},
		{"empty field", Terms{Values: []any{"a"}}, "empty field name"},
		{"long field", Term{Field: strings.Repeat("a", 300), Value: 1}, "too long"},
		{"struct value", Term{Field: "a", Value: struct{ X int }{1}}, "unsupported value type"},
		{"map value", Terms{Field: "a", Values: []any{map[string]any{"bool": 1}}}, "unsupported value type"},
		{"nil value", Term{Field: "a"}, "missing value"},
		{"nan", Range{Field: "a", GTE: nanValue()}, "finite"},
		{"empty terms", Terms{Field: "a"}, "no values"},
		{"range no bounds", Range{Field: "a"}, "no bounds"},
		{"range bad format", Range{Field: "a", GTE: 1, Format: `x"}`}, "invalid date format"},
		{"match operator", Match{Field: "full_log", Query: "x", Operator: "xor"}, "invalid operator"},
		{"match empty", Match{Field: "full_log", Query: "  "}, "empty query text"},
		{"multi_match field", MultiMatch{Query: "x", Fields: []string{"a b"}}, "invalid field"},
		{"multi_match type", MultiMatch{Query: "x", Type: "bogus"}, "invalid multi_match type"},
		{"nil clause", Bool{Filter: []Query{nil}}, "is nil"},
		{"nested error", Bool{Must: []Query{Bool{Filter: []Query{Term{Field: "$", Value: 1}}}}}, "invalid field name"},
		{"ids empty", IDs{}, "no values"},
		{"wildcard empty", Wildcard{Field: "a"}, "empty pattern"},
		{"invalid utf8", Term{Field: "a", Value: "\xff"}, "UTF-8"},
		{"NUL", Term{Field: "a", Value: "a\x00b"}, "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.q.MarshalJSON()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("err %v does not match ErrInvalidQuery", err)
			}
		})
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

func TestValidateField(t *testing.T) {
	for _, ok := range []string{"timestamp", "@timestamp", "data.win.eventdata.targetUserName", "data.ms-graph.id", "rule.mitre.id"} {
		if err := ValidateField(ok); err != nil {
			t.Errorf("ValidateField(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a*", `a"`, "a\n", "a/b", "a:b", "ä"} {
		if err := ValidateField(bad); err == nil {
			t.Errorf("ValidateField(%q) = nil, want error", bad)
		}
	}
}

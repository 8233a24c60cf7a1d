package indexer

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAggGolden(t *testing.T) {
	tests := []struct {
		name string
		a    Agg
		want string
	}{
		{"terms", TermsAgg{Field: "agent.id", Size: 5, MinDocCount: Int(1), Order: []BucketOrder{{By: "_count", Desc: true}, {By: "_key"}}},
			`{"terms":{"field":"agent.id","min_doc_count":1,"order":[{"_count":"desc"},{"_key":"asc"}],"size":5}}`},
		{"terms missing hostile", TermsAgg{Field: "data.srcip", Missing: `"}}`},
			`{"terms":{"field":"data.srcip","missing":"\"}}"}}`},
		{"terms sub", TermsAgg{Field: "rule.id", Order: []BucketOrder{{By: "max_level", Desc: true}}, Aggs: map[string]Agg{"max_level": MaxAgg{Field: "rule.level"}}},
			`{"aggs":{"max_level":{"max":{"field":"rule.level"}}},"terms":{"field":"rule.id","order":[{"max_level":"desc"}]}}`},
		{"date_histogram fixed", DateHistogramAgg{Field: "timestamp", FixedInterval: "1h", MinDocCount: Int(0),
			ExtendedBounds: &Bounds{Min: time.UnixMilli(1763719200000), Max: time.UnixMilli(1763805600000)}, TimeZone: "UTC"},
			`{"date_histogram":{"extended_bounds":{"max":1763805600000,"min":1763719200000},"field":"timestamp","fixed_interval":"1h","min_doc_count":0,"time_zone":"UTC"}}`},
		{"date_histogram calendar", DateHistogramAgg{Field: "timestamp", CalendarInterval: "day", Aggs: map[string]Agg{"lv": TermsAgg{Field: "rule.level"}}},
			`{"aggs":{"lv":{"terms":{"field":"rule.level"}}},"date_histogram":{"calendar_interval":"day","field":"timestamp"}}`},
		{"cardinality", CardinalityAgg{Field: "data.srcip", PrecisionThreshold: 3000}, `{"cardinality":{"field":"data.srcip","precision_threshold":3000}}`},
		{"value_count", ValueCountAgg{Field: "id"}, `{"value_count":{"field":"id"}}`},
		{"min", MinAgg{Field: "timestamp"}, `{"min":{"field":"timestamp"}}`},
		{"avg", AvgAgg{Field: "vulnerability.score.base"}, `{"avg":{"field":"vulnerability.score.base"}}`},
		{"sum", SumAgg{Field: "rule.firedtimes"}, `{"sum":{"field":"rule.firedtimes"}}`},
		{"top_hits", TopHitsAgg{Size: 1, Sort: []SortField{{Field: "timestamp", Desc: true}}, Source: []string{"rule.*", "agent.name"}},
			`{"top_hits":{"_source":{"includes":["rule.*","agent.name"]},"size":1,"sort":[{"timestamp":{"order":"desc"}}]}}`},
		{"filter", FilterAgg{Query: Range{Field: "rule.level", GTE: 12}, Aggs: map[string]Agg{"agents": CardinalityAgg{Field: "agent.id"}}},
			`{"aggs":{"agents":{"cardinality":{"field":"agent.id"}}},"filter":{"range":{"rule.level":{"gte":12}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustJSON(t, tt.a); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestAggBodyGolden(t *testing.T) {
	q, err := AlertFilter{MinLevel: 12}.Query()
	if err != nil {
		t.Fatal(err)
	}
	body, err := buildAggBody(q, map[string]Agg{"by_rule": TermsAgg{Field: "rule.id", Size: 10}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"query":{"bool":{"filter":[{"range":{"rule.level":{"gte":12}}}]}},"size":0,"track_total_hits":true,"aggs":{"by_rule":{"terms":{"field":"rule.id","size":10}}}}`
	if string(body) != want {
		t.Errorf("got  %s\nwant %s", body, want)
	}
}

func TestAggValidation(t *testing.T) {
	tests := []struct {
		name    string
		aggs    map[string]Agg
		wantErr string
	}{
		{"bad name", map[string]Agg{`a"b`: MaxAgg{Field: "x"}}, "invalid aggregation name"},
		{"bracket name", map[string]Agg{"a[0]": MaxAgg{Field: "x"}}, "invalid aggregation name"},
		{"nil agg", map[string]Agg{"a": nil}, "is nil"},
		{"bad field", map[string]Agg{"a": TermsAgg{Field: "rule id"}}, "invalid field name"},
		{"terms size", map[string]Agg{"a": TermsAgg{Field: "x", Size: 10001}}, "size must be"},
		{"bad order", map[string]Agg{"a": TermsAgg{Field: "x", Order: []BucketOrder{{By: `"}`}}}}, "invalid bucket order"},
		{"no interval", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp"}}, "interval is required"},
		{"both intervals", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp", FixedInterval: "1h", CalendarInterval: "day"}}, "not both"},
		{"bad fixed", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp", FixedInterval: "1 hour"}}, "invalid fixed_interval"},
		{"bad calendar", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp", CalendarInterval: "2d"}}, "invalid calendar_interval"},
		{"bad bounds", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp", FixedInterval: "1h", ExtendedBounds: &Bounds{Min: time.Unix(10, 0), Max: time.Unix(5, 0)}}}, "extended_bounds"},
		{"bad tz", map[string]Agg{"a": DateHistogramAgg{Field: "timestamp", FixedInterval: "1h", TimeZone: `"}`}}, "invalid time_zone"},
		{"precision", map[string]Agg{"a": CardinalityAgg{Field: "x", PrecisionThreshold: 50000}}, "precision_threshold"},
		{"top_hits size", map[string]Agg{"a": TopHitsAgg{Size: 500}}, "size must be"},
		{"top_hits source", map[string]Agg{"a": TopHitsAgg{Source: []string{"a b"}}}, "invalid field pattern"},
		{"filter nil", map[string]Agg{"a": FilterAgg{}}, "query is nil"},
		{"nested", map[string]Agg{"a": TermsAgg{Field: "x", Aggs: map[string]Agg{"b": MinAgg{Field: "$"}}}}, "invalid field name"},
		{"negative min_doc_count", map[string]Agg{"a": TermsAgg{Field: "x", MinDocCount: Int(-1)}}, "min_doc_count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildAggBody(MatchAll{}, tt.aggs)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("%v does not match ErrInvalidQuery", err)
			}
		})
	}
}

package search

import "testing"

// TestIndexerClientBodies feeds the request shapes internal/indexer emits
// (from its golden tests) through the stand-in, which must accept them all.
func TestIndexerClientBodies(t *testing.T) {
	for _, q := range []string{
		`{"term":{"rule.id":{"value":"5712"}}}`, `{"term":{"rule.mail":{"value":false}}}`,
		`{"range":{"timestamp":{"format":"strict_date_optional_time","gte":"2026-11-20T09:00:00.000Z","lt":"now"}}}`,
		`{"match":{"full_log":{"operator":"and","query":"x"}}}`,
		`{"multi_match":{"fields":["full_log","rule.description^2","data.*"],"lenient":true,"query":"brute force","type":"phrase"}}`,
		`{"simple_query_string":{"default_operator":"and","fields":["full_log"],"query":"ssh + \"fail\""}}`,
		`{"wildcard":{"agent.name":{"case_insensitive":true,"value":"*web\\*01\\?\\\\*"}}}`,
	} {
		search(t, fixture(t), `{"query":`+q+`}`)
	}
	search(t, fixture(t), `{"query":{"bool":{"filter":[{"range":{"rule.level":{"gte":12}}}]}},"size":0,"track_total_hits":true,"aggs":{"by_rule":{"terms":{"field":"rule.id","size":10}},
	"a":{"aggs":{"max_level":{"max":{"field":"rule.level"}}},"terms":{"field":"rule.id","order":[{"max_level":"desc"}]}},
	"b":{"date_histogram":{"extended_bounds":{"max":1763805600000,"min":1763719200000},"field":"timestamp","fixed_interval":"1h","min_doc_count":0,"time_zone":"UTC"}},
	"c":{"cardinality":{"field":"data.srcip","precision_threshold":3000}},
	"d":{"top_hits":{"_source":{"includes":["rule.*","agent.name"]},"size":1,"sort":[{"timestamp":{"order":"desc"}}]}},
	"e":{"terms":{"field":"agent.id","min_doc_count":1,"order":[{"_count":"desc"},{"_key":"asc"}],"size":5}}}}`)
}

package search

import (
	"context"
	"encoding/json"
	"testing"
)

var fuzzSeeds = []string{
	`{"match_all":{}}`,
	`{"bool":{"must":[{"term":{"agent.name":"web-01"}}],"filter":{"range":{"timestamp":{"gte":"now-24h/h","lt":"now"}}},"should":[{"match":{"full_log":"invalid user"}}],"must_not":{"exists":{"field":"data.srcip"}},"minimum_should_match":"50%"}}`,
	`{"query_string":{"query":"agent.name:(web-01 OR db-*) AND rule.level:[5 TO *} -_exists_:syscheck \"user root\"~2 ^3","default_operator":"AND"}}`,
	`{"simple_query_string":{"query":"+invalid -admin | \"session opened\" orac*","fields":["full_log","data.*^2"]}}`,
	`{"multi_match":{"query":"paco","fields":["data.*","rule.description^3"],"type":"phrase_prefix"}}`,
	`{"terms":{"rule.level":[3,"5",true]}}`,
	`{"wildcard":{"agent.name":{"value":"w?b*","case_insensitive":true}}}`,
	`{"regexp":{"rule.id":"5[0-9]{3}"}}`,
	`{"range":{"timestamp":{"gt":"2026-11-20||/d","format":"epoch_millis"}}}`,
	`{"dis_max":{"queries":[{"ids":{"values":["a1"]}},{"prefix":{"agent.name":"db"}}]}}`,
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	indices := fixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseQuery(data, testNow)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		for _, idx := range indices {
			for _, d := range idx.Docs {
				Matches(q, d)
			}
		}
	})
}

func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(`{"query":` + s + `,"size":3,"sort":[{"timestamp":"desc"}]}`))
	}
	f.Add([]byte(`{"size":0,"aggs":{"a":{"terms":{"field":"agent.name","order":{"m":"desc"}},"aggs":{"m":{"max":{"field":"rule.level"}},
		"h":{"date_histogram":{"field":"timestamp","fixed_interval":"6h","min_doc_count":0,"extended_bounds":{"min":"now-2d","max":"now"}}}}}}}`))
	f.Add([]byte(`{"_source":{"includes":["rule.*"],"excludes":["*.groups"]},"search_after":[1795261800000,"a1"],"sort":["timestamp","_id"],"track_total_hits":3}`))
	f.Add([]byte(`{"aggs":{"f":{"filters":{"filters":{"x":{"term":{"a":"b"}}}}},"r":{"range":{"field":"rule.level","ranges":[{"to":5}]}},"p":{"percentiles":{"field":"rule.level"}},"t":{"top_hits":{"size":2}}}}`))
	indices := fixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		resp, err := Search(context.Background(), indices, data, testNow)
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if e.Status < 400 || e.Status > 599 {
				t.Fatalf("error status %d", e.Status)
			}
			return
		}
		if _, err := json.Marshal(resp); err != nil {
			t.Fatalf("response does not marshal: %v", err)
		}
	})
}

package indexer

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// walkAggs calls every accessor on every aggregation of r, down to depth
// 3, and checks what they return: numeric bucket keys and their numbers
// agree, date keys are UTC, counts are what the JSON said.
func walkAggs(t *testing.T, r AggResult, depth int) {
	if depth > 3 {
		return
	}
	for _, name := range r.Names() {
		if buckets, _, err := r.Terms(name); err == nil {
			for _, b := range buckets {
				if b.KeyNum != nil {
					f, err := strconv.ParseFloat(b.Key, 64)
					if err != nil || f != *b.KeyNum {
						t.Fatalf("bucket key %q does not read as its number %v", b.Key, *b.KeyNum)
					}
				}
				walkAggs(t, b.Sub, depth+1)
			}
		}
		if buckets, err := r.DateHistogram(name); err == nil {
			for _, b := range buckets {
				if b.Key.Location() != time.UTC {
					t.Fatalf("date bucket %v is not UTC", b.Key)
				}
				walkAggs(t, b.Sub, depth+1)
			}
		}
		_, _ = r.Value(name)
		_, _ = r.Cardinality(name)
		if hits, err := r.TopHits(name); err == nil {
			for _, h := range hits {
				if h.Source != nil && !json.Valid(h.Source) {
					t.Fatalf("top hit source %q is not JSON", h.Source)
				}
			}
		}
		if _, sub, err := r.Filter(name); err == nil {
			walkAggs(t, sub, depth+1)
		}
		if raw := r.Raw(name); raw != nil && !json.Valid(raw) {
			t.Fatalf("aggregation %q is not JSON", name)
		}
	}
	if _, _, err := r.Terms("absent"); err == nil && !r.NoIndex {
		t.Fatal("an absent aggregation decoded without an error")
	}
}

// FuzzDecodeSearch: any bytes as a search response decode to a result or
// an error, never a panic; every hit of the JSON is kept; aggregations
// decode with their accessors or say they have another shape.
func FuzzDecodeSearch(f *testing.F) {
	for _, s := range []string{
		`{"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"failed":0},"hits":{"total":{"value":2,"relation":"eq"},"hits":[{"_index":"wazuh-alerts-4.x-2026.11.21","_id":"a1","_source":{"rule":{"level":5}},"sort":[1763719200123,"a1"]},{"_id":"a2","_source":{}}]}}`,
		`{"hits":{"total":12,"hits":[]},"aggregations":{"by_agent":{"doc_count_error_upper_bound":0,"sum_other_doc_count":4,"buckets":[{"key":"001","doc_count":7,"lvl":{"value":12.0}},{"key":10.0,"doc_count":1},{"key":true,"key_as_string":"true","doc_count":2}]}}}`,
		`{"aggregations":{"h":{"buckets":[{"key_as_string":"2026-11-21T00:00:00.000Z","key":1763683200000,"doc_count":3,"f":{"doc_count":1,"c":{"value":null}}}]},"t":{"hits":{"total":{"value":1},"hits":[{"_id":"x","_source":{"a":1}}]}}}}`,
		`{"_shards":{"total":0},"aggregations":{}}`, `{"aggregations":{"a":{"buckets":[{"key":1e400,"doc_count":1}]}}}`,
		`{"aggregations":{"a":{"buckets":[{"key":9007199254740993,"doc_count":1}]},"b":{"value":"x"},"c":{"buckets":null}}}`,
		`{"hits":{"total":"x"}}`, `{"hits":{"hits":{}}}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		raw, err := decodeSearch(body)
		if err != nil {
			if raw != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		if hits := raw.Hits.hits(); len(hits) != len(raw.Hits.Hits) {
			t.Fatalf("%d hits decoded, %d kept", len(raw.Hits.Hits), len(hits))
		}
		if raw.Hits.Total != nil && raw.Hits.Total.Relation == "" {
			t.Fatal("a total without a relation")
		}
		walkAggs(t, AggResult{aggs: raw.Aggregations, NoIndex: raw.noIndex()}, 0)
	})
}

// FuzzDecodeError: any error answer becomes a *SearchError with its
// status, whose reason is valid UTF-8, bounded, never an HTML page and,
// for 401/403 without a JSON error, empty (a proxy's body is not echoed);
// the sentinel follows the status.
func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query"}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}`))
	f.Add(404, []byte(`{"error":{"type":"index_not_found_exception","reason":"no such index [wazuh-alerts-x]"},"status":404}`))
	f.Add(500, []byte(`{"error":"plain text error"}`))
	f.Add(502, []byte(`<HTML><body>bad gateway</body></HTML>`))
	f.Add(401, []byte(`Unauthorized`))
	f.Add(403, []byte(`{"error":{"type":"security_exception","reason":"no permissions for [indices:data/read/search]"}}`))
	f.Add(503, []byte("a"+strings.Repeat("é", 600)))
	f.Add(429, []byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		err := decodeError("search alerts", status, body)
		var se *SearchError
		if !errors.As(err, &se) || se.Status != status || se.Op != "search alerts" {
			t.Fatalf("decodeError = %#v", err)
		}
		if !utf8.ValidString(se.Reason) || len(se.Reason) > maxReasonLen+len("…") {
			t.Fatalf("reason %q", se.Reason)
		}
		if !json.Valid(body) && strings.Contains(strings.ToLower(se.Reason), "<html") {
			t.Fatalf("an HTML page was copied into the reason: %q", se.Reason)
		}
		if (status == http.StatusUnauthorized || status == http.StatusForbidden) && !json.Valid(body) && se.Reason != "" {
			t.Fatalf("a %d body was echoed: %q", status, se.Reason)
		}
		if !utf8.ValidString(err.Error()) {
			t.Fatalf("error text %q", err.Error())
		}
		switch status {
		case http.StatusUnauthorized:
			if !errors.Is(err, ErrAuth) {
				t.Fatal("401 is not ErrAuth")
			}
		case http.StatusForbidden:
			if !errors.Is(err, ErrForbidden) {
				t.Fatal("403 is not ErrForbidden")
			}
		case http.StatusTooManyRequests:
			if !errors.Is(err, ErrRateLimited) {
				t.Fatal("429 is not ErrRateLimited")
			}
		}
	})
}

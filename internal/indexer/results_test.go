package indexer

import (
	"encoding/json"
	"testing"
	"time"
)

// aggResponse is shaped like a real OpenSearch 2.x answer to the
// aggregations the alert tools send.
const aggResponse = `{
  "took": 12, "timed_out": false,
  "_shards": {"total": 3, "successful": 3, "skipped": 0, "failed": 0},
  "hits": {"total": {"value": 12345, "relation": "eq"}, "max_score": null, "hits": []},
  "aggregations": {
    "by_level": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 7,
      "buckets": [{"key": 10, "doc_count": 300}, {"key": 5, "doc_count": 200}]},
    "by_score": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
      "buckets": [{"key": 7.0, "doc_count": 3}, {"key": 6.5, "doc_count": 2}]},
    "by_mail": {"buckets": [{"key": 0, "key_as_string": "false", "doc_count": 9}]},
    "by_agent": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
      "buckets": [{"key": "001", "doc_count": 40,
        "max_level": {"value": 12.0},
        "latest": {"hits": {"total": {"value": 40, "relation": "eq"}, "max_score": null,
          "hits": [{"_index": "wazuh-alerts-4.x-2026.11.21", "_id": "abc", "_score": null,
            "_source": {"rule": {"id": "5712"}}, "sort": [1763719200123]}]}},
        "per_hour": {"buckets": [
          {"key_as_string": "2025-11-21T10:00:00.000Z", "key": 1763719200000, "doc_count": 4,
            "srcs": {"value": 2}}]}}]},
    "per_hour": {"buckets": [
      {"key_as_string": "2025-11-21T10:00:00.000Z", "key": 1763719200000, "doc_count": 4},
      {"key_as_string": "2025-11-21T11:00:00.000Z", "key": 1763722800000, "doc_count": 0}]},
    "unique_src": {"value": 17},
    "first_seen": {"value": null},
    "critical": {"doc_count": 5, "agents": {"value": 2}}
  }
}`

func decodeAggs(t *testing.T, body string) AggResult {
	t.Helper()
	raw, err := decodeSearch([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return AggResult{aggs: raw.Aggregations}
}

func TestAggResultTerms(t *testing.T) {
	r := decodeAggs(t, aggResponse)
	tests := []struct {
		name      string
		wantKeys  []string
		wantNums  []float64
		wantOther int64
	}{
		{"by_level", []string{"10", "5"}, []float64{10, 5}, 7},
		{"by_score", []string{"7", "6.5"}, []float64{7, 6.5}, 0},
		{"by_mail", []string{"0"}, []float64{0}, 0},
		{"by_agent", []string{"001"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buckets, other, err := r.Terms(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if other != tt.wantOther || len(buckets) != len(tt.wantKeys) {
				t.Fatalf("buckets=%+v other=%d", buckets, other)
			}
			for i, b := range buckets {
				if b.Key != tt.wantKeys[i] {
					t.Errorf("key[%d] = %q, want %q", i, b.Key, tt.wantKeys[i])
				}
				if tt.wantNums == nil {
					if b.KeyNum != nil {
						t.Errorf("string key has KeyNum %v", *b.KeyNum)
					}
				} else if b.KeyNum == nil || *b.KeyNum != tt.wantNums[i] {
					t.Errorf("KeyNum[%d] = %v, want %v", i, b.KeyNum, tt.wantNums[i])
				}
			}
		})
	}
	buckets, _, _ := r.Terms("by_mail")
	if buckets[0].KeyAsString != "false" || buckets[0].DocCount != 9 {
		t.Errorf("by_mail bucket = %+v", buckets[0])
	}
}

func TestAggResultNested(t *testing.T) {
	r := decodeAggs(t, aggResponse)
	buckets, _, err := r.Terms("by_agent")
	if err != nil {
		t.Fatal(err)
	}
	sub := buckets[0].Sub
	if names := sub.Names(); len(names) != 3 || names[0] != "latest" || names[1] != "max_level" || names[2] != "per_hour" {
		t.Errorf("sub names = %v", names)
	}
	if v, err := sub.Value("max_level"); err != nil || v == nil || *v != 12 {
		t.Errorf("max_level = %v, %v", v, err)
	}
	hits, err := sub.TopHits("latest")
	if err != nil || len(hits) != 1 || hits[0].ID != "abc" || string(hits[0].Source) != `{"rule": {"id": "5712"}}` {
		t.Fatalf("latest = %+v, %v", hits, err)
	}
	if n, ok := hits[0].Sort[0].(json.Number); !ok || n.String() != "1763719200123" {
		t.Errorf("sort value = %#v, want exact json.Number", hits[0].Sort[0])
	}
	hist, err := sub.DateHistogram("per_hour")
	if err != nil || len(hist) != 1 {
		t.Fatalf("per_hour = %+v, %v", hist, err)
	}
	if n, err := hist[0].Sub.Cardinality("srcs"); err != nil || n != 2 {
		t.Errorf("srcs = %d, %v", n, err)
	}
}

func TestAggResultMetrics(t *testing.T) {
	r := decodeAggs(t, aggResponse)
	hist, err := r.DateHistogram("per_hour")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{time.Date(2025, 11, 21, 10, 0, 0, 0, time.UTC), time.Date(2025, 11, 21, 11, 0, 0, 0, time.UTC)}
	for i, b := range hist {
		if !b.Key.Equal(want[i]) || b.Key.Location() != time.UTC {
			t.Errorf("bucket %d key = %v, want %v", i, b.Key, want[i])
		}
	}
	if hist[0].DocCount != 4 || hist[1].DocCount != 0 {
		t.Errorf("doc counts = %d %d", hist[0].DocCount, hist[1].DocCount)
	}
	if n, err := r.Cardinality("unique_src"); err != nil || n != 17 {
		t.Errorf("unique_src = %d, %v", n, err)
	}
	if v, err := r.Value("first_seen"); err != nil || v != nil {
		t.Errorf("null metric = %v, %v; want nil, nil", v, err)
	}
	count, sub, err := r.Filter("critical")
	if err != nil || count != 5 {
		t.Fatalf("critical = %d, %v", count, err)
	}
	if n, err := sub.Cardinality("agents"); err != nil || n != 2 {
		t.Errorf("critical.agents = %d, %v", n, err)
	}
}

func TestAggResultErrors(t *testing.T) {
	r := decodeAggs(t, aggResponse)
	if _, _, err := r.Terms("nope"); err == nil {
		t.Error("missing aggregation: want error")
	}
	if _, _, err := r.Terms("unique_src"); err == nil {
		t.Error("metric read as terms: want error")
	}
	if _, err := r.Value("by_level"); err == nil {
		t.Error("terms read as value: want error")
	}
	if _, err := r.DateHistogram("by_agent"); err == nil {
		t.Error("string keys read as date histogram: want error")
	}
	if _, err := r.TopHits("by_level"); err == nil {
		t.Error("terms read as top_hits: want error")
	}
	empty := AggResult{NoIndex: true}
	if b, other, err := empty.Terms("x"); err != nil || b != nil || other != 0 {
		t.Errorf("NoIndex Terms = %v %d %v, want empty and no error", b, other, err)
	}
	if n, err := empty.Cardinality("x"); err != nil || n != 0 {
		t.Errorf("NoIndex Cardinality = %d %v", n, err)
	}
}

func TestDecodeSearchHits(t *testing.T) {
	body := `{"took": 5, "timed_out": true, "_shards": {"total": 3, "successful": 2, "skipped": 0, "failed": 1},
	  "hits": {"total": {"value": 10000, "relation": "gte"}, "max_score": null, "hits": [
	    {"_index": "wazuh-alerts-4.x-2026.11.21", "_id": "x1", "_score": null, "_source": {"id": "1.1"}, "sort": [1763719200123, "1.1"]},
	    {"_index": "wazuh-alerts-4.x-2026.11.21", "_id": "x2", "_score": null, "_source": {"id": "1.0"}, "sort": [1763719200000, "1.0"]}]}}`
	raw, err := decodeSearch([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := pageResult(raw, 1, "fp")
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 10000 || res.TotalRelation != "gte" || res.TookMS != 5 || !res.TimedOut || res.FailedShards != 1 || res.NoIndex {
		t.Errorf("meta = %+v", res)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "x1" || res.Hits[0].Index != "wazuh-alerts-4.x-2026.11.21" {
		t.Fatalf("hits = %+v", res.Hits)
	}
	if res.Next == "" {
		t.Fatal("a second hit exists: want Next")
	}
	after, err := decodeCursor(res.Next, "fp", 2)
	if err != nil || after[0].(json.Number).String() != "1763719200123" || after[1] != "1.1" {
		t.Errorf("cursor values = %#v, %v", after, err)
	}

	// rest_total_hits_as_int and no _shards: total is a number, NoIndex unset.
	raw, err = decodeSearch([]byte(`{"took":1,"hits":{"total":3,"hits":[]}}`))
	if err != nil {
		t.Fatal(err)
	}
	res, _ = pageResult(raw, 10, "fp")
	if res.Total != 3 || res.TotalRelation != "eq" || res.Next != "" || res.NoIndex {
		t.Errorf("int total = %+v", res)
	}
	// zero shards: the pattern matched no index.
	raw, _ = decodeSearch([]byte(`{"took":0,"_shards":{"total":0,"successful":0,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}`))
	if res, _ = pageResult(raw, 10, "fp"); !res.NoIndex {
		t.Errorf("zero shards: NoIndex not set")
	}
}

package indexer

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Benchmarks of the indexer hot paths: building and serialising the
// queries the alert tools send, and decoding what the indexer answers.
// Run them one at a time on a small machine:
//
//	go test ./internal/indexer -run '^$' -bench . -benchtime 1s

var benchNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// benchFilter is the filter of a typical get_wazuh_alerts call: a window,
// a minimum level, two agents, a rule group and free text.
func benchFilter() AlertFilter {
	return AlertFilter{
		From: benchNow.Add(-24 * time.Hour), To: benchNow,
		MinLevel:   7,
		AgentIDs:   []string{"1", "002"},
		RuleGroups: []string{"authentication_failed"},
		SrcIPs:     []string{"203.0.113.7"},
		Text:       "sshd invalid user",
	}
}

// summaryAggs are the aggregations of get_wazuh_alert_summary grouped by
// rule.id.
func summaryAggs() map[string]Agg {
	return map[string]Agg{
		"groups": TermsAgg{Field: "rule.id", Size: 50, Aggs: map[string]Agg{
			"label": TopHitsAgg{Size: 1, Source: []string{"rule.description"}},
		}},
		"distinct": CardinalityAgg{Field: "rule.id", PrecisionThreshold: 40000},
	}
}

func BenchmarkAlertFilterQuery(b *testing.B) {
	f := benchFilter()
	b.ReportAllocs()
	for b.Loop() {
		q, err := f.Query()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := q.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildSearchBody(b *testing.B) {
	q, err := benchFilter().Query()
	if err != nil {
		b.Fatal(err)
	}
	spec := searchSpec{op: "search alerts", index: DefaultAlertsIndex, query: q, size: 50,
		sort: withTieBreakers(nil, alertsDefaultSort, alertsTieBreakers), trackTotal: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := buildSearchBody(spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildAggBody(b *testing.B) {
	q, err := AlertFilter{From: benchNow.Add(-24 * time.Hour), To: benchNow}.Query()
	if err != nil {
		b.Fatal(err)
	}
	aggs := summaryAggs()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildAggBody(q, aggs); err != nil {
			b.Fatal(err)
		}
	}
}

// standIn answers searches from the stand-in's indexer over a small
// generated dataset, in-process.
var (
	standInOnce sync.Once
	standInH    http.Handler
	standInErr  error
)

func standInSearch(b *testing.B, body []byte) []byte {
	b.Helper()
	standInOnce.Do(func() {
		var ds *dataset.Dataset
		ds, standInErr = dataset.Generate(dataset.Options{Seed: 7, Alerts: 4000, Now: benchNow})
		if standInErr != nil {
			return
		}
		standInH = search.NewHandler(search.HandlerOptions{
			Indices:     func() []search.Index { return ds.AlertIndices },
			DisableAuth: true,
			Now:         func() time.Time { return benchNow },
		})
	})
	if standInErr != nil {
		b.Fatal(standInErr)
	}
	req := httptest.NewRequest(http.MethodPost, "/"+DefaultAlertsIndex+"/_search", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	standInH.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != http.StatusOK {
		b.Fatalf("stand-in search: %d %s", rec.Code, out)
	}
	return out
}

// BenchmarkDecodeSearchPage decodes a page of 100 full alerts as the
// stand-in's indexer returns it.
func BenchmarkDecodeSearchPage(b *testing.B) {
	q, err := AlertFilter{From: benchNow.Add(-7 * 24 * time.Hour), To: benchNow}.Query()
	if err != nil {
		b.Fatal(err)
	}
	spec := searchSpec{index: DefaultAlertsIndex, query: q, size: 100, sort: withTieBreakers(nil, alertsDefaultSort, alertsTieBreakers)}
	body, fp, err := buildSearchBody(spec)
	if err != nil {
		b.Fatal(err)
	}
	resp := standInSearch(b, body)
	b.SetBytes(int64(len(resp)))
	b.ReportAllocs()
	for b.Loop() {
		raw, err := decodeSearch(resp)
		if err != nil {
			b.Fatal(err)
		}
		res, err := pageResult(raw, spec.size, fp)
		if err != nil || len(res.Hits) != 100 || res.Next == "" {
			b.Fatalf("page: %d hits, next %q, %v", len(res.Hits), res.Next, err)
		}
	}
}

// BenchmarkDecodeSummaryAggs decodes the get_wazuh_alert_summary answer
// (50 rule buckets, each with a top hit) and reads every bucket.
func BenchmarkDecodeSummaryAggs(b *testing.B) {
	q, err := AlertFilter{From: benchNow.Add(-7 * 24 * time.Hour), To: benchNow}.Query()
	if err != nil {
		b.Fatal(err)
	}
	body, err := buildAggBody(q, summaryAggs())
	if err != nil {
		b.Fatal(err)
	}
	resp := standInSearch(b, body)
	b.SetBytes(int64(len(resp)))
	b.ReportAllocs()
	for b.Loop() {
		raw, err := decodeSearch(resp)
		if err != nil {
			b.Fatal(err)
		}
		res := AggResult{aggs: raw.Aggregations}
		buckets, _, err := res.Terms("groups")
		if err != nil || len(buckets) == 0 {
			b.Fatalf("terms: %d buckets, %v", len(buckets), err)
		}
		for _, bk := range buckets {
			if hits, err := bk.Sub.TopHits("label"); err != nil || len(hits) != 1 {
				b.Fatalf("label: %v", err)
			}
		}
		if _, err := res.Cardinality("distinct"); err != nil {
			b.Fatal(err)
		}
	}
}

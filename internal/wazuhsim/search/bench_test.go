package search

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchDoc is a compact alert like the generated data set's docs: values
// are boxed once at construction so Values does not allocate.
type benchDoc struct {
	id     string
	ts     time.Time
	tsV    []any
	agentV []any
	levelV []any
	ruleV  []any
	groups []any
}

func (d *benchDoc) ID() string { return d.id }
func (d *benchDoc) Values(p string) []any {
	switch p {
	case "timestamp":
		return d.tsV
	case "agent.name":
		return d.agentV
	case "rule.level":
		return d.levelV
	case "rule.id":
		return d.ruleV
	case "rule.groups":
		return d.groups
	}
	return nil
}
func (d *benchDoc) Source() any {
	return map[string]any{"timestamp": d.ts, "agent": map[string]any{"name": d.agentV[0]}}
}

// benchIndices builds n alerts over the 7 days before testNow in daily
// indices, sorted by time.
func benchIndices(n int) []Index {
	agents := make([]any, 50)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent-%03d", i)
	}
	groups := [][]any{{"syslog", "sshd"}, {"web", "attack"}, {"ossec", "syscheck"}, {"pam", "syslog"}}
	start := testNow.Add(-7 * 24 * time.Hour)
	step := 7 * 24 * time.Hour / time.Duration(n)
	byDay := map[string][]Doc{}
	var days []string
	for i := 0; i < n; i++ {
		ts := start.Add(time.Duration(i) * step)
		d := &benchDoc{id: fmt.Sprintf("%d", i), ts: ts, tsV: []any{ts}, agentV: []any{agents[(i*7)%len(agents)]},
			levelV: []any{float64(i % 15)}, ruleV: []any{fmt.Sprint(5700 + i%40)}, groups: groups[i%len(groups)]}
		day := ts.Format("2006.01.02")
		if _, ok := byDay[day]; !ok {
			days = append(days, day)
		}
		byDay[day] = append(byDay[day], d)
	}
	out := make([]Index, 0, len(days))
	for _, day := range days {
		out = append(out, Index{Name: "wazuh-alerts-4.x-" + day, Docs: byDay[day], TimeField: "timestamp",
			TimeOf: func(d Doc) time.Time { return d.(*benchDoc).ts }})
	}
	return out
}

// BenchmarkTermsAgg200k: 280k alerts over 7 days; the time filter keeps the
// last 5 days (200k docs) and a terms aggregation buckets them by agent.
func BenchmarkTermsAgg200k(b *testing.B) {
	indices := benchIndices(280_000)
	body := []byte(`{"size":0,"track_total_hits":true,"query":{"bool":{"filter":[{"range":{"timestamp":{"gte":"now-5d","lte":"now"}}}]}},
		"aggs":{"agents":{"terms":{"field":"agent.name","size":10}}}}`)
	resp, err := Search(context.Background(), indices, body, testNow)
	if err != nil {
		b.Fatal(err)
	}
	if v := resp.Hits.Total.Value; v < 199_000 || v > 201_000 {
		b.Fatalf("filter kept %d docs, want ~200k", v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Search(context.Background(), indices, body, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNestedAgg200k: terms -> date_histogram -> cardinality over the
// same 200k docs, the shape of an alert summary.
func BenchmarkNestedAgg200k(b *testing.B) {
	indices := benchIndices(280_000)
	body := []byte(`{"size":0,"query":{"range":{"timestamp":{"gte":"now-5d"}}},
		"aggs":{"agents":{"terms":{"field":"agent.name","size":10},"aggs":{"per_day":{"date_histogram":{"field":"timestamp","calendar_interval":"1d"},
		"aggs":{"rules":{"cardinality":{"field":"rule.id"}}}}}}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Search(context.Background(), indices, body, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSortedPage200k: the newest 100 of 200k matches.
func BenchmarkSortedPage200k(b *testing.B) {
	indices := benchIndices(280_000)
	body := []byte(`{"size":100,"sort":[{"timestamp":"desc"}],"query":{"bool":{"filter":[{"range":{"timestamp":{"gte":"now-5d"}}},{"range":{"rule.level":{"gte":0}}}]}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Search(context.Background(), indices, body, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

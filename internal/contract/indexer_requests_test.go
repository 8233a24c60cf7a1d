package contract

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// There is no OpenSearch spec to validate the indexer client's requests
// against; instead every request shape it builds must be accepted by the
// stand-in indexer, and totals must equal a brute-force count over the
// generated documents.

func newIndexerClient(t *testing.T, sim *wazuhsim.Sim) *indexer.Client {
	t.Helper()
	c, err := indexer.New(indexer.Config{URL: sim.IndexerURL, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// docMatch is a brute-force predicate over a generated document.
type docMatch func(search.Doc) bool

func hasValue(field string, want any) docMatch {
	return func(d search.Doc) bool { return slices.Contains(d.Values(field), want) }
}

func allOf(ms ...docMatch) docMatch {
	return func(d search.Doc) bool {
		for _, m := range ms {
			if !m(d) {
				return false
			}
		}
		return true
	}
}

func minLevel(n float64) docMatch {
	return func(d search.Doc) bool {
		for _, v := range d.Values("rule.level") {
			if f, ok := v.(float64); ok && f >= n {
				return true
			}
		}
		return false
	}
}

func within(from, to time.Time) docMatch {
	return func(d search.Doc) bool {
		for _, v := range d.Values("timestamp") {
			if ts, ok := v.(time.Time); ok && !ts.Before(from) && !ts.After(to) {
				return true
			}
		}
		return false
	}
}

func countDocs(docs []search.Doc, m docMatch) (n int64) {
	for _, d := range docs {
		if m(d) {
			n++
		}
	}
	return n
}

// TestIndexerClientTotals checks SearchAlerts and AggregateAlerts totals,
// and cursor paging over the whole result, against brute-force counts.
func TestIndexerClientTotals(t *testing.T) {
	sim := startSim(t)
	c := newIndexerClient(t, sim)
	ds := sim.Dataset
	from := ds.Now.Add(-7 * 24 * time.Hour)
	cases := []struct {
		name   string
		filter indexer.AlertFilter
		match  docMatch
	}{
		{"agent 001, level ≥ 10, last 7 days", indexer.AlertFilter{AgentIDs: []string{"1"}, MinLevel: 10, From: from, To: ds.Now},
			allOf(hasValue("agent.id", "001"), minLevel(10), within(from, ds.Now))},
		{"rule group sshd", indexer.AlertFilter{RuleGroups: []string{"sshd"}}, hasValue("rule.groups", "sshd")},
		{"srcip 203.0.113.7", indexer.AlertFilter{SrcIPs: []string{"203.0.113.7"}}, hasValue("data.srcip", "203.0.113.7")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := countDocs(ds.Alerts, tc.match)
			if want == 0 {
				t.Fatalf("the generated data has no alert for %s: pick another filter", tc.name)
			}
			total, _, err := c.AggregateAlerts(t.Context(), tc.filter, nil)
			if err != nil || total != want {
				t.Errorf("AggregateAlerts total = %d, %v; brute force %d", total, err, want)
			}
			ids := map[string]bool{}
			var after indexer.Cursor
			for page := 0; ; page++ {
				res, err := c.SearchAlerts(t.Context(), indexer.SearchRequest{Filter: tc.filter, Size: 7, After: after, TrackTotalHits: true,
					Source: []string{"rule.id", "agent.id", "timestamp"}})
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				if res.Total != want || res.TotalRelation != "eq" {
					t.Fatalf("page %d: total %d (%s), brute force %d", page, res.Total, res.TotalRelation, want)
				}
				for _, h := range res.Hits {
					if ids[h.ID] {
						t.Fatalf("page %d repeats %s", page, h.ID)
					}
					ids[h.ID] = true
				}
				if after = res.Next; after == "" {
					break
				}
			}
			if int64(len(ids)) != want {
				t.Errorf("paging returned %d distinct alerts, brute force %d", len(ids), want)
			}
			t.Logf("%d alerts of %d, paged 7 at a time", want, len(ds.Alerts))
		})
	}
}

// TestIndexerClientRequestShapes sends every other request shape of the
// indexer client and checks the answers decode and agree with the data.
func TestIndexerClientRequestShapes(t *testing.T) {
	sim := startSim(t)
	c := newIndexerClient(t, sim)
	ds := sim.Dataset
	ctx := t.Context()

	t.Run("Ping and Health", func(t *testing.T) {
		info, _, err := c.Ping(ctx)
		if err != nil || info.Version == "" || info.ClusterName == "" {
			t.Errorf("Ping = %+v, %v", info, err)
		}
		h, err := c.Health(ctx)
		if err != nil || h.Status == "" || h.NumberOfNodes < 1 {
			t.Errorf("Health = %+v, %v", h, err)
		}
	})

	t.Run("SearchAlerts with every filter field", func(t *testing.T) {
		target := alertWithSrcIP(t, ds.Alerts)
		f := fullFilter(target)
		res, err := c.SearchAlerts(ctx, indexer.SearchRequest{Filter: f, Size: 50, TrackTotalHits: true,
			Sort: []indexer.SortField{{Field: "rule.level", Desc: true}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("filter %+v: %d hit(s)", f, res.Total)
		if !slices.ContainsFunc(res.Hits, func(h indexer.Hit) bool { return h.ID == target.ID() }) {
			t.Errorf("the alert the filter was built from (%s) is not among %d hits", target.ID(), len(res.Hits))
		}
	})

	t.Run("AggregateAlerts", func(t *testing.T) {
		f := indexer.AlertFilter{RuleGroups: []string{"authentication_failed"}}
		match := hasValue("rule.groups", "authentication_failed")
		want := countDocs(ds.Alerts, match)
		total, res, err := c.AggregateAlerts(ctx, f, map[string]indexer.Agg{
			"by_agent": indexer.TermsAgg{Field: "agent.id", Size: 5, Aggs: map[string]indexer.Agg{
				"latest": indexer.TopHitsAgg{Size: 1, Sort: []indexer.SortField{{Field: "timestamp", Desc: true}}, Source: []string{"agent.id", "timestamp"}},
			}},
			"per_day":   indexer.DateHistogramAgg{Field: "timestamp", CalendarInterval: "1d", TimeZone: "UTC"},
			"agents":    indexer.CardinalityAgg{Field: "agent.id"},
			"min_level": indexer.MinAgg{Field: "rule.level"},
			"max_level": indexer.MaxAgg{Field: "rule.level"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if total != want || want == 0 {
			t.Fatalf("total %d, brute force %d", total, want)
		}
		buckets, other, err := res.Terms("by_agent")
		if err != nil {
			t.Fatal(err)
		}
		sum := other
		for _, b := range buckets {
			sum += b.DocCount
			if n := countDocs(ds.Alerts, allOf(match, hasValue("agent.id", b.Key))); n != b.DocCount {
				t.Errorf("agent %s: %d alerts, brute force %d", b.Key, b.DocCount, n)
			}
			hits, err := b.Sub.TopHits("latest")
			if err != nil || len(hits) != 1 || !strings.Contains(string(hits[0].Source), `"`+b.Key+`"`) {
				t.Errorf("agent %s: latest = %v, %v", b.Key, hits, err)
			}
		}
		if sum != total {
			t.Errorf("terms buckets + other = %d, total %d", sum, total)
		}
		days, err := res.DateHistogram("per_day")
		if err != nil {
			t.Fatal(err)
		}
		var daySum int64
		for _, d := range days {
			daySum += d.DocCount
		}
		if daySum != total {
			t.Errorf("date histogram sums to %d, total %d", daySum, total)
		}
		agents, err := res.Cardinality("agents")
		if err != nil || agents != distinct(ds.Alerts, match, "agent.id") {
			t.Errorf("cardinality = %d, %v; brute force %d", agents, err, distinct(ds.Alerts, match, "agent.id"))
		}
		lo, hi := levelRange(ds.Alerts, match)
		if v, err := res.Value("min_level"); err != nil || v == nil || *v != lo {
			t.Errorf("min level = %v, %v; brute force %v", v, err, lo)
		}
		if v, err := res.Value("max_level"); err != nil || v == nil || *v != hi {
			t.Errorf("max level = %v, %v; brute force %v", v, err, hi)
		}
	})

	t.Run("GetAlert", func(t *testing.T) {
		doc := ds.Alerts[len(ds.Alerts)/2]
		alertID, _ := firstValue(doc, "id").(string)
		for _, id := range []string{doc.ID(), alertID} {
			hit, err := c.GetAlert(ctx, id)
			if err != nil || hit.ID != doc.ID() {
				t.Errorf("GetAlert(%q) = %s, %v; want %s", id, hit.ID, err, doc.ID())
			}
		}
	})

	t.Run("vulnerabilities", func(t *testing.T) {
		f := indexer.VulnFilter{AgentIDs: []string{"001"}, Severities: []string{"high", "CRITICAL"}}
		match := allOf(hasValue("agent.id", "001"), func(d search.Doc) bool {
			return slices.Contains(d.Values("vulnerability.severity"), "High") || slices.Contains(d.Values("vulnerability.severity"), "Critical")
		})
		want := countDocs(ds.Vulnerabilities, match)
		if want == 0 {
			t.Fatal("no high or critical vulnerability on agent 001 in the generated data")
		}
		t.Logf("%d high or critical vulnerabilities on agent 001", want)
		res, err := c.SearchVulnerabilities(ctx, indexer.VulnSearchRequest{Filter: f, Size: 10, TrackTotalHits: true})
		if err != nil || res.Total != want {
			t.Fatalf("SearchVulnerabilities total = %d, %v; brute force %d", res.Total, err, want)
		}
		if want > 10 {
			next, err := c.SearchVulnerabilities(ctx, indexer.VulnSearchRequest{Filter: f, Size: 10, After: res.Next, TrackTotalHits: true})
			if err != nil || len(next.Hits) == 0 || next.Hits[0].ID == res.Hits[0].ID {
				t.Errorf("second page = %d hits, %v", len(next.Hits), err)
			}
		}
		total, aggs, err := c.AggregateVulnerabilities(ctx, f, map[string]indexer.Agg{
			"severity": indexer.TermsAgg{Field: "vulnerability.severity"},
			"max":      indexer.MaxAgg{Field: "vulnerability.score.base"},
		})
		if err != nil || total != want {
			t.Fatalf("AggregateVulnerabilities total = %d, %v; brute force %d", total, err, want)
		}
		buckets, _, err := aggs.Terms("severity")
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range buckets {
			if n := countDocs(ds.Vulnerabilities, allOf(match, hasValue("vulnerability.severity", b.Key))); n != b.DocCount {
				t.Errorf("severity %s: %d, brute force %d", b.Key, b.DocCount, n)
			}
		}
		if v, err := aggs.Value("max"); err != nil || v == nil {
			t.Errorf("max score = %v, %v", v, err)
		}
	})
}

// alertWithSrcIP returns a generated alert with a source IP and a user, so a
// filter on every field can be built from it.
func alertWithSrcIP(t *testing.T, docs []search.Doc) search.Doc {
	t.Helper()
	for _, d := range docs {
		if firstValue(d, "data.srcip") != nil && firstValue(d, "rule.description") != nil {
			return d
		}
	}
	t.Fatal("no generated alert with data.srcip")
	return nil
}

// fullFilter sets every AlertFilter field from d's own values.
func fullFilter(d search.Doc) indexer.AlertFilter {
	str := func(field string) string { s, _ := firstValue(d, field).(string); return s }
	ts, _ := firstValue(d, "timestamp").(time.Time)
	level, _ := firstValue(d, "rule.level").(float64)
	desc := str("rule.description")
	if s, ok := firstValue(d, "rule.description").(search.Text); ok {
		desc = string(s)
	}
	words := strings.Fields(desc)
	return indexer.AlertFilter{
		From: ts.Add(-time.Hour), To: ts.Add(time.Hour), MinLevel: int(level), MaxLevel: int(level),
		RuleIDs: []string{str("rule.id")}, RuleGroups: []string{str("rule.groups")}, AgentIDs: []string{str("agent.id")},
		AgentNames: []string{str("agent.name")}, SrcIPs: []string{str("data.srcip")},
		Text: words[len(words)-1], IDs: []string{d.ID()},
	}
}

func firstValue(d search.Doc, field string) any {
	if vs := d.Values(field); len(vs) > 0 {
		return vs[0]
	}
	return nil
}

func distinct(docs []search.Doc, m docMatch, field string) int64 {
	seen := map[any]bool{}
	for _, d := range docs {
		if m(d) {
			for _, v := range d.Values(field) {
				seen[v] = true
			}
		}
	}
	return int64(len(seen))
}

func levelRange(docs []search.Doc, m docMatch) (lo, hi float64) {
	lo = 1e9
	for _, d := range docs {
		if f, ok := firstValue(d, "rule.level").(float64); ok && m(d) {
			lo, hi = min(lo, f), max(hi, f)
		}
	}
	return lo, hi
}

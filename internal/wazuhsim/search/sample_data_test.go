package search

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
)

// sharedDir holds the real Wazuh reference data; tests skip without it.
var sharedDir = testref.Dir()

func readShared(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir, name))
	if err != nil {
		t.Skipf("reference data %s not available (%v); skipping", name, err)
	}
	return b
}

// TestSampleAlerts indexes the real-shaped sample alerts with the real
// template's field types and checks a typical alert summary against counts
// computed independently from the raw JSON.
func TestSampleAlerts(t *testing.T) {
	kinds, err := KindsFromMapping(readShared(t, "alerts-index-template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if kinds("rule.level") != KindNumber || kinds("full_log") != KindText || kinds("timestamp") != KindDate || kinds("agent.name") != KindKeyword {
		t.Fatalf("template kinds wrong: level=%d full_log=%d timestamp=%d", kinds("rule.level"), kinds("full_log"), kinds("timestamp"))
	}
	var raw []map[string]any
	if err := json.Unmarshal(readShared(t, "sample-alerts.json"), &raw); err != nil {
		t.Fatal(err)
	}
	docs := make([]Doc, 0, len(raw))
	wantByAgent := map[string]int{}
	wantHigh := 0
	for i, src := range raw {
		docs = append(docs, NewMapDoc(fmt.Sprintf("s%02d", i), src, kinds))
		wantByAgent[src["agent"].(map[string]any)["id"].(string)]++
		if src["rule"].(map[string]any)["level"].(float64) >= 10 {
			wantHigh++
		}
	}
	indices := []Index{NewTimeIndex("wazuh-alerts-4.x-sample", docs, "timestamp")}

	resp := search(t, indices, `{"size":0,"query":{"range":{"rule.level":{"gte":10}}},"aggs":{"a":{"terms":{"field":"agent.id","size":50}}}}`)
	if got := path(resp, "hits.total.value"); got != float64(wantHigh) {
		t.Errorf("level>=10: %v, want %d", got, wantHigh)
	}
	resp = search(t, indices, `{"size":0,"aggs":{"a":{"terms":{"field":"agent.id","size":50}},"lvl":{"terms":{"field":"rule.level"}}}}`)
	for _, b := range path(resp, "aggregations.a.buckets").([]any) {
		m := b.(map[string]any)
		if int(m["doc_count"].(float64)) != wantByAgent[m["key"].(string)] {
			t.Errorf("agent %v: %v, want %d", m["key"], m["doc_count"], wantByAgent[m["key"].(string)])
		}
	}
	if k := path(resp, "aggregations.lvl.buckets.0.key"); k != float64(5) {
		t.Errorf("most common level key %v (want numeric 5)", k)
	}
	// full_log is text: match works, term does not, aggregation is refused.
	if n := path(search(t, indices, `{"query":{"match":{"full_log":"sshd"}}}`), "hits.total.value").(float64); n == 0 {
		t.Error("match on full_log found nothing")
	}
	searchErr(t, indices, `{"aggs":{"x":{"terms":{"field":"full_log"}}}}`)
	// Paging the whole sample newest-first returns every alert once.
	resp = search(t, indices, `{"size":100,"sort":[{"timestamp":"desc"}],"_source":["timestamp"]}`)
	if got := len(hitIDs(resp)); got != len(raw) {
		t.Errorf("paged %d of %d", got, len(raw))
	}
}

func TestSampleVulnerabilities(t *testing.T) {
	kinds, err := KindsFromMapping(readShared(t, "vulnerabilities-index-template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Index  string         `json:"_index"`
		ID     string         `json:"_id"`
		Source map[string]any `json:"_source"`
	}
	if err := json.Unmarshal(readShared(t, "sample-vulnerabilities.json"), &raw); err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	for _, r := range raw {
		docs = append(docs, NewMapDoc(r.ID, r.Source, kinds))
	}
	indices := []Index{{Name: raw[0].Index, Docs: docs}}
	resp := search(t, indices, `{"size":0,"aggs":{"sev":{"terms":{"field":"vulnerability.severity"}},"agents":{"cardinality":{"field":"agent.id"}}}}`)
	if path(resp, "hits.total.value") != float64(len(raw)) || path(resp, "aggregations.agents.value") == nil {
		t.Errorf("vulnerability summary: %v", resp)
	}
	if len(path(resp, "aggregations.sev.buckets").([]any)) == 0 {
		t.Error("no severity buckets")
	}
}

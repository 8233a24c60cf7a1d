package search

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestResponseShape(t *testing.T) {
	resp := search(t, fixture(t), `{"size":1,"query":{"ids":{"values":["a5"]}},"_source":["rule.id"]}`)
	resp["took"] = 0
	jsonEq(t, resp, `{"took":0,"timed_out":false,
		"_shards":{"total":4,"successful":4,"skipped":0,"failed":0},
		"hits":{"total":{"value":1,"relation":"eq"},"max_score":1,
			"hits":[{"_index":"wazuh-alerts-4.x-2026.11.20","_id":"a5","_score":1,"_source":{"rule":{"id":"550"}}}]}}`)
}

func TestSort(t *testing.T) {
	indices := fixture(t)
	tests := []struct {
		name, body, want string
	}{
		{"timestamp desc", `{"sort":[{"timestamp":{"order":"desc"}}]}`, "a1,a2,a3,a4,a5,a6,a7,a8"},
		{"timestamp asc string form", `{"sort":"timestamp"}`, "a8,a7,a6,a5,a4,a3,a2,a1"},
		{"object form several keys", `{"sort":{"rule.level":"desc","timestamp":"asc"}}`, "a7,a6,a1,a5,a4,a2,a8,a3"},
		{"keyword then _id", `{"sort":[{"agent.name":"asc"},{"_id":"desc"}]}`, "a7,a5,a3,a8,a2,a1,a6,a4"},
		{"missing last", `{"sort":[{"data.srcip":"asc"},"_id"]}`, "a4,a6,a1,a2,a3,a5,a7,a8"},
		{"missing first", `{"sort":[{"data.srcip":{"order":"asc","missing":"_first"}},"_id"]}`, "a3,a5,a7,a8,a4,a6,a1,a2"},
		{"missing value", `{"sort":[{"data.srcip":{"order":"asc","missing":"200.0.0.0"}},"_id"]}`, "a4,a6,a3,a5,a7,a8,a1,a2"},
		{"_doc is index order", `{"sort":["_doc"]}`, "a8,a7,a6,a5,a4,a3,a2,a1"},
		{"multi-valued asc uses min", `{"sort":[{"rule.groups":"asc"},"_id"]}`, "a4,a1,a6,a3,a8,a2,a5,a7"},
		{"score then index order", `{"query":{"match":{"full_log":"invalid user paco"}}}`, "a1,a6,a2,a8,a3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(hitIDs(search(t, indices, tt.body)), ",")
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHitSortValues(t *testing.T) {
	resp := search(t, fixture(t), `{"size":1,"sort":[{"timestamp":"desc"},{"rule.level":"asc"}]}`)
	jsonEq(t, path(resp, "hits.hits.0.sort"), `[1795261800000, 10, "a1"]`)
	if path(resp, "hits.hits.0._score") != nil || path(resp, "hits.max_score") != nil {
		t.Errorf("field sort must not score: %v", path(resp, "hits"))
	}
	resp = search(t, fixture(t), `{"size":1,"sort":[{"timestamp":"desc"},"_id"]}`)
	jsonEq(t, path(resp, "hits.hits.0.sort"), `[1795261800000, "a1"]`) // ends in a unique key: no tiebreak
}

// manyDocs builds n docs whose timestamps collide in groups of seven, so
// paging depends on the tiebreak.
func manyDocs(t testing.TB, n int) []Index {
	t.Helper()
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var docs []Doc
	for i := 0; i < n; i++ {
		ts := base.Add(time.Duration(i/7) * time.Minute).Format(time.RFC3339)
		src := fmt.Sprintf(`{"timestamp":%q,"rule":{"level":%d},"agent":{"name":"agent-%02d"}}`, ts, i%16, i%5)
		docs = append(docs, mustDoc(t, fmt.Sprintf("d%05d", (i*7919)%n), src))
	}
	return []Index{NewTimeIndex("wazuh-alerts-4.x-2026.11.20", docs, "timestamp")}
}

func TestSearchAfterPaging(t *testing.T) {
	indices := manyDocs(t, 211)
	for _, sortSpec := range []string{
		`[{"timestamp":"desc"}]`,
		`[{"rule.level":"asc"},{"timestamp":"desc"}]`,
		`[{"agent.name":"desc"}]`,
		`[{"timestamp":"asc"},{"_id":"asc"}]`,
	} {
		t.Run(sortSpec, func(t *testing.T) {
			seen := map[string]int{}
			var after json.RawMessage
			pages := 0
			for {
				body := `{"size":10,"sort":` + sortSpec + `,"query":{"range":{"timestamp":{"gte":"2026-11-19"}}}`
				if after != nil {
					body += `,"search_after":` + string(after)
				}
				resp := search(t, indices, body+"}")
				hits := path(resp, "hits.hits").([]any)
				if len(hits) == 0 {
					break
				}
				for _, h := range hits {
					seen[h.(map[string]any)["_id"].(string)]++
				}
				after, _ = json.Marshal(hits[len(hits)-1].(map[string]any)["sort"])
				if pages++; pages > 50 {
					t.Fatal("paging does not terminate")
				}
			}
			if len(seen) != 211 {
				t.Errorf("saw %d distinct docs, want 211", len(seen))
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("doc %s returned %d times", id, n)
				}
			}
		})
	}
}

func TestSearchAfterWithoutTiebreakValue(t *testing.T) {
	// A client may send only the sort keys; ties at the boundary are then
	// skipped, as in OpenSearch.
	resp := search(t, fixture(t), `{"sort":[{"rule.level":"desc"}],"search_after":[7]}`)
	if got := strings.Join(sortedIDs(resp), ","); got != "a2,a3,a4,a8" {
		t.Errorf("got %s", got)
	}
}

func TestFromSize(t *testing.T) {
	resp := search(t, fixture(t), `{"from":2,"size":3,"sort":[{"timestamp":"desc"}]}`)
	if got := strings.Join(hitIDs(resp), ","); got != "a3,a4,a5" {
		t.Errorf("got %s", got)
	}
	resp = search(t, fixture(t), `{"from":20,"size":3}`)
	if len(hitIDs(resp)) != 0 || path(resp, "hits.total.value") != float64(8) {
		t.Errorf("from past the end: %v", resp["hits"])
	}
	resp = search(t, fixture(t), `{"size":0}`)
	if len(path(resp, "hits.hits").([]any)) != 0 || path(resp, "hits.max_score") != nil {
		t.Errorf("size 0: %v", resp["hits"])
	}
}

func TestTrackTotalHits(t *testing.T) {
	big := manyDocs(t, 10050)
	small := fixture(t)
	tests := []struct {
		name    string
		indices []Index
		body    string
		want    string // JSON of hits.total, or "" when absent
	}{
		{"default exact below 10k", small, `{}`, `{"value":8,"relation":"eq"}`},
		{"default capped", big, `{"size":0}`, `{"value":10000,"relation":"gte"}`},
		{"true", big, `{"size":0,"track_total_hits":true}`, `{"value":10050,"relation":"eq"}`},
		{"false", small, `{"track_total_hits":false}`, ``},
		{"integer below", small, `{"track_total_hits":5}`, `{"value":5,"relation":"gte"}`},
		{"integer above", small, `{"track_total_hits":100}`, `{"value":8,"relation":"eq"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := path(search(t, tt.indices, tt.body), "hits.total")
			if tt.want == "" {
				if got != nil {
					t.Errorf("total present: %v", got)
				}
				return
			}
			jsonEq(t, got, tt.want)
		})
	}
}

func TestSourceFiltering(t *testing.T) {
	indices := fixture(t)
	tests := []struct {
		name, source, want string
	}{
		{"disabled", `false`, `null`},
		{"single field", `"agent.name"`, `{"agent":{"name":"web-01"}}`},
		{"list with object", `["rule.id","data"]`, `{"rule":{"id":"5712"},"data":{"srcip":"203.0.113.7","srcuser":"paco","srcport":"5000"}}`},
		{"wildcard", `["agent.*"]`, `{"agent":{"id":"001","name":"web-01","ip":"10.0.0.11"}}`},
		{"includes excludes", `{"includes":["rule.*","agent"],"excludes":["rule.mitre","*.groups","agent.ip"]}`,
			`{"rule":{"id":"5712","level":10,"description":"sshd: brute force trying to get access to the system. Non existent user."},"agent":{"id":"001","name":"web-01"}}`},
		{"excludes only", `{"excludes":["full_log","rule","data","location","timestamp"]}`, `{"agent":{"id":"001","name":"web-01","ip":"10.0.0.11"}}`},
		{"nested array of strings kept", `["rule.mitre.tactic"]`, `{"rule":{"mitre":{"tactic":["Credential Access"]}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := search(t, indices, `{"query":{"ids":{"values":["a1"]}},"_source":`+tt.source+`}`)
			jsonEq(t, path(resp, "hits.hits.0._source"), tt.want)
		})
	}
}

func TestTimeNarrowingMatchesFullScan(t *testing.T) {
	indices := manyDocs(t, 500)
	unsorted := []Index{{Name: indices[0].Name, Docs: indices[0].Docs}} // no TimeField: full scan
	for _, q := range []string{
		`{"range":{"timestamp":{"gte":"2026-11-20T00:10:00Z","lt":"2026-11-20T00:30:00Z"}}}`,
		`{"bool":{"filter":[{"range":{"timestamp":{"gt":"2026-11-20T00:10:00Z"}}},{"range":{"timestamp":{"lte":"2026-11-20T00:30:00Z"}}}],"must":[{"term":{"agent.name":"agent-01"}}]}}`,
		`{"bool":{"should":[{"range":{"timestamp":{"lt":"2026-11-20T00:05:00Z"}}},{"term":{"rule.level":3}}]}}`,
		`{"range":{"timestamp":{"gte":"2027-01-01"}}}`,
	} {
		body := `{"size":0,"track_total_hits":true,"query":` + q + `}`
		a := path(search(t, indices, body), "hits.total.value")
		b := path(search(t, unsorted, body), "hits.total.value")
		if a != b {
			t.Errorf("narrowed %v != full scan %v for %s", a, b, q)
		}
	}
}

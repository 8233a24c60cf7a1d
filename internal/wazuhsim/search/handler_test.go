package search

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

func newTestServer(t *testing.T, inj *faults.Injector) *httptest.Server {
	t.Helper()
	indices := fixture(t)
	vulns := []Doc{mustDoc(t, "v1", `{"agent":{"id":"001"},"vulnerability":{"id":"CVE-2020-1747","severity":"High"}}`)}
	all := append(indices, Index{Name: "wazuh-states-vulnerabilities-wazuh", Docs: vulns})
	srv := httptest.NewServer(NewHandler(HandlerOptions{
		Indices: func() []Index { return all },
		Now:     func() time.Time { return testNow },
		Faults:  inj,
	}))
	t.Cleanup(srv.Close)
	return srv
}

type httpResult struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

func do(t *testing.T, srv *httptest.Server, method, path, body string, auth bool) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth("admin", "admin")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := httpResult{status: resp.StatusCode, header: resp.Header, body: string(b)}
	_ = json.Unmarshal(b, &r.json)
	return r
}

func TestHandlerAuth(t *testing.T) {
	srv := newTestServer(t, nil)
	r := do(t, srv, "GET", "/", "", false)
	if r.status != 401 || r.header.Get("WWW-Authenticate") != `Basic realm="OpenSearch Security"` || r.body != "Unauthorized" {
		t.Errorf("no credentials: %d %v %q", r.status, r.header, r.body)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.SetBasicAuth("admin", "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
}

func TestHandlerEndpoints(t *testing.T) {
	srv := newTestServer(t, nil)
	tests := []struct {
		name, method, path, body string
		status                   int
		check                    map[string]any // dotted path -> expected JSON value
	}{
		{"info", "GET", "/", "", 200, map[string]any{"version.distribution": "opensearch", "version.number": DefaultVersion,
			"cluster_name": DefaultClusterName, "tagline": "The OpenSearch Project: https://opensearch.org/"}},
		{"health", "GET", "/_cluster/health", "", 200, map[string]any{"status": "green", "number_of_nodes": 1.0, "active_primary_shards": 5.0}},
		{"search wildcard POST", "POST", "/wazuh-alerts-4.x-*/_search", `{"size":0,"query":{"term":{"agent.name":"web-01"}}}`, 200,
			map[string]any{"hits.total.value": 3.0, "_shards.total": 4.0}},
		{"search GET with body", "GET", "/wazuh-alerts-*/_search", `{"query":{"term":{"rule.level":10}}}`, 200,
			map[string]any{"hits.total.value": 3.0}},
		{"comma list", "POST", "/wazuh-alerts-4.x-2026.11.21,wazuh-alerts-4.x-2026.11.20/_search", `{"size":0}`, 200,
			map[string]any{"hits.total.value": 6.0, "_shards.total": 2.0}},
		{"exclusion", "POST", "/wazuh-alerts-*,-*2026.11.21/_search", `{"size":0}`, 200, map[string]any{"hits.total.value": 4.0}},
		{"vulnerabilities", "POST", "/wazuh-states-vulnerabilities-*/_search", `{}`, 200,
			map[string]any{"hits.total.value": 1.0, "hits.hits.0._index": "wazuh-states-vulnerabilities-wazuh"}},
		{"all indices", "POST", "/_search", `{"size":0}`, 200, map[string]any{"hits.total.value": 9.0}},
		{"wildcard without match", "POST", "/nothing-*/_search", `{}`, 200,
			map[string]any{"hits.total.value": 0.0, "_shards.total": 0.0}},
		{"missing concrete index", "POST", "/wazuh-alerts-4.x-1999.01.01/_search", `{}`, 404,
			map[string]any{"error.type": "index_not_found_exception", "error.root_cause.0.reason": "no such index [wazuh-alerts-4.x-1999.01.01]", "status": 404.0}},
		{"ignore_unavailable", "POST", "/nope/_search?ignore_unavailable=true", `{}`, 200, map[string]any{"hits.total.value": 0.0}},
		{"count", "POST", "/wazuh-alerts-*/_count", `{"query":{"term":{"agent.id":"002"}}}`, 200, map[string]any{"count": 3.0}},
		{"count empty body", "GET", "/wazuh-alerts-*/_count", ``, 200, map[string]any{"count": 8.0}},
		{"count q", "GET", "/wazuh-alerts-*/_count?q=agent.name:web-02", ``, 200, map[string]any{"count": 2.0}},
		{"url params", "GET", "/wazuh-alerts-*/_search?q=rule.level:10&size=1&sort=timestamp:asc&_source=rule.id", ``, 200,
			map[string]any{"hits.total.value": 3.0, "hits.hits.0._id": "a7", "hits.hits.0._source.rule.id": "23505"}},
		{"rest_total_hits_as_int", "GET", "/wazuh-alerts-*/_search?rest_total_hits_as_int=true&size=0", ``, 200, map[string]any{"hits.total": 8.0}},
		{"bad json", "POST", "/wazuh-alerts-*/_search", `{"query":`, 400, map[string]any{"error.type": "parsing_exception", "status": 400.0}},
		{"unknown query", "POST", "/wazuh-alerts-*/_search", `{"query":{"nope":{}}}`, 400, map[string]any{"error.root_cause.0.reason": "unknown query [nope]"}},
		{"window", "POST", "/wazuh-alerts-*/_search", `{"size":20000}`, 400, map[string]any{"error.root_cause.0.type": "illegal_argument_exception"}},
		{"get doc", "GET", "/wazuh-alerts-*/_doc/a5", ``, 200, map[string]any{"found": true, "_index": "wazuh-alerts-4.x-2026.11.20", "_source.rule.id": "550"}},
		{"get missing doc", "GET", "/wazuh-alerts-*/_doc/zz", ``, 404, map[string]any{"found": false}},
		{"wrong method", "DELETE", "/wazuh-alerts-*/_search", ``, 405, nil},
		{"no handler", "GET", "/_nodes/stats", ``, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.body, true)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			for p, want := range tt.check {
				if got := path(r.json, p); got != want {
					t.Errorf("%s = %#v, want %#v (body %s)", p, got, want, r.body)
				}
			}
		})
	}
}

func TestHandlerCatIndices(t *testing.T) {
	srv := newTestServer(t, nil)
	r := do(t, srv, "GET", "/_cat/indices/wazuh-alerts-*?format=json", "", true)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.body), &rows); err != nil || len(rows) != 4 {
		t.Fatalf("rows %v: %v", rows, err)
	}
	if rows[3]["index"] != "wazuh-alerts-4.x-2026.11.21" || rows[3]["docs.count"] != "4" || rows[3]["health"] != "green" {
		t.Errorf("row %v", rows[3])
	}
	r = do(t, srv, "GET", "/_cat/indices?v", "", true)
	if !strings.HasPrefix(r.body, "health status index") || strings.Count(r.body, "\n") != 6 {
		t.Errorf("text form:\n%s", r.body)
	}
}

func TestHandlerBodyLimit(t *testing.T) {
	srv := newTestServer(t, nil)
	big := `{"query":{"ids":{"values":["` + strings.Repeat("x", DefaultMaxBodyBytes) + `"]}}}`
	r := do(t, srv, "POST", "/wazuh-alerts-*/_search", big, true)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d", r.status)
	}
}

func TestHandlerFaults(t *testing.T) {
	inj := faults.New(1)
	srv := newTestServer(t, inj)
	inj.Set(faults.Settings{Next5xx: 1, Next429: 1})
	r := do(t, srv, "POST", "/wazuh-alerts-*/_search", `{}`, true)
	if r.status != 503 || path(r.json, "status") != 503.0 || path(r.json, "error.type") == nil {
		t.Errorf("5xx fault: %d %s", r.status, r.body)
	}
	r = do(t, srv, "POST", "/wazuh-alerts-*/_search", `{}`, true)
	if r.status != 429 || r.header.Get("Retry-After") == "" || path(r.json, "error.type") != "rejected_execution_exception" {
		t.Errorf("429 fault: %d %s", r.status, r.body)
	}
	if r = do(t, srv, "POST", "/wazuh-alerts-*/_search", `{}`, true); r.status != 200 {
		t.Errorf("after faults: %d", r.status)
	}
	// Faults never bypass authentication.
	inj.Set(faults.Settings{Next5xx: 1})
	if r = do(t, srv, "GET", "/", "", false); r.status != 401 {
		t.Errorf("unauthenticated request during faults: %d", r.status)
	}
}

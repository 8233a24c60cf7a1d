package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testPassword = "s3cr3t-Pa55"

// fake is an httptest indexer; handle sees the attempt number (from 0).
type fake struct {
	srv      *httptest.Server
	attempts atomic.Int32
	mu       sync.Mutex
	requests []*recorded
}

type recorded struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body []byte, attempt int)) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n := int(f.attempts.Add(1)) - 1
		f.mu.Lock()
		f.requests = append(f.requests, &recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		f.mu.Unlock()
		handle(w, r, body, n)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) last() *recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[len(f.requests)-1]
}

func newTestClient(t *testing.T, url string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: url, Username: "wazuh-mcp", Password: testPassword, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.backoff = func(int) time.Duration { return time.Millisecond }
	t.Cleanup(func() { c.Close() })
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

const emptySearch = `{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}`

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), testPassword) {
		t.Errorf("error leaks the password: %v", err)
	}
}

func TestNotConfigured(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Configured() {
		t.Error("Configured() = true")
	}
	ctx := context.Background()
	_, _, pingErr := c.Ping(ctx)
	_, healthErr := c.Health(ctx)
	_, searchErr := c.SearchAlerts(ctx, SearchRequest{})
	_, _, aggErr := c.AggregateAlerts(ctx, AlertFilter{}, nil)
	_, getErr := c.GetAlert(ctx, "x")
	_, vulnErr := c.SearchVulnerabilities(ctx, VulnSearchRequest{})
	_, _, vaggErr := c.AggregateVulnerabilities(ctx, VulnFilter{}, nil)
	for i, err := range []error{pingErr, healthErr, searchErr, aggErr, getErr, vulnErr, vaggErr} {
		if !errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), "WAZUH_INDEXER_HOST") {
			t.Errorf("call %d: err = %v, want ErrNotConfigured", i, err)
		}
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var seen atomic.Int32
	c := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Observer = observerFunc(func(RequestInfo) { seen.Add(1) }) })
	_, _, err = c.Ping(context.Background())
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if !strings.Contains(err.Error(), "Wazuh indexer unreachable at "+addr) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("message = %q", err)
	}
	assertNoSecret(t, err)
	if seen.Load() != 3 {
		t.Errorf("attempts = %d, want 3 (1 + 2 retries)", seen.Load())
	}
}

func TestUnreachableDNSAndTimeout(t *testing.T) {
	c := newTestClient(t, "http://no-such-host.invalid:9200", func(cfg *Config) { cfg.MaxRetries = -1 })
	_, err := c.Health(context.Background())
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "no-such-host.invalid:9200") {
		t.Errorf("dns: err = %v", err)
	}

	block := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte, _ int) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	})
	defer close(block)
	c = newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond; cfg.MaxRetries = -1 })
	_, err = c.Health(context.Background())
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "no response within 50ms") {
		t.Errorf("timeout: err = %v", err)
	}

	// The caller giving up is not "unreachable".
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Health(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnreachable) {
		t.Errorf("canceled: err = %v", err)
	}
}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		wantIs     error
		wantMsg    string
		wantTries  int32
		wantType   string
		wantReason string
	}{
		{"401", 401, nil, `{"error":{"root_cause":[{"type":"security_exception","reason":"Unauthorized"}],"type":"security_exception","reason":"Unauthorized"},"status":401}`,
			ErrAuth, "rejected the credentials for WAZUH_INDEXER_USER", 1, "security_exception", "Unauthorized"},
		{"401 plain", 401, nil, `Unauthorized`, ErrAuth, "HTTP 401", 1, "", ""},
		{"403", 403, nil, `{"error":{"type":"security_exception","reason":"no permissions for [indices:data/read/search]"},"status":403}`,
			ErrForbidden, "no permissions for [indices:data/read/search]", 1, "security_exception", ""},
		{"400", 400, nil, `{"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input string: \"abc\""}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}`,
			nil, `query_shard_exception): failed to create query`, 1, "query_shard_exception", `failed to create query: For input string: "abc"`},
		{"503 exhausted", 503, nil, `{"error":"unavailable","status":503}`, nil, "HTTP 503", 3, "", "unavailable"},
		{"429 no retry-after", 429, nil, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected"},"status":429}`, ErrRateLimited, "HTTP 429", 1, "", ""},
		{"429 long retry-after", 429, map[string]string{"Retry-After": "120"}, `{}`, ErrRateLimited, "too many requests", 1, "", ""},
		{"502 html", 502, nil, `<html><body>Bad Gateway</body></html>`, nil, "HTTP 502: Bad Gateway", 3, "", "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				writeJSON(w, tt.status, tt.body)
			})
			c := newTestClient(t, f.srv.URL, nil)
			_, err := c.SearchAlerts(context.Background(), SearchRequest{})
			var se *SearchError
			if !errors.As(err, &se) || se.Status != tt.status {
				t.Fatalf("err = %v, want *SearchError %d", err, tt.status)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want Is %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message %q lacks %q", err, tt.wantMsg)
			}
			if tt.wantType != "" && se.Type != tt.wantType {
				t.Errorf("Type = %q, want %q", se.Type, tt.wantType)
			}
			if tt.wantReason != "" && se.Reason != tt.wantReason {
				t.Errorf("Reason = %q, want %q", se.Reason, tt.wantReason)
			}
			if got := f.attempts.Load(); got != tt.wantTries {
				t.Errorf("attempts = %d, want %d", got, tt.wantTries)
			}
			assertNoSecret(t, err)
		})
	}
}

type observerFunc func(RequestInfo)

func (f observerFunc) ObserveRequest(ri RequestInfo) { f(ri) }

func TestRetryThenSuccess(t *testing.T) {
	tests := []struct {
		name   string
		fail   func(w http.ResponseWriter)
		wantOK bool
	}{
		{"503", func(w http.ResponseWriter) { writeJSON(w, 503, `{"error":"busy"}`) }, true},
		{"504", func(w http.ResponseWriter) { writeJSON(w, 504, ``) }, true},
		{"429 with Retry-After", func(w http.ResponseWriter) { w.Header().Set("Retry-After", "0"); writeJSON(w, 429, `{}`) }, true},
		{"connection dropped", func(w http.ResponseWriter) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, n int) {
				if n == 0 {
					tt.fail(w)
					return
				}
				writeJSON(w, 200, emptySearch)
			})
			var mu sync.Mutex
			var infos []RequestInfo
			c := newTestClient(t, f.srv.URL, func(cfg *Config) {
				cfg.Observer = observerFunc(func(ri RequestInfo) { mu.Lock(); infos = append(infos, ri); mu.Unlock() })
			})
			res, err := c.SearchAlerts(context.Background(), SearchRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 0 || f.attempts.Load() != 2 {
				t.Errorf("res=%+v attempts=%d", res, f.attempts.Load())
			}
			mu.Lock()
			defer mu.Unlock()
			if len(infos) != 2 || !infos[0].WillRetry || infos[1].WillRetry || infos[1].Status != 200 || infos[1].Attempt != 1 || infos[0].Op != "search alerts" {
				t.Errorf("observer saw %+v", infos)
			}
		})
	}
}

func TestRequestShape(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) { writeJSON(w, 200, emptySearch) })
	c := newTestClient(t, f.srv.URL, func(cfg *Config) {
		cfg.CorrelationID = func(context.Context) string { return "req-42" }
	})
	_, err := c.SearchAlerts(context.Background(), SearchRequest{Filter: AlertFilter{AgentIDs: []string{"7"}}, Size: 2, TrackTotalHits: true})
	if err != nil {
		t.Fatal(err)
	}
	r := f.last()
	if r.method != http.MethodPost || r.path != "/wazuh-alerts-4.x-*/_search" {
		t.Errorf("request %s %s", r.method, r.path)
	}
	if !strings.Contains(r.query, "ignore_unavailable=true") || !strings.Contains(r.query, "allow_no_indices=true") {
		t.Errorf("query string %q", r.query)
	}
	if u, p, ok := (&http.Request{Header: r.header}).BasicAuth(); !ok || u != "wazuh-mcp" || p != testPassword {
		t.Errorf("basic auth = %q %q %v", u, p, ok)
	}
	if r.header.Get("X-Correlation-ID") != "req-42" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", r.header)
	}
	want := `{"query":{"bool":{"filter":[{"terms":{"agent.id":["007"]}}]}},"size":3,"sort":[{"timestamp":{"order":"desc"}},{"id":{"order":"desc"}}],"track_total_hits":true}`
	if string(r.body) != want {
		t.Errorf("body\n got %s\nwant %s", r.body, want)
	}

	_, err = c.SearchVulnerabilities(context.Background(), VulnSearchRequest{Filter: VulnFilter{Severities: []string{"critical"}}, Source: []string{"agent.id", "vulnerability.*"}})
	if err != nil {
		t.Fatal(err)
	}
	r = f.last()
	want = `{"query":{"bool":{"filter":[{"terms":{"vulnerability.severity":["Critical"]}}]}},"size":51,"sort":[{"vulnerability.score.base":{"order":"desc"}},{"agent.id":{"order":"asc"}},{"vulnerability.id":{"order":"asc"}},{"package.name":{"order":"asc"}},{"package.version":{"order":"asc"}},{"package.architecture":{"order":"asc"}}],"_source":{"includes":["agent.id","vulnerability.*"]}}`
	if r.path != "/wazuh-states-vulnerabilities-*/_search" || string(r.body) != want {
		t.Errorf("vuln request %s\n got %s\nwant %s", r.path, r.body, want)
	}
}

func TestIndexNotFound(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		writeJSON(w, 404, `{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [wazuh-alerts-4.x-2026.11.21]","index":"wazuh-alerts-4.x-2026.11.21"}],"type":"index_not_found_exception","reason":"no such index [wazuh-alerts-4.x-2026.11.21]"},"status":404}`)
	})
	c := newTestClient(t, f.srv.URL, func(cfg *Config) { cfg.AlertsIndex = "wazuh-alerts-4.x-2026.11.21" })
	ctx := context.Background()
	res, err := c.SearchAlerts(ctx, SearchRequest{})
	if err != nil || !res.NoIndex || len(res.Hits) != 0 || res.Next != "" {
		t.Errorf("search = %+v, %v", res, err)
	}
	total, aggs, err := c.AggregateAlerts(ctx, AlertFilter{}, map[string]Agg{"a": TermsAgg{Field: "rule.id"}})
	if err != nil || total != 0 || !aggs.NoIndex {
		t.Errorf("aggregate = %d %+v %v", total, aggs, err)
	}
	if b, _, err := aggs.Terms("a"); err != nil || len(b) != 0 {
		t.Errorf("terms on missing index = %v %v", b, err)
	}
	_, err = c.GetAlert(ctx, "abc")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no alerts index") {
		t.Errorf("get = %v", err)
	}
}

func TestPingAndHealth(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte, _ int) {
		switch r.URL.Path {
		case "/":
			writeJSON(w, 200, `{"name":"node-1","cluster_name":"wazuh-cluster","cluster_uuid":"u1","version":{"distribution":"opensearch","number":"2.19.1","build_type":"rpm","lucene_version":"9.12.1"},"tagline":"The OpenSearch Project: https://opensearch.org/"}`)
		case "/_cluster/health":
			writeJSON(w, 200, `{"cluster_name":"wazuh-cluster","status":"yellow","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":12,"active_shards":12,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":3,"number_of_pending_tasks":0,"active_shards_percent_as_number":80.0}`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := newTestClient(t, f.srv.URL+"/", nil)
	info, latency, err := c.Ping(context.Background())
	if err != nil || latency <= 0 {
		t.Fatalf("ping: %v %v", err, latency)
	}
	if info.Version != "2.19.1" || info.Distribution != "opensearch" || info.ClusterName != "wazuh-cluster" || info.Name != "node-1" {
		t.Errorf("info = %+v", info)
	}
	h, err := c.Health(context.Background())
	if err != nil || h.Status != "yellow" || h.UnassignedShards != 3 || h.ActiveShardsPercent != 80 {
		t.Errorf("health = %+v, %v", h, err)
	}
}

// alertDoc is a minimal alert for the paging fake.
type alertDoc struct {
	ts int64
	id string
}

// pagingFake answers searches over docs sorted by timestamp desc, id desc,
// honouring size and search_after, like OpenSearch does.
func pagingFake(t *testing.T, docs []alertDoc) *fake {
	return newFake(t, func(w http.ResponseWriter, _ *http.Request, body []byte, _ int) {
		var req struct {
			Size        int   `json:"size"`
			SearchAfter []any `json:"search_after"`
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, 400, `{"error":{"type":"parse_exception","reason":"bad body"},"status":400}`)
			return
		}
		start := 0
		if req.SearchAfter != nil {
			ts, _ := req.SearchAfter[0].(json.Number).Int64()
			id := req.SearchAfter[1].(string)
			for start < len(docs) && (docs[start].ts > ts || docs[start].ts == ts && docs[start].id >= id) {
				start++
			}
		}
		end := min(start+req.Size, len(docs))
		type hit struct {
			Index  string         `json:"_index"`
			ID     string         `json:"_id"`
			Source map[string]any `json:"_source"`
			Sort   []any          `json:"sort"`
		}
		hits := []hit{}
		for _, d := range docs[start:end] {
			hits = append(hits, hit{"wazuh-alerts-4.x-2026.11.21", "doc-" + d.id, map[string]any{"id": d.id}, []any{d.ts, d.id}})
		}
		out, _ := json.Marshal(map[string]any{
			"took": 1, "timed_out": false, "_shards": map[string]int{"total": 3, "successful": 3},
			"hits": map[string]any{"total": map[string]any{"value": len(docs), "relation": "eq"}, "hits": hits},
		})
		writeJSON(w, 200, string(out))
	})
}

func TestPagingRoundTrip(t *testing.T) {
	// Several alerts share a timestamp: only the id tie-breaker keeps the
	// pages from skipping or repeating them.
	docs := []alertDoc{
		{1763719200999, "9.3"}, {1763719200999, "9.2"}, {1763719200999, "9.1"},
		{1763719200500, "5.1"}, {1763719200000, "1.3"}, {1763719200000, "1.2"}, {1763719200000, "1.1"},
	}
	f := pagingFake(t, docs)
	c := newTestClient(t, f.srv.URL, nil)
	filter := AlertFilter{MinLevel: 3}
	var seen []string
	var cursor Cursor
	for page := 0; page < 10; page++ {
		res, err := c.SearchAlerts(context.Background(), SearchRequest{Filter: filter, Size: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			seen = append(seen, h.ID)
		}
		if res.Total != int64(len(docs)) {
			t.Errorf("total = %d", res.Total)
		}
		if res.Next == "" {
			break
		}
		cursor = res.Next
	}
	want := "doc-9.3 doc-9.2 doc-9.1 doc-5.1 doc-1.3 doc-1.2 doc-1.1"
	if got := strings.Join(seen, " "); got != want {
		t.Errorf("pages = %s\nwant    %s", got, want)
	}
	if n := f.attempts.Load(); n != 4 {
		t.Errorf("requests = %d, want 4 (the last page is known to be last)", n)
	}
	// The cursor of this query is refused for another filter, before any request.
	_, err := c.SearchAlerts(context.Background(), SearchRequest{Filter: AlertFilter{MinLevel: 4}, Size: 2, After: cursor})
	if !errors.Is(err, ErrBadCursor) || f.attempts.Load() != 4 {
		t.Errorf("foreign cursor: err = %v, attempts %d", err, f.attempts.Load())
	}
}

func TestGetAlert(t *testing.T) {
	f := pagingFake(t, []alertDoc{{1763719200999, "9.3"}})
	c := newTestClient(t, f.srv.URL, nil)
	hit, err := c.GetAlert(context.Background(), "9.3")
	if err != nil || hit.ID != "doc-9.3" {
		t.Fatalf("hit = %+v, %v", hit, err)
	}
	want := `{"query":{"bool":{"filter":[{"bool":{"minimum_should_match":1,"should":[{"ids":{"values":["9.3"]}},{"terms":{"id":["9.3"]}}]}}]}},"size":2,"sort":[{"timestamp":{"order":"desc"}},{"id":{"order":"desc"}}]}`
	if got := string(f.last().body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	empty := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) { writeJSON(w, 200, emptySearch) })
	c = newTestClient(t, empty.srv.URL, nil)
	if _, err := c.GetAlert(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing alert: err = %v", err)
	}
}

func TestAggregateRoundTrip(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) { writeJSON(w, 200, aggResponse) })
	c := newTestClient(t, f.srv.URL, nil)
	total, res, err := c.AggregateAlerts(context.Background(), AlertFilter{MinLevel: 5}, map[string]Agg{
		"by_level": TermsAgg{Field: "rule.level", Size: 2},
	})
	if err != nil || total != 12345 || res.TookMS != 12 {
		t.Fatalf("total=%d res=%+v err=%v", total, res, err)
	}
	if b, other, err := res.Terms("by_level"); err != nil || len(b) != 2 || other != 7 {
		t.Errorf("by_level = %+v %d %v", b, other, err)
	}
	want := `{"query":{"bool":{"filter":[{"range":{"rule.level":{"gte":5}}}]}},"size":0,"track_total_hits":true,"aggs":{"by_level":{"terms":{"field":"rule.level","size":2}}}}`
	if got := string(f.last().body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// Validation errors never reach the indexer.
	before := f.attempts.Load()
	if _, _, err := c.AggregateAlerts(context.Background(), AlertFilter{AgentIDs: []string{"x"}}, nil); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("invalid filter: %v", err)
	}
	if _, err := c.SearchAlerts(context.Background(), SearchRequest{Size: MaxPageSize + 1}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("page too large: %v", err)
	}
	if f.attempts.Load() != before {
		t.Error("invalid requests were sent")
	}
}

func TestNewConfig(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		writeJSON(w, 200, `{"version":{"number":"2.19.1"}}`)
	})
	// Credentials in the URL are used and removed from it.
	u := strings.Replace(f.srv.URL, "http://", "http://admin:"+testPassword+"@", 1)
	c := newTestClient(t, u, func(cfg *Config) { cfg.Username, cfg.Password = "", "" })
	if strings.Contains(c.Host(), testPassword) {
		t.Errorf("host %q carries credentials", c.Host())
	}
	if _, _, err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if user, pass, _ := (&http.Request{Header: f.last().header}).BasicAuth(); user != "admin" || pass != testPassword {
		t.Errorf("basic auth from URL = %q %q", user, pass)
	}
	for _, bad := range []Config{
		{URL: "ftp://indexer:9200"},
		{URL: "http://"},
		{URL: "http://indexer:9200/?x=1"},
		{URL: "http://indexer:9200", AlertsIndex: "Wazuh-Alerts"},
		{URL: "http://indexer:9200", VulnerabilitiesIndex: "a/b"},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) = nil error", bad)
		} else {
			assertNoSecret(t, err)
		}
	}
	c, err := New(Config{URL: "indexer.local:9200"})
	if err == nil {
		defer c.Close() // stops opensearch-go's background pollers
	}
	if err != nil || c.Host() != "indexer.local:9200" || c.AlertsIndex() != DefaultAlertsIndex || c.VulnerabilitiesIndex() != DefaultVulnerabilitiesIndex {
		t.Errorf("bare host: %v %+v", err, c)
	}
}

// TestNoBackgroundPolling: opensearch-go would poll /_nodes/_local/stats
// every 5 s on its own; the client turns that poller off, so the indexer
// sees only the requests the tools make.
func TestNoBackgroundPolling(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, nil)
	if !c.Configured() {
		t.Fatal("client not configured: the test checks nothing")
	}
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	if strings.Contains(stacks, "scheduleNodeStats") {
		t.Fatalf("the node-stats poller is running:\n%s", stacks)
	}
}

func TestDescribeCauseShortensTransportErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%q %q: %w", "POST", "http://idx:9200/wazuh-alerts-4.x-%2A/_search", io.EOF), "the connection was closed without an answer"},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), "the connection was closed without an answer"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, "dial: connection refused"},
	} {
		if got := describeCause(tc.err); got != tc.want {
			t.Errorf("describeCause(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

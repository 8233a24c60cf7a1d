package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	dto "github.com/prometheus/client_model/go"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
)

// metricValue sums the counter, gauge or histogram-count values of a metric
// family whose label matches (label "" = every series).
func metricValue(t *testing.T, m *Metrics, name, label, value string) float64 {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			if label != "" && labelOf(s, label) != value {
				continue
			}
			switch {
			case s.Counter != nil:
				sum += s.Counter.GetValue()
			case s.Gauge != nil:
				sum += s.Gauge.GetValue()
			case s.Histogram != nil:
				sum += float64(s.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

func labelOf(s *dto.Metric, name string) string {
	for _, l := range s.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// labelValues lists the distinct values of one label of a metric family.
func labelValues(t *testing.T, m *Metrics, name, label string) map[string]bool {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range fams {
		if f.GetName() == name {
			for _, s := range f.GetMetric() {
				out[labelOf(s, label)] = true
			}
		}
	}
	return out
}

func TestMetricLabelsStayBounded(t *testing.T) {
	g := newGuarded(t, Options{})
	sid := initialize(t, g.URL+"/mcp")
	for i := range 1000 {
		body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"bogus_tool_%d","arguments":{}}}`, i+10, i)
		post(t, g.URL+"/mcp", sid, "*/*", body)
	}
	post(t, g.URL+"/mcp", sid, "*/*", `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"v":1}}}`)
	for i := range 50 {
		do(t, "GET", fmt.Sprintf("%s/random/path/%d", g.URL, i), "")
	}
	m := g.h.Metrics()
	tools := labelValues(t, m, "wazuh_mcp_tool_calls_total", "tool")
	if len(tools) != 2 || !tools["other"] || !tools["echo"] {
		t.Fatalf("tool label values = %v, want exactly echo and other", tools)
	}
	if got := metricValue(t, m, "wazuh_mcp_tool_calls_total", "tool", "other"); got != 1000 {
		t.Fatalf("calls of unknown tools = %v, want 1000", got)
	}
	if got := metricValue(t, m, "wazuh_mcp_tool_calls_total", "outcome", "ok"); got != 1 {
		t.Fatalf("ok calls = %v, want 1", got)
	}
	if got := metricValue(t, m, "wazuh_mcp_tool_call_duration_seconds", "tool", "echo"); got != 1 {
		t.Fatalf("echo latency samples = %v, want 1", got)
	}
	routes := labelValues(t, m, "wazuh_mcp_http_requests_total", "route")
	if len(routes) > 3 || !routes["other"] || !routes["/mcp"] {
		t.Fatalf("route label values = %v", routes)
	}
	// The whole exposition stays small.
	resp, body := do(t, "GET", g.URL+"/metrics", "")
	if resp.StatusCode != 200 || strings.Contains(body, "bogus_tool") || strings.Contains(body, "/random/path") {
		t.Fatalf("/metrics leaks raw values or failed: %d", resp.StatusCode)
	}
}

func TestBackendObservers(t *testing.T) {
	m := NewMetrics()
	w := m.WazuhObserver()
	w.ObserveRequest("GET", "/agents/{agent_id}", 200, time.Millisecond, false)
	w.ObserveRequest("GET", "/agents/{agent_id}", 200, time.Microsecond, true)
	w.ObserveRequest("PUT", "/active-response", 0, time.Millisecond, false)
	w.ObserveBreaker("closed", "open")
	for i := range 500 {
		w.ObserveRequest("GET", fmt.Sprintf("/generated/%d", i), 404, time.Millisecond, false)
	}
	idx := m.IndexerObserver()
	idx.ObserveRequest(indexer.RequestInfo{Op: "search alerts", Status: 503, Err: errors.New("x"), WillRetry: true})
	idx.ObserveRequest(indexer.RequestInfo{Op: "search alerts", Attempt: 1, Status: 200})

	tests := []struct {
		name, label, value string
		want               float64
	}{
		{"wazuh_mcp_backend_cache_total", "result", "hit", 1},
		{"wazuh_mcp_backend_cache_total", "result", "miss", 501},
		{"wazuh_mcp_backend_requests_total", "endpoint", "GET /agents/{agent_id}", 1},
		{"wazuh_mcp_backend_requests_total", "status", "error", 1},
		{"wazuh_mcp_backend_requests_total", "endpoint", "search alerts", 2},
		{"wazuh_mcp_backend_retries_total", "backend", "indexer", 1},
		{"wazuh_mcp_circuit_breaker_state", "backend", "manager", 2},
	}
	for _, tt := range tests {
		if got := metricValue(t, m, tt.name, tt.label, tt.value); got != tt.want {
			t.Errorf("%s{%s=%q} = %v, want %v", tt.name, tt.label, tt.value, got, tt.want)
		}
	}
	// 200 Manager templates, then "other"; plus the indexer's one op.
	eps := labelValues(t, m, "wazuh_mcp_backend_requests_total", "endpoint")
	if len(eps) != maxEndpoints+2 || !eps["other"] {
		t.Fatalf("%d endpoint label values, want the cap %d + other + the indexer op", len(eps), maxEndpoints)
	}
}

func TestMetricsAuth(t *testing.T) {
	g := newGuarded(t, Options{MetricsAuth: true, Authenticate: stubAuth})
	if resp, _ := do(t, "GET", g.URL+"/metrics", ""); resp.StatusCode != 401 {
		t.Fatalf("/metrics without credentials: %d", resp.StatusCode)
	}
	if resp, body := do(t, "GET", g.URL+"/metrics", "", "Authorization", "Bearer good-ops"); resp.StatusCode != 200 || !strings.Contains(body, "wazuh_mcp_http_requests_total") {
		t.Fatalf("/metrics with credentials: %d", resp.StatusCode)
	}
	closed := newGuarded(t, Options{MetricsAuth: true}) // no authentication configured: fail closed
	if resp, _ := do(t, "GET", closed.URL+"/metrics", ""); resp.StatusCode != 403 {
		t.Fatalf("METRICS_AUTH without auth: %d", resp.StatusCode)
	}
}

func TestReadiness(t *testing.T) {
	var managerErr atomic.Value
	managerErr.Store(errors.New("none"))
	var calls atomic.Int32
	checks := []ReadyCheck{
		{Name: "manager", Check: func(context.Context) error {
			calls.Add(1)
			if err := managerErr.Load().(error); err.Error() != "none" {
				return err
			}
			return nil
		}},
		{Name: "indexer", Optional: true}, // not configured
	}
	rd := newReadiness(checks, time.Hour)
	now := time.Unix(0, 0)
	rd.now = func() time.Time { return now }
	rep := rd.report(context.Background())
	if rep.Status != "ready" || rep.Checks["indexer"].Status != "not_configured" || rep.Checks["manager"].Status != "ok" {
		t.Fatalf("healthy: %+v", rep)
	}
	managerErr.Store(errors.New("the Manager API is unreachable or failing"))
	if rd.report(context.Background()).Status != "ready" || calls.Load() != 1 {
		t.Fatalf("cached answer not used (calls %d)", calls.Load())
	}
	now = now.Add(2 * time.Hour)
	rep = rd.report(context.Background())
	if rep.Status != "not_ready" || rep.Checks["manager"].Error != "the Manager API is unreachable or failing" {
		t.Fatalf("failing manager: %+v", rep)
	}
	// A required backend that is not configured is a failure.
	if newReadiness([]ReadyCheck{{Name: "manager"}}, 0).report(context.Background()).Status != "not_ready" {
		t.Fatal("missing required backend reported ready")
	}
}

func TestDocsEscapeAndList(t *testing.T) {
	srv := newGuarded(t, Options{})
	h := docsHandler("1.2.3", Catalogue{
		Toolsets: []ToolsetDoc{{Name: "alerts", Description: "Alerts <b>", Default: true}},
		Tools: []ToolDoc{{Name: "get_x", Toolset: "alerts", Title: "X", Description: `Find <script>alert(1)</script> & more`,
			Args: []ArgDoc{{Name: "agent_id", Type: "string", Description: `"quoted" <i>`, Required: true}}}},
	}, false)
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", "/docs", nil))
	page := rec.Body.String()
	for _, want := range []string{"get_x", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", "Alerts &lt;b&gt;", "agent_id", "&lt;i&gt;", "/openapi.json", "/ready"} {
		if !strings.Contains(page, want) {
			t.Errorf("docs page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Fatal("unescaped markup in the docs page")
	}
	if resp, _ := do(t, "GET", srv.URL+"/docs", ""); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/docs: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestOpenAPIDocument(t *testing.T) {
	g := newGuarded(t, Options{})
	resp, body := do(t, "GET", g.URL+"/openapi.json", "")
	if resp.StatusCode != 200 {
		t.Fatalf("/openapi.json: %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("not an OpenAPI 3.1 document: %v", err)
	}
	for _, p := range []string{"/mcp", "/sse", "/health", "/ready", "/metrics", "/auth/token", "/auth/validate", "/.well-known/oauth-protected-resource"} {
		if doc.Paths[p] == nil {
			t.Errorf("path %s missing", p)
		}
	}
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData([]byte(body))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
}

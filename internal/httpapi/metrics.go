package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Metrics is the Prometheus instrumentation of one server, on its own
// registry (no global state). Every label has a bounded set of values:
// routes and tool names come from fixed lists (anything else is "other"),
// backend endpoints are templates from the clients' code (capped too),
// statuses are codes from a short list or classes.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests     *prometheus.CounterVec
	httpDuration     *prometheus.HistogramVec
	toolCalls        *prometheus.CounterVec
	toolDuration     *prometheus.HistogramVec
	backendRequests  *prometheus.CounterVec
	backendDuration  *prometheus.HistogramVec
	backendRetries   *prometheus.CounterVec
	cache            *prometheus.CounterVec
	breaker          *prometheus.GaugeVec
	rateLimited      *prometheus.CounterVec
	sessionsRejected prometheus.Counter
	authFailures     *prometheus.CounterVec

	tools     atomic.Pointer[map[string]bool]
	endpoints sync.Map                      // backend -> *labelSet
	sessions  atomic.Pointer[[]*mcp.Server] // the servers whose sessions are counted
}

const (
	namespace = "wazuh_mcp"
	other     = "other"
	// maxEndpoints bounds the endpoint label per backend.
	maxEndpoints = 200
)

// NewMetrics builds the metrics of one server. Create it before the
// backend clients (their observers feed it); the HTTP handler tells it the
// registered tool names (others are counted as "other").
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := factory{m.reg}
	m.httpRequests = f.counter("http_requests_total", "HTTP requests by route, method and status class.", "route", "method", "code")
	m.httpDuration = f.histogram("http_request_duration_seconds", "HTTP request latency by route (streams excluded).", "route")
	m.toolCalls = f.counter("tool_calls_total", "MCP tool calls by tool and outcome (ok, error = isError result, rejected = protocol error).", "tool", "outcome")
	m.toolDuration = f.histogram("tool_call_duration_seconds", "MCP tool call latency by tool and outcome.", "tool", "outcome")
	m.backendRequests = f.counter("backend_requests_total", "Calls to the Wazuh Manager API and indexer by backend, endpoint template and status (error = no HTTP answer).", "backend", "endpoint", "status")
	m.backendDuration = f.histogram("backend_request_duration_seconds", "Backend call latency by backend and endpoint template.", "backend", "endpoint")
	m.backendRetries = f.counter("backend_retries_total", "Retried backend reads.", "backend")
	m.cache = f.counter("backend_cache_total", "Manager API reads answered from the cache (hit) or the network (miss).", "backend", "result")
	m.breaker = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: "circuit_breaker_state",
		Help: "Circuit breaker state per backend: 0 closed, 1 half-open, 2 open."}, []string{"backend"})
	m.reg.MustRegister(m.breaker)
	m.breaker.WithLabelValues("manager").Set(0)
	m.rateLimited = f.counter("rate_limit_rejections_total", "Requests refused with 429 by scope (ip, principal, auth_failures).", "scope")
	m.sessionsRejected = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "sessions_rejected_total",
		Help: "New MCP sessions refused because MAX_SESSIONS was reached."})
	m.authFailures = f.counter("auth_failures_total", "Failed authentications by reason.", "reason")
	m.reg.MustRegister(m.sessionsRejected,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "sessions_active", Help: "Open MCP sessions."},
			func() float64 {
				if servers := m.sessions.Load(); servers != nil {
					return float64(countSessions(*servers))
				}
				return 0
			}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) histogram(name, help string, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help,
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, labels)
	f.reg.MustRegister(h)
	return h
}

// Registry is the registry the metrics live in (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// authReasons bounds the reason label of auth_failures_total.
var authReasons = map[string]bool{"missing": true, "malformed": true, "invalid": true, "expired": true,
	"revoked": true, "insufficient_scope": true}

// AuthFailure counts one refused credential by its reason (auth.Reason:
// missing, malformed, invalid, expired, revoked, insufficient_scope; any
// other is "other"). The server's authentication counts its own refusals;
// a custom Options.Authenticate must call this itself.
func (m *Metrics) AuthFailure(reason string) {
	if m == nil {
		return
	}
	if !authReasons[reason] {
		reason = other
	}
	m.authFailures.WithLabelValues(reason).Inc()
}

// setTools records the registered tool names, the tool label's values.
func (m *Metrics) setTools(names []string) {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	m.tools.Store(&set)
}

func (m *Metrics) isTool(name string) bool {
	set := m.tools.Load()
	return set != nil && (*set)[name]
}

func (m *Metrics) rateLimitRejected(scope string) { m.rateLimited.WithLabelValues(scope).Inc() }

// sessionServers sets the servers whose sessions sessions_active counts.
func (m *Metrics) sessionServers(servers []*mcp.Server) { m.sessions.Store(&servers) }

func (m *Metrics) sessionRejected() { m.sessionsRejected.Inc() }

// routes are the route label values; other paths are "other".
var routes = []string{"/mcp", "/sse", "/health", "/ready", "/metrics", "/docs", "/openapi.json",
	"/auth/token", "/auth/validate"}

func routeOf(path string) string {
	switch {
	case path == "/":
		return "/"
	case strings.HasPrefix(path, "/.well-known/"):
		return "/.well-known"
	case strings.HasPrefix(path, "/approvals/"):
		return "/approvals"
	}
	for _, r := range routes {
		if path == r {
			return r
		}
	}
	return other
}

func methodOf(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodOptions, http.MethodHead, http.MethodPut:
		return m
	}
	return other
}

// wrapHTTP counts requests and their latency. Streams (GET on an MCP path)
// are counted but not timed: their duration is the session's length.
func (m *Metrics) wrapHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := routeOf(r.URL.Path)
		m.httpRequests.WithLabelValues(route, methodOf(r.Method), strconv.Itoa(status/100)+"xx").Inc()
		if !(r.Method == http.MethodGet && isMCPPath(r.URL.Path)) {
			m.httpDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
	})
}

// toolMiddleware times tools/call and logs one line per call with its
// correlation id. The tool label is the tool's name when it is registered,
// else "other" (a model can send any name).
func (m *Metrics) toolMiddleware(log *slog.Logger) mcp.Middleware {
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			call, ok := req.(*mcp.CallToolRequest)
			if !ok || method != "tools/call" {
				return next(ctx, method, req)
			}
			tool := other
			if call.Params != nil && m.isTool(call.Params.Name) {
				tool = call.Params.Name
			}
			start := time.Now()
			res, err := next(ctx, method, req)
			d := time.Since(start)
			outcome := "ok"
			if err != nil {
				outcome = "rejected"
			} else if r, ok := res.(*mcp.CallToolResult); ok && r.IsError {
				outcome = "error"
			}
			m.toolCalls.WithLabelValues(tool, outcome).Inc()
			m.toolDuration.WithLabelValues(tool, outcome).Observe(d.Seconds())
			// The header first: the context of a Streamable HTTP session
			// carries the values of the request that opened it, so its
			// correlation id is the initialize request's, not this call's.
			cid := ""
			if call.Extra != nil && call.Extra.Header != nil {
				cid = requestid.Clean(call.Extra.Header.Get(CorrelationHeader))
			}
			if cid == "" {
				cid = requestid.From(ctx)
			}
			log.LogAttrs(ctx, slog.LevelInfo, "tool call",
				slog.String("correlation_id", cid),
				slog.String("tool", tool),
				slog.String("outcome", outcome),
				slog.Duration("duration", d))
			return res, err
		}
	}
}

// labelSet admits at most maxEndpoints distinct values, then "other".
type labelSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *Metrics) endpoint(backend, ep string) string {
	v, _ := m.endpoints.LoadOrStore(backend, &labelSet{seen: map[string]bool{}})
	s := v.(*labelSet)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[ep] {
		return ep
	}
	if len(s.seen) >= maxEndpoints {
		return other
	}
	s.seen[ep] = true
	return ep
}

// statusLabel keeps the codes worth telling apart and classes the rest.
func statusLabel(code int) string {
	switch code {
	case 0:
		return "error"
	case 200, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504:
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code/100) + "xx"
}

func (m *Metrics) observeBackend(backend, endpoint string, status int, d time.Duration) {
	ep := m.endpoint(backend, endpoint)
	m.backendRequests.WithLabelValues(backend, ep, statusLabel(status)).Inc()
	m.backendDuration.WithLabelValues(backend, ep).Observe(d.Seconds())
}

// WazuhObserver feeds the Manager API client's events into the metrics.
func (m *Metrics) WazuhObserver() wazuh.Observer {
	return wazuh.ObserverFuncs{
		Request: func(method, endpoint string, status int, dur time.Duration, cached bool) {
			if method == http.MethodGet {
				result := "miss"
				if cached {
					result = "hit"
				}
				m.cache.WithLabelValues("manager", result).Inc()
			}
			if !cached {
				m.observeBackend("manager", method+" "+endpoint, status, dur)
			}
		},
		Retry: func(string, int, string) { m.backendRetries.WithLabelValues("manager").Inc() },
		Breaker: func(_, to string) {
			m.breaker.WithLabelValues("manager").Set(breakerValue(to))
		},
	}
}

func breakerValue(state string) float64 {
	switch state {
	case "half-open":
		return 1
	case "open":
		return 2
	}
	return 0
}

// IndexerObserver feeds the indexer client's attempts into the metrics.
func (m *Metrics) IndexerObserver() indexer.Observer { return indexerObserver{m} }

type indexerObserver struct{ m *Metrics }

func (o indexerObserver) ObserveRequest(info indexer.RequestInfo) {
	o.m.observeBackend("indexer", info.Op, info.Status, info.Duration)
	if info.WillRetry {
		o.m.backendRetries.WithLabelValues("indexer").Inc()
	}
}

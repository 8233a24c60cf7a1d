// Package httpapi serves MCP over HTTP: Streamable HTTP at /mcp and /, the
// legacy HTTP+SSE transport at /sse, probes (/health, /ready), /metrics,
// /docs and /openapi.json. Middleware here makes the go-sdk handlers safe
// and compatible with the clients that exist: DNS-rebinding and Origin
// checks, CORS for allowed origins, body cap, rate limits, session cap,
// graceful drain, Accept normalisation, per-session JSON-RPC id
// de-duplication and request correlation ids.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// Options configure the handler.
type Options struct {
	Server         *mcp.Server
	AllowedOrigins []string      // exact origins allowed besides same-origin requests; CORS is answered for them
	SessionTimeout time.Duration // idle MCP sessions are closed after this
	MaxBodyBytes   int64         // request body cap (default 4 MiB)
	// BodyReadTimeout bounds how long a request body may take to arrive
	// (default 30s); headers are bounded by the http.Server (NewHTTPServer).
	BodyReadTimeout time.Duration
	Logger          *slog.Logger
	Version         string

	// AllowedHosts are the host names (port-agnostic) the server answers to
	// besides loopback names: see hostGuard (ALLOWED_HOSTS).
	AllowedHosts []string
	// TrustedProxies may set X-Forwarded-For (TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
	RateLimits     RateLimits
	MaxSessions    int // 0 = unlimited

	// Authenticate wraps the MCP transports (and /metrics when MetricsAuth)
	// with the server's authentication; nil = no authentication. It must
	// answer 401 to failed authentication and report rejected credentials
	// itself (Handler.RateLimiter().FailedAuth, Metrics.AuthFailure): 401
	// answers are not counted as such.
	Authenticate func(http.Handler) http.Handler
	// PrincipalKey names the authenticated caller of a request that went
	// through Authenticate ("" = anonymous), for per-principal rate limits.
	PrincipalKey func(*http.Request) string
	// MetricsAuth puts /metrics behind Authenticate (METRICS_AUTH); with no
	// Authenticate, /metrics is then refused (fail closed).
	MetricsAuth bool
	// Auth is the server's own authentication and per-scope catalogues
	// (auth.go). It is used when Authenticate is nil.
	Auth AuthOptions

	Metrics *Metrics     // nil = a fresh one (backend metrics then absent)
	Ready   []ReadyCheck // backends /ready probes
	// ReadyCacheTTL is how long a /ready answer is reused (default 5s).
	ReadyCacheTTL time.Duration
	Catalogue     Catalogue // registered tools, for /docs and the tool label

	// Approvals serves the approval page under /approvals/ (approval.NewPage).
	// It does its own sign-in with operator keys, so it is outside the MCP
	// authentication but behind the host guard, limits, metrics and logs.
	Approvals http.Handler
}

// Handler is the HTTP face of the server.
type Handler struct {
	http.Handler
	drain   *drainer
	limiter *RateLimiter
	metrics *Metrics
}

// NewHandler builds the HTTP handler.
func NewHandler(opts Options) http.Handler { return New(opts) }

// New builds the HTTP handler; its Drain method shuts it down gracefully.
func New(opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	if opts.BodyReadTimeout <= 0 {
		opts.BodyReadTimeout = DefaultBodyReadTimeout
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	h := &Handler{drain: newDrainer(), limiter: NewRateLimiter(opts.RateLimits), metrics: opts.Metrics}
	m := opts.Metrics
	names := make([]string, len(opts.Catalogue.Tools))
	for i, t := range opts.Catalogue.Tools {
		names[i] = t.Name
	}
	m.setTools(names)
	servers := []*mcp.Server{opts.Server}
	if opts.Auth.ReadServer != nil {
		servers = append(servers, opts.Auth.ReadServer)
	}
	m.sessionServers(servers)
	h.limiter.onReject = m.rateLimitRejected
	for _, srv := range servers {
		srv.AddReceivingMiddleware(h.drain.middleware, m.toolMiddleware(opts.Logger))
	}
	authn := newAuthLayer(opts)
	authn.metrics, authn.limiter = m, h.limiter
	getServer := authn.getServer
	streamable := mcp.NewStreamableHTTPHandler(getServer, &mcp.StreamableHTTPOptions{
		// Plain JSON replies: several clients send Accept: */* and parse only
		// JSON. Server-to-client requests travel on the GET stream.
		JSONResponse:        true,
		SessionTimeout:      opts.SessionTimeout,
		MaxRequestBodyBytes: opts.MaxBodyBytes,
		Logger:              opts.Logger,
		// hostGuard does the SDK's loopback Host check for every route and
		// also admits ALLOWED_HOSTS, which the SDK's check would refuse.
		DisableLocalhostProtection: true,
	})
	mcpHandler := normalizeAccept(rpcErrors(newIDDeduper(), streamable))
	sse := authn.sse.wrap(mcp.NewSSEHandler(getServer, &mcp.SSEOptions{MaxRequestBodyBytes: opts.MaxBodyBytes, DisableLocalhostProtection: true}))

	authenticate := opts.Authenticate
	if authenticate == nil {
		authenticate = authn.require
		if authn.opts.Mode != AuthNone {
			// /metrics with METRICS_AUTH uses the same authentication;
			// in AUTH_MODE=none there is none, and metricsRoute refuses.
			opts.Authenticate = authenticate
		}
	}
	principalKey := opts.PrincipalKey
	if principalKey == nil {
		principalKey = principalID
	}
	sessions := newSessionCap(servers, opts.MaxSessions, m.sessionRejected)
	protect := func(next http.Handler) http.Handler {
		return authenticate(h.limiter.limitPrincipal(principalKey, sessions.wrap(next)))
	}

	mux := http.NewServeMux()
	mux.Handle("/mcp", protect(mcpHandler))
	mux.Handle("/{$}", protect(mcpHandler)) // one base URL serves every client (mcp-remote, Autopilot)
	mux.Handle("/sse", protect(sse))
	mux.HandleFunc("GET /health", health(opts.Version))
	mux.Handle("GET /ready", newReadiness(opts.Ready, opts.ReadyCacheTTL))
	mux.Handle("GET /metrics", metricsRoute(opts, m))
	mux.Handle("GET /docs", docsHandler(opts.Version, opts.Catalogue, opts.MetricsAuth))
	mux.Handle("GET /openapi.json", openAPIHandler(opts.Version, opts.MetricsAuth))
	authn.routes(mux)
	if opts.Approvals != nil {
		mux.Handle("/approvals/", opts.Approvals)
	}

	var inner http.Handler = mux
	if h.limiter != nil {
		inner = h.limiter.limitIP(inner)
	}
	inner = limitBody(opts.MaxBodyBytes, opts.BodyReadTimeout, inner)
	inner = h.drain.wrap(inner)
	inner = newCORS(opts.AllowedOrigins).wrap(inner)
	inner = newOriginPolicy(opts.AllowedOrigins).wrap(inner)
	inner = newHostGuard(opts.AllowedHosts).wrap(inner)
	inner = m.wrapHTTP(inner)
	inner = withLogging(opts.Logger, inner)
	inner = proxies{trusted: opts.TrustedProxies}.wrap(inner)
	h.Handler = withRequestID(inner)
	return h
}

// Drain shuts the handler down gracefully: new requests get 503, requests
// and MCP calls in flight finish (or ctx ends), then streams are closed.
// Call it before http.Server.Shutdown.
func (h *Handler) Drain(ctx context.Context) error { return h.drain.Drain(ctx) }

// RateLimiter gives the limiter, for FailedAuth (nil when limits are off).
func (h *Handler) RateLimiter() *RateLimiter { return h.limiter }

// Metrics gives the metrics, for AuthFailure.
func (h *Handler) Metrics() *Metrics { return h.metrics }

func metricsRoute(opts Options, m *Metrics) http.Handler {
	if !opts.MetricsAuth {
		return m.Handler()
	}
	if opts.Authenticate == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			refuse(w, r, http.StatusForbidden, codeRefused, "METRICS_AUTH is on but no authentication is configured", 0)
		})
	}
	return opts.Authenticate(m.Handler())
}

func health(version string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok", "version": version})
	}
}

// principalID keys per-principal rate limits by the authenticated caller.
func principalID(r *http.Request) string {
	if p := auth.FromContext(r.Context()); p != nil {
		return p.ID
	}
	return ""
}

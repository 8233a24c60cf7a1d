// Package httpapi serves MCP over HTTP: Streamable HTTP at /mcp and /, the
// legacy HTTP+SSE transport at /sse, and /health. Middleware here makes the
// go-sdk handlers safe and compatible with the clients that exist: Origin
// checks, Accept normalisation, per-session JSON-RPC id de-duplication and
// request correlation ids.
package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Options configure the handler.
type Options struct {
	Server         *mcp.Server
	AllowedOrigins []string      // exact origins allowed besides same-origin requests
	SessionTimeout time.Duration // idle MCP sessions are closed after this
	MaxBodyBytes   int64         // request body cap (default 4 MiB)
	Logger         *slog.Logger
	Version        string
	Auth           AuthOptions // authentication and per-scope catalogues (auth.go)
}

// NewHandler builds the HTTP handler.
func NewHandler(opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	authn := newAuthLayer(opts)
	getServer := authn.getServer
	streamable := mcp.NewStreamableHTTPHandler(getServer, &mcp.StreamableHTTPOptions{
		// Plain JSON replies: several clients send Accept: */* and parse only
		// JSON. Server-to-client requests travel on the GET stream.
		JSONResponse:        true,
		SessionTimeout:      opts.SessionTimeout,
		MaxRequestBodyBytes: opts.MaxBodyBytes,
		Logger:              opts.Logger,
	})
	mcpHandler := authn.require(normalizeAccept(newIDDeduper().wrap(streamable)))
	sse := authn.require(authn.sse.wrap(mcp.NewSSEHandler(getServer, &mcp.SSEOptions{MaxRequestBodyBytes: opts.MaxBodyBytes})))

	mux := http.NewServeMux()
	mux.Handle("/mcp", mcpHandler)
	mux.Handle("/{$}", mcpHandler) // one base URL serves every client (mcp-remote, Autopilot)
	mux.Handle("/sse", sse)
	mux.HandleFunc("GET /health", health(opts.Version))
	authn.routes(mux)

	origins := newOriginPolicy(opts.AllowedOrigins)
	return withRequestID(withLogging(opts.Logger, origins.wrap(mux)))
}

func health(version string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok", "version": version})
	}
}

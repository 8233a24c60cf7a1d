package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// JSON-RPC error codes used for refusals made by the HTTP layer before a
// request reaches the MCP server (the implementation-defined server range).
const (
	codeRefused     = -32000 // generic refusal (rebinding Host, shutting down)
	codeRateLimited = -32029 // too many requests
	codeOverloaded  = -32003 // session limit reached
)

// isMCPPath reports whether a path is served by an MCP transport, whose
// clients expect a JSON-RPC error object rather than a plain JSON error.
func isMCPPath(path string) bool {
	return path == "/" || path == "/mcp" || path == "/sse" || strings.HasPrefix(path, "/mcp/")
}

// refuse answers a request the HTTP layer will not serve: a JSON-RPC error
// object (id null: the request was not read) on MCP paths, {"error": …}
// elsewhere. retryAfter > 0 adds a Retry-After header in whole seconds.
func refuse(w http.ResponseWriter, r *http.Request, status, code int, msg string, retryAfter time.Duration) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds(retryAfter)))
	}
	w.WriteHeader(status)
	var body any = map[string]string{"error": msg}
	if isMCPPath(r.URL.Path) {
		body = map[string]any{
			"jsonrpc": "2.0",
			"id":      nil,
			"error":   map[string]any{"code": code, "message": msg},
		}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// retryAfterSeconds rounds up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

package httpapi

import (
	"encoding/json"
	"net/http"
)

// obj is a JSON object literal.
type obj = map[string]any

func jsonContent(schemaRef string) obj {
	return obj{"application/json": obj{"schema": obj{"$ref": "#/components/schemas/" + schemaRef}}}
}

func resp(desc string, schemaRef string) obj {
	r := obj{"description": desc}
	if schemaRef != "" {
		r["content"] = jsonContent(schemaRef)
	}
	return r
}

// openAPI describes the HTTP endpoints (not the tools: those are listed by
// MCP tools/list and on /docs).
func openAPI(version string, metricsAuth bool) obj {
	if version == "" {
		version = "dev"
	}
	secured := []any{obj{"bearer": []any{}}}
	refusals := obj{
		"401": resp("Missing or invalid credentials (WWW-Authenticate says how to authenticate).", "Error"),
		"403": resp("Foreign Origin, Host not allowed (DNS rebinding protection) or insufficient scope.", "Error"),
		"413": resp("Request body over the limit.", "Error"),
		"429": obj{"description": "Rate limited; Retry-After gives the seconds to wait.",
			"headers": obj{"Retry-After": obj{"schema": obj{"type": "integer"}}}, "content": jsonContent("Error")},
	}
	with := func(base obj) obj {
		out := obj{}
		for k, v := range refusals {
			out[k] = v
		}
		for k, v := range base {
			out[k] = v
		}
		return out
	}
	sessionHeader := obj{"name": "Mcp-Session-Id", "in": "header", "schema": obj{"type": "string"},
		"description": "Session id returned by initialize; absent on initialize."}
	mcpOp := obj{
		"post": obj{
			"summary":     "MCP Streamable HTTP: send one JSON-RPC message",
			"parameters":  []any{sessionHeader},
			"requestBody": obj{"required": true, "content": jsonContent("JSONRPCMessage")},
			"responses": with(obj{
				"200": resp("JSON-RPC response (application/json). initialize answers with an Mcp-Session-Id header.", "JSONRPCMessage"),
				"202": resp("Notification or response accepted.", ""),
				"404": resp("Unknown or expired session: start a new one with initialize.", ""),
				"503": resp("Session limit reached (MAX_SESSIONS) or shutting down.", "JSONRPCMessage"),
			}),
			"security": secured,
		},
		"get": obj{
			"summary":    "Open the server-to-client SSE stream of a session",
			"parameters": []any{sessionHeader},
			"responses":  with(obj{"200": obj{"description": "text/event-stream"}}),
			"security":   secured,
		},
		"delete": obj{
			"summary":    "End a session",
			"parameters": []any{sessionHeader},
			"responses":  with(obj{"204": resp("Session ended.", "")}),
			"security":   secured,
		},
	}
	metricsOp := obj{"summary": "Prometheus metrics (text exposition format)",
		"responses": obj{"200": obj{"description": "text/plain; version=0.0.4"}}}
	if metricsAuth {
		metricsOp["security"] = secured
		metricsOp["responses"] = with(metricsOp["responses"].(obj))
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "wazuh-mcp HTTP endpoints", "version": version,
			"description": "MCP over Streamable HTTP and legacy SSE, probes, metrics and authentication. Tools are described by MCP tools/list and on /docs."},
		"paths": obj{
			"/mcp": mcpOp,
			"/":    mcpOp,
			"/sse": obj{
				"get": obj{"summary": "Legacy HTTP+SSE: open a stream; the first event (endpoint) gives the message URL",
					"responses": with(obj{"200": obj{"description": "text/event-stream"}, "503": resp("Session limit reached.", "JSONRPCMessage")}), "security": secured},
				"post": obj{"summary": "Legacy HTTP+SSE: send a message to a session (the reply arrives on the stream)",
					"parameters":  []any{obj{"name": "sessionid", "in": "query", "required": true, "schema": obj{"type": "string"}}},
					"requestBody": obj{"required": true, "content": jsonContent("JSONRPCMessage")},
					"responses":   with(obj{"202": resp("Accepted.", ""), "404": resp("Unknown session.", "")}), "security": secured},
			},
			"/health": obj{"get": obj{"summary": "Liveness", "responses": obj{"200": resp("Serving.", "Health")}}},
			"/ready": obj{"get": obj{"summary": "Readiness: Manager API and indexer reachability (cached a few seconds)",
				"responses": obj{"200": resp("Every configured backend answers.", "Ready"), "503": resp("A backend is failing; checks say which and why.", "Ready")}}},
			"/metrics": obj{"get": metricsOp},
			"/auth/token": obj{"post": obj{"summary": "Exchange an API key for a short-lived JWT (AUTH_MODE=bearer)",
				"requestBody": obj{"required": false, "content": obj{"application/json": obj{"schema": obj{"type": "object",
					"properties": obj{"api_key": obj{"type": "string"}}}}},
					"description": "The key as JSON {\"api_key\"} or as Authorization: Bearer <key>."},
				"responses": with(obj{"200": resp("Token issued.", "Token")})}},
			"/auth/validate": obj{"get": obj{"summary": "Check a token", "security": secured,
				"responses": with(obj{"200": obj{"description": "Valid token: its principal, scopes and expiry."}})}},
			"/.well-known/oauth-protected-resource": obj{"get": obj{"summary": "OAuth 2.0 protected resource metadata (RFC 9728; AUTH_MODE=oauth)",
				"responses": obj{"200": obj{"description": "Metadata: resource, authorization_servers, scopes_supported."}, "404": obj{"description": "Not in oauth mode."}}}},
			"/docs":         obj{"get": obj{"summary": "HTML page: HTTP endpoints and the tool catalogue", "responses": obj{"200": obj{"description": "text/html"}}}},
			"/openapi.json": obj{"get": obj{"summary": "This document", "responses": obj{"200": obj{"description": "application/json"}}}},
		},
		"components": obj{
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer",
				"description": "An API key, a JWT from /auth/token, or an OAuth access token, depending on AUTH_MODE."}},
			"schemas": obj{
				"JSONRPCMessage": obj{"type": "object", "required": []any{"jsonrpc"}, "properties": obj{
					"jsonrpc": obj{"const": "2.0"}, "id": obj{"type": []any{"string", "integer", "null"}},
					"method": obj{"type": "string"}, "params": obj{"type": "object"}, "result": obj{"type": "object"},
					"error": obj{"type": "object", "properties": obj{"code": obj{"type": "integer"}, "message": obj{"type": "string"}}}}},
				"Error": obj{"type": "object", "description": "{\"error\": message} on plain routes; a JSON-RPC error object on MCP routes.",
					"properties": obj{"error": obj{}}},
				"Health": obj{"type": "object", "properties": obj{"status": obj{"const": "ok"}, "version": obj{"type": "string"}}},
				"Ready": obj{"type": "object", "properties": obj{
					"status": obj{"enum": []any{"ready", "not_ready"}},
					"checks": obj{"type": "object", "additionalProperties": obj{"type": "object", "properties": obj{
						"status":     obj{"enum": []any{"ok", "failing", "not_configured"}},
						"error":      obj{"type": "string"},
						"latency_ms": obj{"type": "integer"}}}}}},
				"Token": obj{"type": "object", "properties": obj{
					"token": obj{"type": "string"}, "access_token": obj{"type": "string"},
					"token_type": obj{"const": "bearer"}, "expires_in": obj{"type": "integer"}}},
			},
		},
	}
}

func openAPIHandler(version string, metricsAuth bool) http.HandlerFunc {
	body, err := json.MarshalIndent(openAPI(version, metricsAuth), "", "  ")
	return func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			http.Error(w, "openapi: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

package httpapi

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

// Catalogue is what /docs shows about the tools this server registered.
type Catalogue struct {
	Toolsets []ToolsetDoc
	Tools    []ToolDoc
}

// ToolsetDoc describes a toolset.
type ToolsetDoc struct {
	Name, Description string
	Default           bool
}

// ToolDoc describes one registered tool.
type ToolDoc struct {
	Name, Title, Toolset, Description string
	Write                             bool
	Args                              []ArgDoc
}

// ArgDoc describes one argument of a tool.
type ArgDoc struct {
	Name, Type, Description string
	Required                bool
}

// CatalogueOf describes the registered tools from the registry: names,
// toolsets, descriptions and arguments from their input schemas.
func CatalogueOf(registered []tools.Tool) Catalogue {
	var c Catalogue
	used := map[string]bool{}
	for _, t := range registered {
		used[t.Toolset] = true
		c.Tools = append(c.Tools, ToolDoc{
			Name: t.Def.Name, Title: t.Def.Title, Toolset: t.Toolset,
			Description: t.Def.Description, Write: t.Write, Args: argsOf(t.Def.InputSchema),
		})
	}
	for _, ts := range tools.Toolsets() {
		if used[ts.Name] {
			c.Toolsets = append(c.Toolsets, ToolsetDoc{Name: ts.Name, Description: ts.Description, Default: ts.Default})
		}
	}
	sort.SliceStable(c.Tools, func(i, j int) bool {
		if c.Tools[i].Toolset != c.Tools[j].Toolset {
			return toolsetRank(c.Toolsets, c.Tools[i].Toolset) < toolsetRank(c.Toolsets, c.Tools[j].Toolset)
		}
		return c.Tools[i].Name < c.Tools[j].Name
	})
	return c
}

func toolsetRank(sets []ToolsetDoc, name string) int {
	return slices.IndexFunc(sets, func(s ToolsetDoc) bool { return s.Name == name })
}

// argsOf reads the properties of a JSON schema (whatever Go type holds it):
// required arguments first, then by name.
func argsOf(schema any) []ArgDoc {
	b, err := json.Marshal(schema)
	if err != nil {
		return nil
	}
	var s struct {
		Properties map[string]struct {
			Type        any    `json:"type"`
			Description string `json:"description"`
			Enum        []any  `json:"enum"`
			Items       *struct {
				Type any `json:"type"`
			} `json:"items"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	var out []ArgDoc
	for name, p := range s.Properties {
		typ := typeName(p.Type)
		if typ == "array" && p.Items != nil {
			typ = "array of " + typeName(p.Items.Type)
		}
		desc := p.Description
		if len(p.Enum) > 0 {
			vals := make([]string, len(p.Enum))
			for i, v := range p.Enum {
				vals[i] = fmt.Sprint(v)
			}
			desc = strings.TrimSpace(desc + " (one of: " + strings.Join(vals, ", ") + ")")
		}
		out = append(out, ArgDoc{Name: name, Type: typ, Description: desc, Required: slices.Contains(s.Required, name)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Required != out[j].Required {
			return out[i].Required
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func typeName(t any) string {
	switch v := t.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, 0, len(v))
		for _, p := range v {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, " or ")
	}
	return "any"
}

// endpointDoc is one row of the HTTP endpoint table.
type endpointDoc struct{ Method, Path, Auth, Description string }

func endpointDocs(metricsAuth bool) []endpointDoc {
	metrics := "none"
	if metricsAuth {
		metrics = "same as /mcp (METRICS_AUTH=true)"
	}
	return []endpointDoc{
		{"POST, GET, DELETE", "/mcp (and /)", "bearer key, JWT or OAuth token (AUTH_MODE)", "MCP Streamable HTTP: JSON-RPC requests, the server-to-client stream (GET) and session end (DELETE). Mcp-Session-Id identifies the session."},
		{"GET, POST", "/sse", "as /mcp", "Legacy HTTP+SSE transport: GET opens the stream and announces the message URL; POST /sse?sessionid=… sends messages."},
		{"GET", "/health", "none", "Liveness: 200 while the process serves HTTP."},
		{"GET", "/ready", "none", "Readiness: Manager API and indexer reachability, cached a few seconds; 503 with reasons when a configured backend fails."},
		{"GET", "/metrics", metrics, "Prometheus metrics: requests, tool calls, backend calls, breaker, cache, rate limits, sessions, auth failures."},
		{"POST", "/auth/token", "API key", "Exchange an API key for a short-lived JWT (bearer mode)."},
		{"GET", "/auth/validate", "JWT", "Check a token."},
		{"GET", "/.well-known/oauth-protected-resource", "none", "OAuth protected resource metadata (oauth mode)."},
		{"GET", "/docs", "none", "This page."},
		{"GET", "/openapi.json", "none", "OpenAPI 3.1 description of these endpoints."},
	}
}

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wazuh-mcp {{.Version}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1d2733}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}code{background:#f3f5f7;padding:0 .2rem}h3{margin-bottom:.2rem}.w{color:#b42318;font-weight:600}.muted{color:#57606a}
</style></head><body>
<h1>wazuh-mcp <small class="muted">{{.Version}}</small></h1>
<p>An MCP server for Wazuh. Connect an MCP client to <code>/mcp</code> (Streamable HTTP) or <code>/sse</code> (legacy SSE).
Machine-readable description of the HTTP endpoints: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>HTTP endpoints</h2>
<table><tr><th>Method</th><th>Path</th><th>Authentication</th><th>Description</th></tr>
{{range .Endpoints}}<tr><td>{{.Method}}</td><td><code>{{.Path}}</code></td><td>{{.Auth}}</td><td>{{.Description}}</td></tr>
{{end}}</table>
<h2>Tools ({{len .Catalogue.Tools}})</h2>
{{range $ts := .Catalogue.Toolsets}}<h3 id="toolset-{{.Name}}">{{.Name}}{{if .Default}} <small class="muted">(default)</small>{{end}}</h3>
<p class="muted">{{.Description}}</p>
<table><tr><th>Tool</th><th>Description</th><th>Arguments</th></tr>
{{range $.Catalogue.Tools}}{{if eq .Toolset $ts.Name}}<tr id="tool-{{.Name}}"><td><code>{{.Name}}</code>{{if .Write}} <span class="w">write</span>{{end}}<br><span class="muted">{{.Title}}</span></td>
<td>{{.Description}}</td><td>{{range .Args}}<code>{{.Name}}</code>{{if .Required}} <b>required</b>{{end}} <span class="muted">{{.Type}}</span>{{with .Description}}: {{.}}{{end}}<br>{{else}}<span class="muted">none</span>{{end}}</td></tr>
{{end}}{{end}}</table>
{{end}}
</body></html>
`))

func docsHandler(version string, cat Catalogue, metricsAuth bool) http.HandlerFunc {
	data := struct {
		Version   string
		Endpoints []endpointDoc
		Catalogue Catalogue
	}{version, endpointDocs(metricsAuth), cat}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if err := docsPage.Execute(w, data); err != nil {
			http.Error(w, "docs: "+err.Error(), http.StatusInternalServerError)
		}
	}
}

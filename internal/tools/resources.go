package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Resources let clients that browse rather than call (an "attach" menu,
// @-mentions) read one agent, alert or rule. They answer with the same JSON
// as the matching tools (get_agent, get_alert, get_rule), with the same
// redaction (server defaults: internal IPs hidden unless the server sets
// include_ips) and fencing.

const (
	resourceScheme = "wazuh"
	jsonMIME       = "application/json"
	// maxListedAgents bounds the agents resources/list names as concrete
	// resources: enough to browse a lab or a small site, never the whole
	// inventory of a large fleet (the template and completions cover the rest).
	maxListedAgents = 50
)

// resourceTemplate is one wazuh://<kind>/{id} template.
type resourceTemplate struct {
	kind    string // path root: agents, alerts, rules
	tool    string // the tool whose answer it serves; registered only with it
	def     *mcp.ResourceTemplate
	resolve func(ctx context.Context, d Deps, id string) (any, error)
}

func resourceTemplates() []resourceTemplate {
	return []resourceTemplate{
		{
			kind: "agents",
			tool: "get_agent",
			def: &mcp.ResourceTemplate{
				Name: "agent", Title: "Wazuh agent", URITemplate: "wazuh://agents/{id}", MIMEType: jsonMIME,
				Description: "One agent from the Wazuh Manager: status, OS, version, groups, keepalive (get_agent).",
			},
			resolve: resolveAgent,
		},
		{
			kind: "alerts",
			tool: "get_alert",
			def: &mcp.ResourceTemplate{
				Name: "alert", Title: "Wazuh alert", URITemplate: "wazuh://alerts/{id}", MIMEType: jsonMIME,
				Description: "One alert from the Wazuh indexer by alert id or document _id (get_alert); raw host text under untrusted.",
			},
			resolve: resolveAlert,
		},
		{
			kind: "rules",
			tool: "get_rule",
			def: &mcp.ResourceTemplate{
				Name: "rule", Title: "Wazuh rule", URITemplate: "wazuh://rules/{id}", MIMEType: jsonMIME,
				Description: "One Wazuh rule by id: level, description, groups, file, MITRE and compliance tags.",
			},
			resolve: resolveRule,
		},
	}
}

// addResources registers the templates and the agent listing of the tools
// in registered: a resource is the same read as its tool, so an operator
// who leaves get_alert out (toolsets, disabled tools) leaves
// wazuh://alerts/{id} out too, rather than have resources/read bypass the
// selection.
func addResources(srv *mcp.Server, d Deps, log *slog.Logger, registered map[string]bool) {
	for _, rt := range resourceTemplates() {
		if registered[rt.tool] {
			srv.AddResourceTemplate(rt.def, rt.handler(d))
		}
	}
	if d.Store != nil {
		srv.AddResourceTemplate(evidenceTemplate, evidenceResource(d)) // evidence.go
	}
	if registered["get_agent"] {
		srv.AddReceivingMiddleware(listAgentResources(d, log))
	}
}

func (rt resourceTemplate) handler(d Deps) mcp.ResourceHandler {
	return func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		uri := req.Params.URI
		id, err := resourceID(uri, rt.kind)
		if err != nil {
			return nil, resourceNotFound(uri, err)
		}
		out, err := rt.resolve(ctx, d, id)
		if err != nil {
			var argErr *args.Error
			if errors.As(err, &argErr) || errors.Is(err, wazuh.ErrNotFound) || errors.Is(err, indexer.ErrNotFound) {
				return nil, resourceNotFound(uri, err)
			}
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "reading " + policy.Fence(uri, 256) + ": " + errorText(err)}
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", rt.kind, err)
		}
		if lim := d.limits().maxResultBytes; len(b) > lim {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: fmt.Sprintf("%s is %d KiB, over this server's %d KiB result limit", policy.Fence(uri, 256), len(b)>>10, lim>>10)}
		}
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: jsonMIME, Text: string(b)}}}, nil
	}
}

// resourceID extracts the id of wazuh://<kind>/<id>.
func resourceID(uri, kind string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != resourceScheme || u.Host != kind || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("not a wazuh://%s/{id} URI", kind)
	}
	id := strings.TrimPrefix(u.Path, "/")
	if id == "" || strings.Contains(id, "/") {
		return "", fmt.Errorf("not a wazuh://%s/{id} URI", kind)
	}
	return id, nil
}

// resourceNotFound is the MCP "resource not found" error (code -32602 since
// the 2025-11-25 spec; the SDK's ResourceNotFoundError) with the reason.
func resourceNotFound(uri string, reason error) error {
	data, _ := json.Marshal(map[string]string{"uri": uri})
	return &jsonrpc.Error{
		Code:    mcp.CodeResourceNotFound,
		Message: "Resource not found: " + errorText(reason),
		Data:    data,
	}
}

func resolveAgent(ctx context.Context, d Deps, id string) (any, error) {
	return d.getAgent(ctx, &agentIDIn{AgentID: args.String(id)})
}

func resolveAlert(ctx context.Context, d Deps, id string) (any, error) {
	out, err := d.getAlert(ctx, &getAlertIn{AlertID: args.String(id)})
	if err != nil {
		return nil, err
	}
	out.AddNote("include_ip is the server default here; call get_alert with include_ip for internal addresses")
	return out, nil
}

// resolveRule serves wazuh://rules/{id} with get_rule's answer.
func resolveRule(ctx context.Context, d Deps, raw string) (any, error) {
	id, err := args.RuleID("id", raw)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, args.Errorf("id", "%q is not a rule id", raw)
	}
	return d.getRule(ctx, &getRuleIn{RuleID: args.String(id)})
}

// listAgentResources adds up to maxListedAgents agents (by id) to the
// first page of resources/list, so that browsing clients can attach one.
// The Manager's answer is cached by the client; if it fails, the list is
// returned without agents and the failure is logged: listing must not
// break a session over a backend hiccup.
func listAgentResources(d Deps, log *slog.Logger) mcp.Middleware {
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			res, err := next(ctx, method, req)
			if err != nil || method != "resources/list" || d.Wazuh == nil {
				return res, err
			}
			list, ok := res.(*mcp.ListResourcesResult)
			if !ok || list.NextCursor != "" {
				return res, err
			}
			if p, ok := req.GetParams().(*mcp.ListResourcesParams); ok && p != nil && p.Cursor != "" {
				return res, err
			}
			page, aerr := d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{Limit: maxListedAgents, Sort: "+id", Select: []string{"id", "name", "status", "os.name", "os.version"}})
			if aerr != nil {
				if log != nil {
					log.WarnContext(ctx, "resources/list: agents not listed", "error", errorText(aerr))
				}
				return res, nil
			}
			for _, a := range page.Items {
				list.Resources = append(list.Resources, agentResource(a))
			}
			return list, nil
		}
	}
}

func agentResource(a wazuh.Agent) *mcp.Resource {
	id := policy.Fence(a.ID, 16)
	name := policy.Fence(a.Name, 128)
	desc := fmt.Sprintf("Wazuh agent %s (%s", name, policy.Fence(a.Status, 32))
	if osName := strings.TrimSpace(a.OS.Name + " " + a.OS.Version); osName != "" {
		desc += ", " + policy.Fence(osName, 128)
	}
	return &mcp.Resource{
		URI: "wazuh://agents/" + url.PathEscape(id), Name: "agent-" + id, Title: name,
		Description: desc + ")", MIMEType: jsonMIME,
	}
}

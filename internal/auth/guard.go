package auth

import (
	"context"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// GuardWrite wraps a write tool's handler as a second line of defence
// behind the per-scope catalogues: the call runs only for a caller holding
// wazuh:write. The caller is the request's token info (Streamable HTTP) or
// the principal of the session's context (legacy SSE). With neither, the
// call runs only when requirePrincipal is false (stdio: the operator who
// started the process).
func GuardWrite(h mcp.ToolHandler, requirePrincipal bool) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if !mayWrite(ctx, req, requirePrincipal) {
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{
				Text: "permission denied: this tool changes Wazuh and needs the " + ScopeWrite + " scope; this credential has read access only",
			}}}, nil
		}
		return h(ctx, req)
	}
}

func mayWrite(ctx context.Context, req *mcp.CallToolRequest, requirePrincipal bool) bool {
	if req != nil && req.Extra != nil && req.Extra.TokenInfo != nil {
		return slices.Contains(req.Extra.TokenInfo.Scopes, ScopeWrite)
	}
	if p := FromContext(ctx); p != nil {
		return p.CanWrite()
	}
	return !requirePrincipal
}

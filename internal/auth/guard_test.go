package auth

import (
	"context"
	"testing"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestGuardWrite(t *testing.T) {
	ran := false
	h := GuardWrite(func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ran = true
		return &mcp.CallToolResult{}, nil
	}, true)
	reader := &Principal{ID: "r", Scopes: []string{ScopeRead}}
	writer := &Principal{ID: "w", Scopes: []string{ScopeRead, ScopeWrite}}
	withInfo := func(p *Principal) *mcp.CallToolRequest {
		return &mcp.CallToolRequest{Extra: &mcp.RequestExtra{TokenInfo: p.TokenInfo()}}
	}
	tests := []struct {
		name string
		ctx  context.Context
		req  *mcp.CallToolRequest
		want bool
	}{
		{"token info with write", context.Background(), withInfo(writer), true},
		{"token info with read", context.Background(), withInfo(reader), false},
		{"token info wins over context", WithPrincipal(context.Background(), writer), withInfo(reader), false},
		{"empty token info", context.Background(), &mcp.CallToolRequest{Extra: &mcp.RequestExtra{TokenInfo: &mcpauth.TokenInfo{}}}, false},
		{"session principal with write", WithPrincipal(context.Background(), writer), &mcp.CallToolRequest{}, true},
		{"session principal with read", WithPrincipal(context.Background(), reader), &mcp.CallToolRequest{}, false},
		{"nobody", context.Background(), &mcp.CallToolRequest{}, false},
	}
	for _, tt := range tests {
		ran = false
		res, err := h(tt.ctx, tt.req)
		if err != nil || ran != tt.want || res.IsError == tt.want {
			t.Errorf("%s: ran=%v isError=%v err=%v, want ran=%v", tt.name, ran, res.IsError, err, tt.want)
		}
	}
	// Without requirePrincipal (stdio) an anonymous call runs.
	ran = false
	if _, _ = GuardWrite(func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ran = true
		return &mcp.CallToolResult{}, nil
	}, false)(context.Background(), &mcp.CallToolRequest{}); !ran {
		t.Error("stdio call did not run")
	}
}

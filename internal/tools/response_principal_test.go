package tools

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// Write proposals and evidence packs name the caller as the audit log
// does: the request's token, else the principal of the context (legacy
// SSE), else the local operator. They once skipped the context.
func TestCallerIsNamedLikeTheAuditLog(t *testing.T) {
	sse := &auth.Principal{ID: "key_sse01", Name: "sse-bot", Kind: auth.KindAPIKey, Delegated: true}
	token := (&auth.Principal{ID: "key_http01", Name: "http-bot", Kind: auth.KindJWT}).TokenInfo()
	for _, tt := range []struct {
		name      string
		ctx       *auth.Principal
		token     *mcpauth.TokenInfo
		id, pname string
		kind      string
		delegated bool
	}{
		{"token", sse, token, "key_http01", "http-bot", "jwt", false},
		{"sse principal in the context", sse, nil, "key_sse01", "sse-bot", "api_key", true},
		{"nobody", nil, nil, "local", "local operator (stdio or loopback without authentication)", "local", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := &mcp.CallToolRequest{Extra: &mcp.RequestExtra{TokenInfo: tt.token}}
			ctx := context.WithValue(context.Background(), callRequestKey{}, req)
			if tt.ctx != nil {
				ctx = auth.WithPrincipal(ctx, tt.ctx)
			}
			r := requester(ctx)
			if r.ID != tt.id || r.Name != tt.pname || r.Kind != tt.kind || r.Delegated != tt.delegated {
				t.Errorf("requester %+v, want %s %q %s delegated=%v", r, tt.id, tt.pname, tt.kind, tt.delegated)
			}
			if got := principalID(ctx, req); got != tt.id {
				t.Errorf("evidence manifest principal %q, want %q", got, tt.id)
			}
			var rec struct {
				Principal string `json:"principal"`
			}
			if err := json.Unmarshal(evidenceAudit(ctx, req, time.Now(), &EvidencePack{ID: "evp_x"}).Record, &rec); err != nil || rec.Principal != tt.id {
				t.Errorf("evidence audit principal %q (%v), want %q", rec.Principal, err, tt.id)
			}
		})
	}
}

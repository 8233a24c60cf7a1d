package tools

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
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

// An action whose outcome is unknown (failed_unknown) may have taken
// effect: the checks answer null with a note, not false.
func TestChecksTreatFailedUnknownAsUndecided(t *testing.T) {
	for _, tt := range []struct {
		tool  string
		args  map[string]any
		check string
		cargs map[string]any
		field string
	}{
		{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.77"}, "wazuh_check_blocked_ip", map[string]any{"ip_address": "203.0.113.77"}, "blocked"},
		{"wazuh_disable_user", map[string]any{"username": "mallory"}, "wazuh_check_user_status", map[string]any{"username": "mallory"}, "disabled"},
	} {
		t.Run(tt.tool, func(t *testing.T) {
			e := newRespEnv(t, respOptions{})
			agent := e.activeAgents(t)[0]
			tt.args["agent_id"], tt.cargs["agent_id"] = agent, agent
			out, res := e.callAction(t, tt.tool, tt.args)
			if res.IsError || out.Status != "pending" {
				t.Fatalf("proposal: %+v", out)
			}
			e.sim.ManagerFaults.Set(faults.Settings{NextDrops: 1, ExcludePaths: []string{loginPath}})
			if _, err := e.gate.Approve(context.Background(), out.Action.ID, out.Action.PlanHash, operator); err != nil {
				t.Fatal(err)
			}
			e.waitStatus(t, out.Action.ID, approval.FailedUnknown)

			var top map[string]json.RawMessage
			var got Result
			r := e.call(t, tt.check, tt.cargs, nil)
			text := r.Content[0].(*mcp.TextContent).Text
			if r.IsError || json.Unmarshal([]byte(text), &top) != nil || json.Unmarshal([]byte(text), &got) != nil {
				t.Fatalf("%s: %s", tt.check, text)
			}
			if v := string(top[tt.field]); v != "null" {
				t.Errorf("%s = %s, want null", tt.field, v)
			}
			if !slices.ContainsFunc(got.Notes, func(n string) bool {
				return strings.Contains(n, out.Action.ID) && strings.Contains(n, "failed_unknown")
			}) {
				t.Errorf("notes %q do not name the failed_unknown action %s", got.Notes, out.Action.ID)
			}
		})
	}
}

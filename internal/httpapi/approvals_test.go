package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth/keytest"
)

// TestOperatorKeysOnlyOpenTheApprovalPage mounts the approval page and
// checks both directions: an operator key is refused by every MCP way in
// (403 with words saying where it belongs) and signs in to the page; MCP
// keys are refused by the page and work on MCP.
func TestOperatorKeysOnlyOpenTheApprovalPage(t *testing.T) {
	ctx := context.Background()
	st := keytest.Store(t)
	mk := func(name, scope string) string { k, _ := keytest.Create(t, st, name, scope, time.Now()); return k }
	opKey, readKey, writeKey := mk("alice", auth.KeyScopeOperator), mk("reader", "read"), mk("writer", "write")
	b, err := auth.NewBearer(auth.BearerConfig{Store: st, Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	full, read := servers(t)
	ops := auth.NewOperatorKeys(st, nil)
	page := approval.NewPage(approval.New(st, nil, approval.Options{}), approval.PageOptions{
		VerifyOperator: approval.PageVerifier(ops), OperatorActive: ops.ActiveOperator,
		ClientIP: func(r *http.Request) string { return ClientIP(r.Context()) }})
	ts := httptest.NewServer(NewHandler(Options{Server: full, Logger: nil, Version: "test", SessionTimeout: time.Minute,
		Auth: AuthOptions{Mode: AuthBearer, Verifier: b, Exchanger: b, ReadServer: read}, Approvals: page}))
	t.Cleanup(ts.Close)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	do := func(method, path, authz, body, ctype string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Accept", "application/json, text/event-stream")
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		resp, err := noRedirect.Do(req.WithContext(ctx))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out strings.Builder
		// /sse streams: read what is there, not to the end.
		buf := make([]byte, 4096)
		n, _ := io.ReadAtLeast(resp.Body, buf, 1)
		out.Write(buf[:n])
		return resp, out.String()
	}
	for _, ep := range append(mcpEndpoints, endpoint{"POST", "/auth/token", ""}) {
		resp, body := do(ep.method, ep.path, bearer(opKey), ep.body, "application/json")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, auth.OperatorKeyOnly) ||
			!strings.Contains(resp.Header.Get("WWW-Authenticate"), auth.OperatorKeyOnly) {
			t.Errorf("operator key on %s %s: %d %q %q", ep.method, ep.path, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
		}
	}
	if resp, body := do("POST", "/auth/token", "", `{"api_key":"`+opKey+`"}`, "application/json"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, auth.OperatorKeyOnly) {
		t.Errorf("operator key in the token body: %d %s", resp.StatusCode, body)
	}
	for _, k := range []string{readKey, writeKey} {
		if resp, _ := do("POST", "/mcp", bearer(k), initBody, "application/json"); resp.StatusCode != http.StatusOK {
			t.Errorf("MCP key on /mcp: %d", resp.StatusCode)
		}
	}

	// The page is outside MCP authentication, behind the host guard.
	resp, body := do("GET", "/approvals/", "", "", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Operator key") || resp.Header.Get("Content-Security-Policy") != approval.PageCSP ||
		resp.Header.Get(CorrelationHeader) == "" {
		t.Fatalf("GET /approvals/: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := do("GET", "/approvals", "", "", ""); resp.StatusCode/100 != 3 || resp.Header.Get("Location") != "/approvals/" {
		t.Errorf("GET /approvals: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest("GET", ts.URL+"/approvals/", nil)
	req.Host = "evil.example"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host on /approvals/: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	login := func(key string) *http.Response {
		resp, _ := do("POST", "/approvals/login", "", url.Values{"key": {key}}.Encode(), "application/x-www-form-urlencoded")
		return resp
	}
	for _, k := range []string{readKey, writeKey} {
		if resp := login(k); resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
			t.Errorf("MCP key signed in to the page: %d %v", resp.StatusCode, resp.Cookies())
		}
	}
	resp = login(opKey)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("operator sign-in: %d %v", resp.StatusCode, resp.Cookies())
	}
	// Metrics name the route without the action id.
	if routeOf("/approvals/act_abc/approve") != "/approvals" {
		t.Errorf("route label %q", routeOf("/approvals/act_abc/approve"))
	}
}

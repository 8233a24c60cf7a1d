package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth/authtest"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.WriteString(string(p))
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// authEnv is an HTTP server with authentication, a read tool (echo) and a
// write tool (wipe), and credentials of every kind.
type authEnv struct {
	ts       *httptest.Server
	logs     *lockedBuffer
	mu       sync.Mutex
	failures map[string]int
	secrets  []string // must never appear in the logs

	readKey, writeKey, envKey           string
	readJWT, expiredJWT, revokedJWT     string
	revokedKey                          string
	oauth                               *authtest.IdP
	oauthRead, oauthWrite, oauthNoScope string
}

const (
	basicPassword = "hunter2-wazuh-pass"
	publicURL     = "https://mcp.example.com/mcp"
)

// servers builds the full catalogue (echo, wipe) and the read catalogue
// (echo). wipe is guarded as the CLI guards write tools. Their sessions
// are closed when t ends.
func servers(t *testing.T) (full, read *mcp.Server) {
	echo := func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo"}}}, nil
	}
	wipe := auth.GuardWrite(func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "wiped"}}}, nil
	}, true)
	schema := &jsonschema.Schema{Type: "object"}
	full = mcp.NewServer(&mcp.Implementation{Name: "full", Version: "0"}, nil)
	full.AddTool(&mcp.Tool{Name: "echo", InputSchema: schema}, echo)
	full.AddTool(&mcp.Tool{Name: "wipe", InputSchema: schema}, wipe)
	read = mcp.NewServer(&mcp.Implementation{Name: "read", Version: "0"}, nil)
	read.AddTool(&mcp.Tool{Name: "echo", InputSchema: schema}, echo)
	closeSessionsAtEnd(t, full, read)
	return full, read
}

func newAuthEnv(t *testing.T, mode string, withReadServer bool) *authEnv {
	t.Helper()
	return newAuthEnvWith(t, mode, withReadServer, nil)
}

// newAuthEnvWith is newAuthEnv with the handler's other options set by mod.
func newAuthEnvWith(t *testing.T, mode string, withReadServer bool, mod func(*Options)) *authEnv {
	t.Helper()
	e := &authEnv{logs: &lockedBuffer{}, failures: map[string]int{}}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	full, read := servers(t)
	opts := AuthOptions{Mode: mode, OnFailure: func(r *http.Request, reason string) {
		e.mu.Lock()
		e.failures[reason]++
		e.mu.Unlock()
	}}
	if withReadServer {
		opts.ReadServer = read
	}
	switch mode {
	case AuthBearer:
		b := e.bearer(t, log)
		opts.Verifier, opts.Exchanger = b, b
	case AuthOAuth:
		e.oauth = authtest.NewIdP(t, "/realms/soc/.well-known/openid-configuration")
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		o, err := auth.NewOAuth(ctx, auth.OAuthConfig{Issuer: e.oauth.Issuer(), Audiences: []string{publicURL}, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		opts.Verifier, opts.ResourceURL, opts.AuthorizationServers = o, publicURL, []string{e.oauth.Issuer()}
		e.oauthRead = e.oauth.Mint(t, "RS256", e.oauth.Claims(publicURL, "openid wazuh:read"))
		e.oauthWrite = e.oauth.Mint(t, "ES256", e.oauth.Claims(publicURL, "wazuh:write"))
		e.oauthNoScope = e.oauth.Mint(t, "RS256", e.oauth.Claims(publicURL, "openid profile"))
		e.secrets = append(e.secrets, e.oauthRead, e.oauthWrite, e.oauthNoScope)
	}
	o := Options{Server: full, SessionTimeout: time.Minute, Logger: log, Version: "test", Auth: opts}
	if mod != nil {
		mod(&o)
	}
	e.ts = httptest.NewServer(NewHandler(o))
	t.Cleanup(e.ts.Close)
	t.Cleanup(func() { e.checkLogs(t) })
	return e
}

// bearer makes a store with keys and the tokens the tests need.
func (e *authEnv) bearer(t *testing.T, log *slog.Logger) *auth.Bearer {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	mk := func(name, scope string) string {
		key, id := auth.NewKey()
		if err := st.CreateAPIKey(ctx, store.APIKey{ID: id, Name: name, Scope: scope, Hash: auth.HashKey(key), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return key
	}
	e.readKey, e.writeKey, e.revokedKey = mk("reader", "read"), mk("writer", "write"), mk("gone", "write")
	e.envKey = "env key chosen by an operator"
	secret := []byte("0123456789abcdef0123456789abcdef")
	cfg := auth.BearerConfig{Store: st, EnvKey: strings.ReplaceAll(e.envKey, " ", "-"), Secret: secret, Logger: log}
	e.envKey = cfg.EnvKey
	b, err := auth.NewBearer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := b.Exchange(ctx, e.readKey)
	if err != nil {
		t.Fatal(err)
	}
	e.readJWT = tok.Value
	tok, p, err := b.Exchange(ctx, e.revokedKey)
	if err != nil {
		t.Fatal(err)
	}
	e.revokedJWT = tok.Value
	if _, err := st.RevokeAPIKey(ctx, p.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	past := cfg
	past.Now = func() time.Time { return time.Now().Add(-3 * time.Hour) }
	old, err := auth.NewBearer(past)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err = old.Exchange(ctx, e.readKey)
	if err != nil {
		t.Fatal(err)
	}
	e.expiredJWT = tok.Value
	e.secrets = append(e.secrets, e.readKey, e.writeKey, e.revokedKey, e.envKey, e.readJWT, e.revokedJWT, e.expiredJWT)
	return b
}

// checkLogs fails when any credential reached the log output.
func (e *authEnv) checkLogs(t *testing.T) {
	logs := e.logs.String()
	if !strings.Contains(logs, "authentication failed") {
		t.Errorf("the log has no failed authentication at all; the leak check would prove nothing:\n%s", logs)
	}
	for _, s := range append(slices.Clone(e.secrets), basicPassword, basicAuth()) {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("a credential appears in the logs: %.12s…", s)
		}
		// JWT payloads and signatures on their own are secrets too.
		for _, part := range strings.Split(s, ".") {
			if len(part) >= 16 && strings.Contains(logs, part) {
				t.Errorf("part of a credential appears in the logs: %.12s…", part)
			}
		}
	}
}

func basicAuth() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte("wazuh:"+basicPassword))
}

// request sends one request with an Authorization header value (none when
// empty) and returns the status, the challenge and the body. SSE streams
// are cut after the headers.
func (e *authEnv) request(t *testing.T, method, path, authz, body string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b []byte
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ = io.ReadAll(resp.Body)
	}
	return resp.StatusCode, resp.Header.Get("WWW-Authenticate"), string(b)
}

func bearer(tok string) string { return "Bearer " + tok }

type endpoint struct{ method, path, body string }

var mcpEndpoints = []endpoint{
	{"POST", "/mcp", initBody},
	{"POST", "/", initBody},
	{"GET", "/sse", ""},
	{"GET", "/auth/validate", ""},
}

// challengeWant describes the expected WWW-Authenticate header.
type challengeWant struct {
	status  int
	errCode string // "" means no error= parameter
}

func checkChallenge(t *testing.T, e *authEnv, mode, what string, status int, challenge string, want challengeWant) {
	t.Helper()
	if status != want.status {
		t.Errorf("%s: status %d, want %d", what, status, want.status)
		return
	}
	if want.status < 400 {
		return
	}
	if !strings.HasPrefix(challenge, "Bearer ") {
		t.Errorf("%s: WWW-Authenticate %q", what, challenge)
	}
	hasErr := strings.Contains(challenge, "error=")
	if want.errCode == "" && hasErr || want.errCode != "" && !strings.Contains(challenge, `error="`+want.errCode+`"`) {
		t.Errorf("%s: WWW-Authenticate %q, want error code %q", what, challenge, want.errCode)
	}
	if mode == AuthOAuth {
		meta := `resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"`
		if !strings.Contains(challenge, meta) || !strings.Contains(challenge, `scope="wazuh:read"`) {
			t.Errorf("%s: WWW-Authenticate %q lacks %s and the scope", what, challenge, meta)
		}
	}
}

func TestBearerEndpoints(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	unauth := challengeWant{401, ""}
	invalid := challengeWant{401, "invalid_token"}
	ok := challengeWant{200, ""}
	creds := []struct {
		name  string
		authz string
		want  challengeWant
		token challengeWant // POST /auth/token with this credential
	}{
		{"no token", "", unauth, unauth},
		{"malformed (Basic)", basicAuth(), invalid, invalid},
		{"malformed (two words)", "Bearer a b", invalid, invalid},
		{"wrong key", bearer("not-a-key-at-all-0123456789"), invalid, invalid},
		{"expired JWT", bearer(e.expiredJWT), invalid, invalid},
		{"revoked key's JWT", bearer(e.revokedJWT), invalid, invalid},
		{"revoked key", bearer(e.revokedKey), invalid, invalid},
		{"read key", bearer(e.readKey), ok, ok},
		{"write key", bearer(e.writeKey), ok, ok},
		{"env key", bearer(e.envKey), ok, ok},
		{"read JWT", bearer(e.readJWT), ok, invalid}, // a JWT is not exchanged for another
	}
	for _, c := range creds {
		for _, ep := range mcpEndpoints {
			status, challenge, _ := e.request(t, ep.method, ep.path, c.authz, ep.body)
			checkChallenge(t, e, AuthBearer, c.name+" "+ep.method+" "+ep.path, status, challenge, c.want)
		}
		status, challenge, body := e.request(t, "POST", "/auth/token", c.authz, "")
		checkChallenge(t, e, AuthBearer, c.name+" POST /auth/token", status, challenge, c.token)
		if status == 200 {
			var tok map[string]any
			if err := json.Unmarshal([]byte(body), &tok); err != nil || tok["token"] == "" || tok["token"] != tok["access_token"] ||
				tok["token_type"] != "bearer" || tok["expires_in"].(float64) < 3500 {
				t.Errorf("%s: token answer %s", c.name, body)
			}
			if s, _, _ := e.request(t, "POST", "/mcp", bearer(tok["token"].(string)), initBody); s != 200 {
				t.Errorf("%s: the issued token does not open a session: %d", c.name, s)
			}
			e.secrets = append(e.secrets, tok["token"].(string))
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, reason := range []string{"missing", "malformed", "invalid", "expired", "revoked"} {
		if e.failures[reason] == 0 {
			t.Errorf("OnFailure never saw %q: %v", reason, e.failures)
		}
	}
}

func TestTokenExchangeBody(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	tests := []struct {
		body string
		want int
	}{
		{`{"api_key":"` + e.readKey + `"}`, 200},
		{`{"api_key":"` + e.envKey + `"}`, 200},
		{`{"api_key":"wrong"}`, 401},
		{`{"api_key":""}`, 401},
		{`{"api_key":`, 401},
		{``, 401},
		{`{"api_key":"` + strings.Repeat("a", maxTokenRequest) + `"}`, 401},
	}
	for _, tt := range tests {
		status, _, body := e.request(t, "POST", "/auth/token", "", tt.body)
		if status != tt.want {
			t.Errorf("%.40s: %d %s, want %d", tt.body, status, body, tt.want)
		}
		var tok map[string]any
		if status == 200 && (json.Unmarshal([]byte(body), &tok) != nil || tok["access_token"] == nil) {
			t.Errorf("%.40s: %s", tt.body, body)
		} else if status == 200 {
			e.secrets = append(e.secrets, tok["access_token"].(string))
		}
	}
	// validate reports the principal without any secret.
	status, _, body := e.request(t, "GET", "/auth/validate", bearer(e.readJWT), "")
	var v map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &v) != nil || v["valid"] != true || v["principal"] != "reader" ||
		v["scope"] != "read" || v["kind"] != "jwt" || v["expires_at"] == nil {
		t.Fatalf("validate: %d %s", status, body)
	}
}

func TestOAuthEndpoints(t *testing.T) {
	e := newAuthEnv(t, AuthOAuth, true)
	idp := e.oauth
	claims := func(f func(m map[string]any)) string {
		c := idp.Claims(publicURL, "wazuh:read")
		f(c)
		return idp.Mint(t, "RS256", c)
	}
	wrongAud := claims(func(m map[string]any) { m["aud"] = "https://other.example.com/mcp" })
	wrongIss := claims(func(m map[string]any) { m["iss"] = "https://evil.example.com" })
	expired := claims(func(m map[string]any) { m["exp"] = time.Now().Add(-time.Hour).Unix() })
	rogue := idp.Mint(t, "rogue", idp.Claims(publicURL, "wazuh:read"))
	e.secrets = append(e.secrets, wrongAud, wrongIss, expired, rogue)
	invalid := challengeWant{401, "invalid_token"}
	creds := []struct {
		name  string
		authz string
		want  challengeWant
	}{
		{"no token", "", challengeWant{401, ""}},
		{"malformed", basicAuth(), invalid},
		{"wrong audience", bearer(wrongAud), invalid},
		{"wrong issuer", bearer(wrongIss), invalid},
		{"expired", bearer(expired), invalid},
		{"another signer", bearer(rogue), invalid},
		{"under-scoped", bearer(e.oauthNoScope), challengeWant{403, "insufficient_scope"}},
		{"read", bearer(e.oauthRead), challengeWant{200, ""}},
		{"write (EC)", bearer(e.oauthWrite), challengeWant{200, ""}},
	}
	for _, c := range creds {
		for _, ep := range mcpEndpoints {
			status, challenge, _ := e.request(t, ep.method, ep.path, c.authz, ep.body)
			checkChallenge(t, e, AuthOAuth, c.name+" "+ep.method+" "+ep.path, status, challenge, c.want)
		}
		if status, _, _ := e.request(t, "POST", "/auth/token", c.authz, ""); status != http.StatusNotFound {
			t.Errorf("%s: /auth/token in oauth mode: %d, want 404", c.name, status)
		}
	}
	for _, path := range []string{"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"} {
		status, _, body := e.request(t, "GET", path, "", "")
		var meta struct {
			Resource             string   `json:"resource"`
			AuthorizationServers []string `json:"authorization_servers"`
			ScopesSupported      []string `json:"scopes_supported"`
		}
		if status != 200 || json.Unmarshal([]byte(body), &meta) != nil || meta.Resource != publicURL ||
			!slices.Equal(meta.AuthorizationServers, []string{idp.Issuer()}) || !slices.Equal(meta.ScopesSupported, []string{"wazuh:read", "wazuh:write"}) {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failures["insufficient_scope"] == 0 || e.failures["expired"] == 0 || e.failures["invalid"] == 0 {
		t.Errorf("OnFailure counts: %v", e.failures)
	}
}

func TestWellKnownOnlyInOAuthMode(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	if status, _, _ := e.request(t, "GET", "/.well-known/oauth-protected-resource", "", ""); status != 404 {
		t.Errorf("bearer mode serves protected resource metadata: %d", status)
	}
	e.request(t, "GET", "/auth/validate", "", "") // a failure for the log check
}

// session runs MCP over HTTP as one principal.
type session struct {
	e     *authEnv
	authz string
	id    string
}

func (e *authEnv) open(t *testing.T, authz string) *session {
	t.Helper()
	resp, b := post(t, e.ts.URL+"/mcp", "", "*/*", initBody, "Authorization", authz)
	if resp.StatusCode != 200 {
		t.Fatalf("initialize: %d %s", resp.StatusCode, b)
	}
	s := &session{e: e, authz: authz, id: resp.Header.Get("Mcp-Session-Id")}
	post(t, e.ts.URL+"/mcp", s.id, "*/*", `{"jsonrpc":"2.0","method":"notifications/initialized"}`, "Authorization", authz)
	return s
}

func (s *session) rpc(t *testing.T, authz, body string) (int, string) {
	t.Helper()
	resp, b := post(t, s.e.ts.URL+"/mcp", s.id, "*/*", body, "Authorization", authz)
	return resp.StatusCode, string(b)
}

func (s *session) tools(t *testing.T) []string {
	t.Helper()
	status, body := s.rpc(t, s.authz, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)
	var r struct {
		Result struct {
			Tools []struct{ Name string } `json:"tools"`
		} `json:"result"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &r) != nil {
		t.Fatalf("tools/list: %d %s", status, body)
	}
	var names []string
	for _, tl := range r.Result.Tools {
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	return names
}

// call returns the tool's text, or the JSON-RPC error message.
func (s *session) call(t *testing.T, tool string) (text string, isError bool) {
	t.Helper()
	status, body := s.rpc(t, s.authz, `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"`+tool+`","arguments":{}}}`)
	var r rpcReply
	if status != 200 || json.Unmarshal([]byte(body), &r) != nil {
		t.Fatalf("tools/call %s: %d %s", tool, status, body)
	}
	if r.Error != nil {
		return r.Error.Message, true
	}
	if len(r.Result.Content) == 0 {
		t.Fatalf("tools/call %s: %s", tool, body)
	}
	return r.Result.Content[0].Text, r.Result.IsError
}

func TestScopesGateTools(t *testing.T) {
	for _, mode := range []string{AuthBearer, AuthOAuth} {
		t.Run(mode, func(t *testing.T) {
			e := newAuthEnv(t, mode, true)
			readCred, writeCred := e.readKey, e.writeKey
			if mode == AuthOAuth {
				readCred, writeCred = e.oauthRead, e.oauthWrite
			}
			r := e.open(t, bearer(readCred))
			if got := r.tools(t); !slices.Equal(got, []string{"echo"}) {
				t.Errorf("read principal sees %v, want [echo]", got)
			}
			if text, isErr := r.call(t, "wipe"); !isErr || text == "wiped" {
				t.Errorf("read principal called wipe: %q", text)
			}
			if text, isErr := r.call(t, "echo"); isErr || text != "echo" {
				t.Errorf("read principal cannot read: %q", text)
			}
			w := e.open(t, bearer(writeCred))
			if got := w.tools(t); !slices.Equal(got, []string{"echo", "wipe"}) {
				t.Errorf("write principal sees %v, want [echo wipe]", got)
			}
			if text, isErr := w.call(t, "wipe"); isErr || text != "wiped" {
				t.Errorf("write principal cannot call wipe: %q", text)
			}
			e.request(t, "GET", "/mcp", "", "") // a failure for the log check
		})
	}
}

// TestWriteGuardBehindOneCatalogue: with no read catalogue the write tool
// is listed to everyone, and the guard still refuses a read principal.
func TestWriteGuardBehindOneCatalogue(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, false)
	r := e.open(t, bearer(e.readKey))
	if text, isErr := r.call(t, "wipe"); !isErr || !strings.Contains(text, "wazuh:write") {
		t.Errorf("guard let a read principal call wipe: %q", text)
	}
	w := e.open(t, bearer(e.writeKey))
	if text, isErr := w.call(t, "wipe"); isErr || text != "wiped" {
		t.Errorf("guard refused a write principal: %q", text)
	}
	e.request(t, "GET", "/mcp", "", "")
}

func TestNoneModeIsReadOnly(t *testing.T) {
	for _, withRead := range []bool{true, false} {
		e := newAuthEnv(t, AuthNone, withRead)
		s := e.open(t, "")
		if withRead {
			if got := s.tools(t); !slices.Equal(got, []string{"echo"}) {
				t.Errorf("none mode lists %v, want [echo]", got)
			}
		}
		if text, isErr := s.call(t, "wipe"); !isErr || text == "wiped" {
			t.Errorf("none mode (read catalogue %v) called wipe: %q", withRead, text)
		}
		for _, p := range []string{"/auth/token", "/auth/validate"} {
			if status, _, _ := e.request(t, "POST", p, "", ""); status != 404 && status != 405 {
				t.Errorf("none mode serves %s: %d", p, status)
			}
		}
		e.logs.Write([]byte("authentication failed (none mode has no failures to log)\n"))
	}
}

func TestSessionsBoundToPrincipal(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	s := e.open(t, bearer(e.readKey))
	list := `{"jsonrpc":"2.0","id":9,"method":"tools/list"}`
	tests := []struct {
		name  string
		authz string
		want  int
	}{
		{"same key", bearer(e.readKey), 200},
		{"same key's JWT", bearer(e.readJWT), 200},
		{"another key", bearer(e.writeKey), 403},
		{"env key", bearer(e.envKey), 403},
		{"no token", "", 401},
	}
	for _, tt := range tests {
		if status, body := s.rpc(t, tt.authz, list); status != tt.want {
			t.Errorf("%s on the session: %d %s, want %d", tt.name, status, body, tt.want)
		}
	}
	// A session id that does not exist is 404 for a valid principal.
	resp, _ := post(t, e.ts.URL+"/mcp", "no-such-session", "*/*", list, "Authorization", bearer(e.readKey))
	if resp.StatusCode != 404 {
		t.Errorf("stale session: %d", resp.StatusCode)
	}
}

func TestSSESessionsBoundToPrincipal(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.ts.URL+"/sse", nil)
	req.Header.Set("Authorization", bearer(e.writeKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := readSSE(resp.Body)
	ev := <-events
	if ev.name != "endpoint" {
		t.Fatalf("first event %+v", ev)
	}
	endpoint := e.ts.URL + ev.data
	if r, _ := post(t, endpoint, "", "", initBody, "Authorization", bearer(e.readKey)); r.StatusCode != 403 {
		t.Errorf("another principal posted to the SSE session: %d", r.StatusCode)
	}
	if r, _ := post(t, endpoint, "", "", initBody, "Authorization", ""); r.StatusCode != 401 {
		t.Errorf("no token on the SSE session: %d", r.StatusCode)
	}
	if r, b := post(t, endpoint, "", "", initBody, "Authorization", bearer(e.writeKey)); r.StatusCode/100 != 2 {
		t.Fatalf("owner's POST: %d %s", r.StatusCode, b)
	}
	<-events // initialize result
	post(t, endpoint, "", "", `{"jsonrpc":"2.0","method":"notifications/initialized"}`, "Authorization", bearer(e.writeKey))
	// The write tool works over SSE for a write principal: the guard finds
	// the principal in the session's context.
	post(t, endpoint, "", "", `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"wipe","arguments":{}}}`, "Authorization", bearer(e.writeKey))
	select {
	case ev = <-events:
		if !strings.Contains(ev.data, `"wiped"`) || strings.Contains(ev.data, `"isError":true`) {
			t.Errorf("wipe over SSE: %s", ev.data)
		}
	case <-ctx.Done():
		t.Fatal("no reply on the SSE stream")
	}
}

// TestTokenInfoMiddlewareBindsSessions: the go-sdk's token-info middleware,
// built once with the handler, still gives every request the principal it
// carries (TestSessionsBoundToPrincipal has the rest).
func TestTokenInfoMiddlewareBindsSessions(t *testing.T) {
	e := newAuthEnv(t, AuthBearer, true)
	s := e.open(t, bearer(e.readKey))
	list := `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
	tests := []struct {
		name  string
		authz string
		want  int
	}{
		{"the session's key", bearer(e.readKey), 200},
		{"its JWT", bearer(e.readJWT), 200},
		{"another key", bearer(e.writeKey), 403},
		{"no token", "", 401},
	}
	for _, tt := range tests {
		if status, body := s.rpc(t, tt.authz, list); status != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, status, body, tt.want)
		}
	}
}

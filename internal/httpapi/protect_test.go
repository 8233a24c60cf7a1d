package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// guarded is a test server built with New and arbitrary options. Its MCP
// server has "echo" and "slow" (waits for release or 5s).
type guarded struct {
	*httptest.Server
	h       *Handler
	release chan struct{}
	started chan struct{}
}

func newGuarded(t *testing.T, opts Options) *guarded {
	t.Helper()
	g := &guarded{release: make(chan struct{}), started: make(chan struct{}, 16)}
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "0"}, nil)
	obj := &jsonschema.Schema{Type: "object"}
	srv.AddTool(&mcp.Tool{Name: "echo", InputSchema: obj}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(req.Params.Arguments)}}}, nil
	})
	srv.AddTool(&mcp.Tool{Name: "slow", InputSchema: obj}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-time.After(5 * time.Second):
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "slow done"}}}, nil
	})
	opts.Server = srv
	if opts.SessionTimeout == 0 {
		opts.SessionTimeout = time.Minute
	}
	opts.Catalogue = Catalogue{Tools: []ToolDoc{{Name: "echo"}, {Name: "slow"}}}
	g.h = New(opts)
	g.Server = httptest.NewServer(g.h)
	t.Cleanup(g.Close)
	closeSessionsAtEnd(t, srv)
	return g
}

// do sends one request; hdr are name/value pairs, "Host" sets the Host.
func do(t *testing.T, method, url, body string, hdr ...string) (*http.Response, string) {
	t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	if rd != nil {
		req, _ = http.NewRequest(method, url, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
	} else {
		req, _ = http.NewRequest(method, url, nil)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHostGuardRefusesRebinding(t *testing.T) {
	g := newGuarded(t, Options{AllowedHosts: []string{"mcp.example.com"}})
	port := g.Listener.Addr().(*net.TCPAddr).Port
	tests := []struct {
		host, origin string
		want         int
	}{
		{"evil.example.com", "http://evil.example.com", 403}, // the conformance scenario's attacker
		{"evil.example.com", "", 403},
		{fmt.Sprintf("evil.example.com:%d", port), "", 403},
		{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("http://127.0.0.1:%d", port), 200},
		{fmt.Sprintf("localhost:%d", port), fmt.Sprintf("http://localhost:%d", port), 200},
		{fmt.Sprintf("[::1]:%d", port), "", 200},
		{"mcp.example.com", "", 200}, // ALLOWED_HOSTS: the public name of a local reverse proxy
		{"MCP.example.com:443", "", 200},
		{"mcp.example.com.evil.net", "", 403},
	}
	for _, tt := range tests {
		hdr := []string{"Host", tt.host}
		if tt.origin != "" {
			hdr = append(hdr, "Origin", tt.origin)
		}
		resp, body := do(t, "POST", g.URL+"/mcp", initBody, hdr...)
		if resp.StatusCode != tt.want {
			t.Errorf("Host %q Origin %q: got %d %s, want %d", tt.host, tt.origin, resp.StatusCode, body, tt.want)
		}
		if tt.want == 403 && !strings.Contains(body, `"jsonrpc":"2.0"`) {
			t.Errorf("Host %q: refusal is not a JSON-RPC error: %s", tt.host, body)
		}
		// Every route is guarded, not only the MCP transports.
		if resp, _ := do(t, "GET", g.URL+"/health", "", hdr...); resp.StatusCode != tt.want {
			t.Errorf("/health with Host %q: got %d, want %d", tt.host, resp.StatusCode, tt.want)
		}
	}
}

func TestHostGuardOnNonLoopbackListener(t *testing.T) {
	at := func(local string, host string) *http.Request {
		r := httptest.NewRequest("GET", "/health", nil)
		r.Host = host
		a := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(local))
		return r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, a))
	}
	tests := []struct {
		allowed []string
		local   string
		host    string
		want    bool
	}{
		{nil, "10.0.0.5:3000", "mcp.example.com", true}, // no list: any name (auth guards it)
		{nil, "10.0.0.5:3000", "10.0.0.5:3000", true},
		{[]string{"mcp.example.com"}, "10.0.0.5:3000", "mcp.example.com:3000", true},
		{[]string{"mcp.example.com"}, "10.0.0.5:3000", "evil.example", false},
		{nil, "127.0.0.1:3000", "evil.example", false}, // reached through loopback
		{nil, "[::1]:3000", "localhost", true},
		{nil, "127.0.0.1:3000", "", false},
	}
	for _, tt := range tests {
		if got := newHostGuard(tt.allowed).allows(at(tt.local, tt.host)); got != tt.want {
			t.Errorf("allowed=%v local=%s Host=%q: got %v, want %v", tt.allowed, tt.local, tt.host, got, tt.want)
		}
	}
}

func TestCORSOnlyForAllowedOrigins(t *testing.T) {
	const allowed = "https://soc.example.com"
	g := newGuarded(t, Options{AllowedOrigins: []string{allowed}})
	preflight := []string{"Origin", allowed, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, mcp-session-id"}

	resp, _ := do(t, "OPTIONS", g.URL+"/mcp", "", preflight...)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != allowed ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Mcp-Session-Id") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight from allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do(t, "POST", g.URL+"/mcp", initBody, "Origin", allowed)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != allowed ||
		!strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Mcp-Session-Id") || resp.Header.Get("Mcp-Session-Id") == "" {
		t.Fatalf("request from allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	foreign := []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}
	resp, _ = do(t, "OPTIONS", g.URL+"/mcp", "", foreign...)
	if resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from foreign origin: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do(t, "POST", g.URL+"/mcp", initBody, "Origin", "https://evil.example")
	if resp.StatusCode != 403 {
		t.Fatalf("POST from foreign origin: %d", resp.StatusCode)
	}
	resp, _ = do(t, "POST", g.URL+"/mcp", initBody)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("request without Origin must get no CORS headers: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestBodyCap(t *testing.T) {
	g := newGuarded(t, Options{MaxBodyBytes: 1024})
	big := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"` + strings.Repeat("x", 4096) + `"}}`
	tests := []struct {
		name, path string
		chunked    bool
	}{
		{"streamable, declared length", "/mcp", false},
		{"streamable, chunked", "/mcp", true},
		{"base URL", "/", false},
		{"legacy SSE message", "/sse?sessionid=nope", false},
		{"auth token exchange", "/auth/token", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body any = strings.NewReader(big)
			if tt.chunked {
				body = struct{ *strings.Reader }{strings.NewReader(big)} // hides Len: chunked
			}
			req, _ := http.NewRequest("POST", g.URL+tt.path, body.(interface{ Read([]byte) (int, error) }))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("got %d, want 413", resp.StatusCode)
			}
		})
	}
	if resp, _ := do(t, "POST", g.URL+"/mcp", initBody); resp.StatusCode != 200 {
		t.Fatalf("a small body must pass: %d", resp.StatusCode)
	}
}

func TestClientIP(t *testing.T) {
	trusted, err := ParseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	p := proxies{trusted: trusted}
	tests := []struct {
		name, peer, xff, want string
	}{
		{"untrusted peer: XFF ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"trusted peer: last hop", "10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},
		{"spoofed left entries skipped", "10.1.2.3:5000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "10.1.2.3:5000", "198.51.100.1, 192.0.2.1, 10.9.9.9", "198.51.100.1"},
		{"garbage hop stops the walk", "10.1.2.3:5000", "198.51.100.1, junk", "10.1.2.3"},
		{"no header from trusted peer", "10.1.2.3:5000", "", "10.1.2.3"},
		{"ipv6 with brackets and port", "[::1]:1", "[2001:db8::1]:443", "::1"},
		{"mapped v4 peer", "[::ffff:10.0.0.1]:5000", "198.51.100.7", "198.51.100.7"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := p.clientIP(r); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
	if _, err := ParseTrustedProxies([]string{"not-a-cidr"}); err == nil {
		t.Fatal("bad TRUSTED_PROXIES entry accepted")
	}
}

// flood sends n POSTs of tools/list-less initialize bodies and counts answers.
func flood(t *testing.T, url string, n int, hdr ...string) (ok, limited int, retryAfter string, body string) {
	for range n {
		resp, b := do(t, "POST", url, initBody, hdr...)
		switch resp.StatusCode {
		case 200:
			ok++
		case 429:
			limited++
			retryAfter, body = resp.Header.Get("Retry-After"), b
		default:
			t.Fatalf("unexpected %d %s", resp.StatusCode, b)
		}
	}
	return
}

func TestRateLimitPerIP(t *testing.T) {
	loop, _ := ParseTrustedProxies([]string{"127.0.0.1", "::1"})
	g := newGuarded(t, Options{TrustedProxies: loop, RateLimits: RateLimits{IPPerMinute: 60, Burst: 5}})
	ok, limited, retry, body := flood(t, g.URL+"/mcp", 20, "X-Forwarded-For", "203.0.113.1")
	if ok != 5 || limited != 15 {
		t.Fatalf("flood: %d ok, %d limited; want 5 and 15", ok, limited)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
		t.Fatalf("Retry-After = %q", retry)
	}
	var rpc struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(body), &rpc) != nil || rpc.Error.Code != codeRateLimited || !strings.Contains(rpc.Error.Message, "retry after") {
		t.Fatalf("429 body = %s", body)
	}
	// Another client is still served while the first is throttled.
	if ok, limited, _, _ := flood(t, g.URL+"/mcp", 3, "X-Forwarded-For", "203.0.113.2"); ok != 3 || limited != 0 {
		t.Fatalf("other client: %d ok %d limited", ok, limited)
	}
	// Probes are never throttled.
	if resp, _ := do(t, "GET", g.URL+"/health", "", "X-Forwarded-For", "203.0.113.1"); resp.StatusCode != 200 {
		t.Fatalf("/health of a throttled client: %d", resp.StatusCode)
	}
	if got := metricValue(t, g.h.Metrics(), "wazuh_mcp_rate_limit_rejections_total", "scope", "ip"); got != 15 {
		t.Fatalf("rate_limit_rejections_total{scope=ip} = %v, want 15", got)
	}
}

func TestSpoofedForwardedForIgnoredFromUntrustedPeer(t *testing.T) {
	// The test client connects from 127.0.0.1, which is not trusted here:
	// a fresh X-Forwarded-For on every request must not buy fresh buckets.
	other, _ := ParseTrustedProxies([]string{"10.0.0.0/8"})
	g := newGuarded(t, Options{TrustedProxies: other, RateLimits: RateLimits{IPPerMinute: 60, Burst: 3}})
	limited := 0
	for i := range 10 {
		resp, _ := do(t, "POST", g.URL+"/mcp", initBody, "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
		if resp.StatusCode == 429 {
			limited++
		}
	}
	if limited != 7 {
		t.Fatalf("%d of 10 spoofed requests limited, want 7 (burst 3)", limited)
	}
}

// stubAuth accepts "Bearer good-<name>" and answers 401 otherwise.
func stubAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer good-") {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func principalOf(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer good-")
}

// stubVerifier accepts "good-<name>" (read scope), refuses "noscope" for
// want of scope and any other token as invalid.
type stubVerifier struct{}

func (stubVerifier) Authenticate(_ context.Context, token string) (*auth.Principal, error) {
	switch {
	case strings.HasPrefix(token, "good-"):
		return &auth.Principal{ID: strings.TrimPrefix(token, "good-"), Kind: auth.KindAPIKey, Scopes: []string{auth.ScopeRead}}, nil
	case token == "noscope":
		return nil, auth.ErrInsufficientScope
	}
	return nil, auth.ErrInvalid
}

// TestFailedAuthAttemptsAreLimited: only presented-but-bad credentials count
// toward the lock-out (default AUTH_FAILURES_PER_MINUTE, 10); requests
// without credentials (OAuth discovery), tokens without the scope and the
// approval page's sign-in answers do not. Each refusal is in the metrics
// with its reason.
func TestFailedAuthAttemptsAreLimited(t *testing.T) {
	signIn := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "sign in", http.StatusUnauthorized)
	})
	tests := []struct {
		name   string
		n      int
		method string
		path   string
		authz  string
		// want: the status of the last of n requests, then of a good key
		// from the same address.
		wantLast, wantAfter int
		reason              string // auth_failures_total reason counted n times ("" = none)
	}{
		{"no credentials do not lock out", 20, "POST", "/mcp", "", 401, 200, "missing"},
		{"approval sign-in page does not lock out", 20, "GET", "/approvals/", "", 401, 200, ""},
		{"a token without the scope does not lock out", 20, "POST", "/mcp", "Bearer noscope", 403, 200, "insufficient_scope"},
		{"10 bad keys are allowed", 10, "POST", "/mcp", "Bearer guess", 401, 429, "invalid"},
		{"the 11th bad key is refused", 11, "POST", "/mcp", "Bearer guess", 429, 429, "invalid"},
	}
	loop, _ := ParseTrustedProxies([]string{"127.0.0.1", "::1"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuarded(t, Options{TrustedProxies: loop, Approvals: signIn,
				Auth:       AuthOptions{Mode: AuthBearer, Verifier: stubVerifier{}},
				RateLimits: RateLimits{IPPerMinute: 1000, Burst: 100, AuthFailuresPerMinute: 10}})
			hdr := []string{"X-Forwarded-For", "203.0.113.66"}
			if tt.authz != "" {
				hdr = append(hdr, "Authorization", tt.authz)
			}
			body := ""
			if tt.method == "POST" {
				body = initBody
			}
			var last int
			for range tt.n {
				resp, _ := do(t, tt.method, g.URL+tt.path, body, hdr...)
				last = resp.StatusCode
			}
			if last != tt.wantLast {
				t.Fatalf("request %d: %d, want %d", tt.n, last, tt.wantLast)
			}
			resp, _ := do(t, "POST", g.URL+"/mcp", initBody, "X-Forwarded-For", "203.0.113.66", "Authorization", "Bearer good-alice")
			if resp.StatusCode != tt.wantAfter {
				t.Fatalf("then a good key from the same address: %d, want %d", resp.StatusCode, tt.wantAfter)
			}
			if tt.wantAfter == 429 && resp.Header.Get("Retry-After") == "" {
				t.Fatal("lock-out without Retry-After")
			}
			// Other addresses are served whatever this one did.
			if resp, _ := do(t, "POST", g.URL+"/mcp", initBody, "X-Forwarded-For", "203.0.113.7", "Authorization", "Bearer good-bob"); resp.StatusCode != 200 {
				t.Fatalf("other address: %d", resp.StatusCode)
			}
			m := g.h.Metrics()
			want := 0.0
			if tt.reason != "" {
				want = float64(min(tt.n, 10)) // refused by the lock-out before authentication
				if tt.wantLast != 429 {
					want = float64(tt.n)
				}
				if got := metricValue(t, m, "wazuh_mcp_auth_failures_total", "reason", tt.reason); got != want {
					t.Errorf("auth_failures_total{reason=%q} = %v, want %v", tt.reason, got, want)
				}
			}
			if got := metricValue(t, m, "wazuh_mcp_auth_failures_total", "", ""); got != want {
				t.Errorf("auth_failures_total (all reasons) = %v, want %v", got, want)
			}
			// The scrape shows the reason label.
			if tt.reason != "" {
				_, text := do(t, "GET", g.URL+"/metrics", "", "X-Forwarded-For", "203.0.113.8")
				if !strings.Contains(text, `wazuh_mcp_auth_failures_total{reason="`+tt.reason+`"}`) {
					t.Errorf("/metrics has no reason=%q line", tt.reason)
				}
			}
		})
	}
}

func TestRateLimitPerPrincipal(t *testing.T) {
	g := newGuarded(t, Options{Authenticate: stubAuth, PrincipalKey: principalOf,
		RateLimits: RateLimits{PerMinute: 60, Burst: 2, IPPerMinute: 1000, IPBurst: 100}})
	if ok, limited, _, _ := flood(t, g.URL+"/mcp", 5, "Authorization", "Bearer good-alice"); ok != 2 || limited != 3 {
		t.Fatalf("alice: %d ok %d limited", ok, limited)
	}
	if ok, _, _, _ := flood(t, g.URL+"/mcp", 2, "Authorization", "Bearer good-bob"); ok != 2 {
		t.Fatalf("bob throttled by alice's flood")
	}
}

func TestBucketsStayBounded(t *testing.T) {
	b := newBuckets(60, 1, 100, time.Minute)
	now := time.Unix(1_000_000, 0)
	for i := range 1000 {
		b.take(fmt.Sprintf("198.51.%d.%d", i/256, i%256), now)
	}
	if n := b.size(); n > 100 {
		t.Fatalf("%d buckets held, cap 100", n)
	}
	// Keys beyond the cap share the overflow bucket: still limited.
	if b.take("203.0.113.250", now) == 0 && b.take("203.0.113.251", now) == 0 {
		t.Fatal("overflow keys are not limited")
	}
	// Idle buckets are evicted.
	later := now.Add(2 * time.Minute)
	b.take("fresh", later)
	if n := b.size(); n != 1 {
		t.Fatalf("after the idle TTL %d buckets remain, want 1", n)
	}
}

// TestBucketsSweepAtMostOnceASecondWhenFull: a full map is scanned for idle
// buckets at most once a second (not on every request from a new address);
// meanwhile new keys share the overflow bucket and the map stays bounded.
func TestBucketsSweepAtMostOnceASecondWhenFull(t *testing.T) {
	b := newBuckets(60, 1, 100, time.Minute) // idle/4 = 15s
	t0 := time.Unix(1_000_000, 0)
	steps := []struct {
		name       string
		at         time.Duration
		prefix     string
		n          int
		wantSize   int
		wantSweeps int
	}{
		{"fill 99 (first insert sweeps)", 0, "a", 99, 99, 1},
		{"the 100th after idle/4 sweeps, evicts none", 59500 * time.Millisecond, "b", 1, 100, 2},
		{"a flood of new keys while full: no scan", 59600 * time.Millisecond, "c", 10_000, 100, 2},
		{"99 now idle, but swept <1s ago: overflow", 60200 * time.Millisecond, "d", 1, 100, 2},
		{"1s after the last sweep: idle ones evicted", 60600 * time.Millisecond, "e", 1, 2, 3},
	}
	for _, st := range steps {
		now := t0.Add(st.at)
		for i := range st.n {
			b.take(fmt.Sprintf("%s%d", st.prefix, i), now)
		}
		b.mu.Lock()
		size, sweeps := len(b.m), b.sweeps
		b.mu.Unlock()
		if size != st.wantSize || sweeps != st.wantSweeps {
			t.Fatalf("%s: %d buckets, %d sweeps; want %d, %d", st.name, size, sweeps, st.wantSize, st.wantSweeps)
		}
	}
	// Keys beyond the cap share the overflow bucket: still limited (burst 1).
	b2 := newBuckets(60, 1, 1, time.Minute)
	if b2.take("x", t0) != 0 || b2.take("y", t0) != 0 || b2.take("z", t0) == 0 {
		t.Fatal("new keys beyond the cap do not share one limited overflow bucket")
	}
}

func TestMaxSessions(t *testing.T) {
	g := newGuarded(t, Options{MaxSessions: 2})
	var sids []string
	for range 2 {
		sids = append(sids, initialize(t, g.URL+"/mcp"))
	}
	resp, body := do(t, "POST", g.URL+"/mcp", initBody)
	if resp.StatusCode != 503 || !strings.Contains(body, "MAX_SESSIONS") || !strings.Contains(body, fmt.Sprint(codeOverloaded)) {
		t.Fatalf("third session: %d %s", resp.StatusCode, body)
	}
	// Existing sessions keep working.
	r, b := post(t, g.URL+"/mcp", sids[0], "*/*", `{"jsonrpc":"2.0","id":5,"method":"tools/list"}`)
	if r.StatusCode != 200 || !strings.Contains(string(b), "echo") {
		t.Fatalf("existing session refused: %d %s", r.StatusCode, b)
	}
	if got := metricValue(t, g.h.Metrics(), "wazuh_mcp_sessions_active", "", ""); got != 2 {
		t.Fatalf("sessions_active = %v", got)
	}
	// Closing one frees a slot.
	if r, _ := do(t, "DELETE", g.URL+"/mcp", "", "Mcp-Session-Id", sids[1]); r.StatusCode/100 != 2 {
		t.Fatalf("DELETE: %d", r.StatusCode)
	}
	if resp, body := do(t, "POST", g.URL+"/mcp", initBody); resp.StatusCode != 200 {
		t.Fatalf("after closing a session: %d %s", resp.StatusCode, body)
	}
}

func TestDrainFinishesInFlightCallsAndRefusesNewOnes(t *testing.T) {
	g := newGuarded(t, Options{})
	sid := initialize(t, g.URL+"/mcp")
	var wg sync.WaitGroup
	var slowCode int
	var slowBody []byte
	wg.Add(1)
	go func() {
		defer wg.Done()
		r, b := post(t, g.URL+"/mcp", sid, "*/*", `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"slow","arguments":{}}}`)
		slowCode, slowBody = r.StatusCode, b
	}()
	<-g.started
	drained := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		drained <- g.h.Drain(ctx)
	}()
	// Give Drain a moment to start, then check new requests are refused.
	deadline := time.Now().Add(2 * time.Second)
	for !g.h.drain.isDraining() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	resp, body := do(t, "POST", g.URL+"/mcp", initBody)
	if resp.StatusCode != 503 || !strings.Contains(body, "shutting down") {
		t.Fatalf("new request during drain: %d %s", resp.StatusCode, body)
	}
	select {
	case err := <-drained:
		t.Fatalf("Drain returned (%v) while a call was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(g.release)
	wg.Wait()
	if slowCode != 200 || !strings.Contains(string(slowBody), "slow done") {
		t.Fatalf("in-flight call: %d %s", slowCode, slowBody)
	}
	if err := <-drained; err != nil {
		t.Fatalf("Drain: %v", err)
	}
}

func TestDrainTimesOut(t *testing.T) {
	g := newGuarded(t, Options{})
	sid := initialize(t, g.URL+"/mcp")
	go func() {
		req, _ := http.NewRequest("POST", g.URL+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"slow","arguments":{}}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Mcp-Session-Id", sid)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-g.started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := g.h.Drain(ctx); err == nil {
		t.Fatal("Drain returned nil with a call still in flight after the timeout")
	}
	close(g.release)
}

// TestMaxSessionsUnderConcurrentOpens: requests still opening a session
// count toward MAX_SESSIONS, so concurrent opens never exceed it. next
// holds every admitted request (no session registers yet), which is the
// window in which a count of open sessions alone admitted them all.
func TestMaxSessionsUnderConcurrentOpens(t *testing.T) {
	tests := []struct {
		name       string
		max, n     int
		method     string
		path       string
		sessionHdr string
		wantIn     int
	}{
		{"initialize", 3, 20, "POST", "/mcp", "", 3},
		{"legacy SSE", 2, 10, "GET", "/sse", "", 2},
		{"requests of existing sessions are not capped", 1, 10, "POST", "/mcp", "abc", 10},
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: "t", Version: "0"}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			var admitted, rejected atomic.Int32
			c := newSessionCap([]*mcp.Server{srv}, tt.max, func() { rejected.Add(1) })
			hold := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				admitted.Add(1)
				<-release
			})
			// Routes wrapped apart (as /mcp, / and /sse are) share the count.
			routes := []http.Handler{c.wrap(hold), c.wrap(hold)}
			var wg sync.WaitGroup
			for i := range tt.n {
				wg.Go(func() {
					r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(initBody))
					if tt.sessionHdr != "" {
						r.Header.Set("Mcp-Session-Id", tt.sessionHdr)
					}
					routes[i%2].ServeHTTP(httptest.NewRecorder(), r)
				})
			}
			deadline := time.Now().Add(5 * time.Second)
			for int(admitted.Load()+rejected.Load()) < tt.n && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			in := int(admitted.Load())
			close(release)
			wg.Wait()
			if in != tt.wantIn || in+int(rejected.Load()) != tt.n {
				t.Fatalf("%d admitted, %d rejected of %d; want %d admitted", in, rejected.Load(), tt.n, tt.wantIn)
			}
			// Finished opens give their slots back.
			admitted.Store(0)
			release = make(chan struct{})
			close(release)
			routes[0].ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tt.method, tt.path, strings.NewReader(initBody)))
			if admitted.Load() != 1 {
				t.Fatal("an open after the others finished was refused")
			}
		})
	}
}

// TestMaxSessionsConcurrentInitializes: end to end, concurrent initializes
// open at most MAX_SESSIONS sessions, and an SSE stream in use holds one
// slot, not two (its session is counted, not its still-running request):
// beside it, exactly one of 16 concurrent initializes gets in with a cap
// of 2.
func TestMaxSessionsConcurrentInitializes(t *testing.T) {
	g := newGuarded(t, Options{MaxSessions: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, g.URL+"/sse", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := readSSE(resp.Body)
	ev := <-events
	if ev.name != "endpoint" {
		t.Fatalf("SSE: first event %+v", ev)
	}
	// The stream's client initializes; once answered, its session is
	// registered and counted, and its request no longer holds a slot.
	if r, _ := post(t, g.URL+ev.data, "", "", initBody); r.StatusCode/100 != 2 {
		t.Fatalf("SSE initialize: %d", r.StatusCode)
	}
	if ev := <-events; ev.name != "message" {
		t.Fatalf("SSE: second event %+v", ev)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, g.URL+"/mcp", strings.NewReader(initBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if got := metricValue(t, g.h.Metrics(), "wazuh_mcp_sessions_active", "", ""); got != 2 {
		t.Fatalf("sessions_active = %v, want the cap 2", got)
	}
	if ok.Load() != 1 {
		t.Fatalf("%d initializes succeeded beside one SSE stream, want 1 (cap 2)", ok.Load())
	}
}

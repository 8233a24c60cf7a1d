package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// These tests run authentication together with the protection and
// observability layers, as `serve` wires them.

// TestBadTokenFloodIsRateLimited: failed authentications from one address
// are limited (429 with Retry-After), counted in the metrics, while a
// client with a valid key is still answered.
func TestBadTokenFloodIsRateLimited(t *testing.T) {
	m := NewMetrics()
	e := newAuthEnvWith(t, AuthBearer, true, func(o *Options) {
		o.RateLimits = RateLimits{AuthFailuresPerMinute: 5, Burst: 5}
		o.Metrics = m // read directly: this address is locked out of /metrics now
	})
	var limited *http.Response
	for i := 0; i < 20 && limited == nil; i++ {
		status, _, _ := e.request(t, http.MethodPost, "/mcp", bearer("not-a-key"), initBody)
		switch status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/mcp", strings.NewReader(initBody))
			req.Header.Set("Authorization", bearer("not-a-key"))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			limited = resp
		default:
			t.Fatalf("bad token got %d", status)
		}
	}
	if limited == nil || limited.StatusCode != http.StatusTooManyRequests || limited.Header.Get("Retry-After") == "" {
		t.Fatalf("20 bad tokens were never limited with Retry-After: %+v", limited)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	metrics := rec.Body.String()
	if !strings.Contains(metrics, `wazuh_mcp_auth_failures_total{reason="invalid"}`) {
		t.Errorf("auth failures are not in the metrics:\n%s", grepLines(metrics, "auth_failures"))
	}
	if !strings.Contains(metrics, `wazuh_mcp_rate_limit_rejections_total{scope="auth_failures"}`) {
		t.Errorf("rate-limit rejections are not in the metrics:\n%s", grepLines(metrics, "rate_limit"))
	}
	if status, _, _ := e.request(t, http.MethodGet, "/health", "", ""); status != http.StatusOK {
		t.Errorf("/health during the lock-out: %d", status)
	}
}

// TestPerPrincipalLimitAndSessionsOfBothCatalogues: the per-principal limit
// keys on the authenticated principal, and sessions of the read and the full
// catalogue both count as active sessions.
func TestPerPrincipalLimitAndSessionsOfBothCatalogues(t *testing.T) {
	e := newAuthEnvWith(t, AuthBearer, true, func(o *Options) {
		o.RateLimits = RateLimits{PerMinute: 3, Burst: 3}
	})
	reader := e.open(t, bearer(e.readKey)) // read catalogue: 2 requests
	writer := e.open(t, bearer(e.writeKey))
	if got := scrapeValue(t, e, "wazuh_mcp_sessions_active"); got != "2" {
		t.Errorf("sessions_active = %q, want 2 (one per catalogue)", got)
	}
	limited := false
	for i := 0; i < 5; i++ {
		if status, _ := reader.rpc(t, reader.authz, `{"jsonrpc":"2.0","id":9,"method":"ping"}`); status == http.StatusTooManyRequests {
			limited = true
		}
	}
	if !limited {
		t.Fatal("the reader was never limited by the per-principal limit of 3/min")
	}
	if status, body := writer.rpc(t, writer.authz, `{"jsonrpc":"2.0","id":9,"method":"ping"}`); status != http.StatusOK {
		t.Fatalf("another principal was limited too: %d %s", status, body)
	}
	// The env's log-leak check needs one failed authentication to look at.
	if status, _, _ := e.request(t, http.MethodPost, "/mcp", bearer("wrong"), initBody); status != http.StatusUnauthorized {
		t.Fatalf("a wrong key got %d", status)
	}
}

// TestMetricsAuthUsesServerAuth: METRICS_AUTH puts /metrics behind the same
// bearer authentication as /mcp.
func TestMetricsAuthUsesServerAuth(t *testing.T) {
	e := newAuthEnvWith(t, AuthBearer, true, func(o *Options) { o.MetricsAuth = true })
	if status, _, _ := e.request(t, http.MethodGet, "/metrics", "", ""); status != http.StatusUnauthorized {
		t.Fatalf("/metrics without a token: %d, want 401", status)
	}
	if status, _, body := e.request(t, http.MethodGet, "/metrics", bearer(e.readKey), ""); status != http.StatusOK || !strings.Contains(body, "wazuh_mcp_") {
		t.Fatalf("/metrics with a key: %d", status)
	}
}

func scrape(t *testing.T, e *authEnv) string {
	t.Helper()
	resp, err := http.Get(e.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func scrapeValue(t *testing.T, e *authEnv, name string) string {
	for _, line := range strings.Split(scrape(t, e), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == name {
			return f[1]
		}
	}
	return ""
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

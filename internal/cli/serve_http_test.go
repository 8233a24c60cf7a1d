package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

func startStandIn(t *testing.T) *wazuhsim.Sim {
	t.Helper()
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 500, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// seenHeaders records what a backend received.
type seenHeaders struct {
	mu   sync.Mutex
	reqs []seenRequest
}

type seenRequest struct{ path, correlation, authorization string }

func (s *seenHeaders) add(r seenRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
}

func (s *seenHeaders) all() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.reqs...)
}

// credProxy stands in front of a stand-in backend: it records the
// correlation id and Authorization of every request, and swaps the test's
// long fake password for the stand-in's fixed one, so the test can look for
// a distinctive password in the logs.
func credProxy(t *testing.T, target, user, realPass, fakePass string) (string, *seenHeaders) {
	t.Helper()
	u, _ := url.Parse(target)
	seen := &seenHeaders{}
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.add(seenRequest{r.URL.Path, r.Header.Get("X-Correlation-ID"), r.Header.Get("Authorization")})
		if _, p, ok := r.BasicAuth(); ok && p == fakePass {
			r.SetBasicAuth(user, realPass)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, seen
}

// mcpSession drives Streamable HTTP by hand so that headers can be set.
type mcpSession struct {
	t   *testing.T
	url string
	sid string
}

func (s *mcpSession) post(body string, hdr ...string) (*http.Response, string) {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if s.sid != "" {
		req.Header.Set("Mcp-Session-Id", s.sid)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func openSession(t *testing.T, url string, hdr ...string) *mcpSession {
	t.Helper()
	s := &mcpSession{t: t, url: url}
	resp, body := s.post(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`, hdr...)
	if resp.StatusCode != 200 {
		t.Fatalf("initialize: %d %s", resp.StatusCode, body)
	}
	s.sid = resp.Header.Get("Mcp-Session-Id")
	s.post(`{"jsonrpc":"2.0","method":"notifications/initialized"}`, hdr...)
	return s
}

func (s *mcpSession) call(id int, tool string, args string, hdr ...string) (int, string) {
	resp, body := s.post(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, id, tool, args), hdr...)
	return resp.StatusCode, body
}

// appOptions builds the real app from cfg and its HTTP options.
func appOptions(t *testing.T, cfg *config.Config, logs io.Writer) (*app, httpapi.Options) {
	t.Helper()
	log := newLogger(logs, "debug", "json")
	a, err := buildApp(cfg, log, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	opts, err := httpOptions(cfg, a, log, "test")
	if err != nil {
		t.Fatal(err)
	}
	opts.ReadyCacheTTL = time.Millisecond
	return a, opts
}

// serveApp serves the real app's HTTP handler.
func serveApp(t *testing.T, cfg *config.Config, logs io.Writer) (*httptest.Server, *app) {
	t.Helper()
	a, opts := appOptions(t, cfg, logs)
	ts := httptest.NewServer(httpapi.New(opts))
	t.Cleanup(ts.Close)
	return ts, a
}

func TestCorrelationIDFollowsCallsAndSecretsStayOutOfLogs(t *testing.T) {
	sim := startStandIn(t)
	const mgrPass, idxPass = "Mgr-S3cret-Passw0rd-7781", "Idx-S3cret-Passw0rd-9921"
	const clientToken = "client-bearer-token-Zq81xx"
	mgrURL, mgrSeen := credProxy(t, sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword, mgrPass)
	idxURL, idxSeen := credProxy(t, sim.IndexerURL, wazuhsim.IndexerUser, wazuhsim.IndexerPassword, idxPass)
	cfg := config.Defaults()
	cfg.Wazuh.Host, cfg.Wazuh.User, cfg.Wazuh.Password = mgrURL, wazuhsim.ManagerUser, mgrPass
	cfg.Indexer.Host, cfg.Indexer.User, cfg.Indexer.Password = idxURL, wazuhsim.IndexerUser, idxPass
	logs := &syncBuffer{}
	ts, _ := serveApp(t, &cfg, logs)

	s := openSession(t, ts.URL+"/mcp", "Authorization", "Bearer "+clientToken)
	calls := []struct {
		tool, args, cid string
		seen            *seenHeaders
		pathPrefix      string
	}{
		{"get_wazuh_agents", `{"limit":5}`, "corr-agents-4242", mgrSeen, "/agents"},
		{"get_wazuh_alerts", `{"limit":3}`, "corr-alerts-4343", idxSeen, "/wazuh-alerts"},
	}
	for i, c := range calls {
		code, body := s.call(10+i, c.tool, c.args, "X-Correlation-ID", c.cid, "Authorization", "Bearer "+clientToken)
		if code != 200 || strings.Contains(body, `"isError":true`) {
			t.Fatalf("%s: %d %s", c.tool, code, body)
		}
		found := false
		for _, r := range c.seen.all() {
			if r.correlation == c.cid && strings.HasPrefix(r.path, c.pathPrefix) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no backend request under %s carried X-Correlation-ID %s: %+v", c.tool, c.pathPrefix, c.cid, c.seen.all())
		}
		if !logHas(t, logs.String(), map[string]string{"msg": "tool call", "tool": c.tool, "correlation_id": c.cid, "outcome": "ok"}) {
			t.Errorf("%s: no tool call log line with correlation id %s", c.tool, c.cid)
		}
		if !logHas(t, logs.String(), map[string]string{"msg": "http request", "correlation_id": c.cid}) {
			t.Errorf("%s: no access log line with correlation id %s", c.tool, c.cid)
		}
	}
	if !logHas(t, logs.String(), map[string]string{"msg": "wazuh request", "correlation_id": "corr-agents-4242"}) {
		t.Error("the Manager client's request log lacks the correlation id")
	}

	// Credentials never reach the log, even at debug level.
	secrets := []string{mgrPass, idxPass, clientToken,
		base64.StdEncoding.EncodeToString([]byte(wazuhsim.ManagerUser + ":" + mgrPass)),
		base64.StdEncoding.EncodeToString([]byte(wazuhsim.IndexerUser + ":" + idxPass))}
	for _, r := range mgrSeen.all() {
		if tok, ok := strings.CutPrefix(r.authorization, "Bearer "); ok {
			secrets = append(secrets, tok) // the Manager's JWT
		}
	}
	if len(secrets) < 6 {
		t.Fatal("the Manager was never called with its JWT: the test checks nothing")
	}
	out := logs.String()
	if !strings.Contains(out, "wazuh request") {
		t.Fatal("debug logs missing: the test checks nothing")
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("a credential (%.6s…) appears in the logs", s)
		}
	}
}

// logHas reports whether one JSON log line has all the given string fields.
func logHas(t *testing.T, logs string, want map[string]string) bool {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		ok := true
		for k, v := range want {
			if fmt.Sprint(m[k]) != v {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

type readyBody struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status string `json:"status"`
		Error  string `json:"error"`
	} `json:"checks"`
}

func getReady(t *testing.T, base string) (int, readyBody) {
	t.Helper()
	resp, err := http.Get(base + "/ready")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rb readyBody
	if err := json.NewDecoder(resp.Body).Decode(&rb); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, rb
}

func TestReadyFollowsTheBackends(t *testing.T) {
	sim := startStandIn(t)
	cfg := demoConfig(sim, "127.0.0.1", 0, demoFlags{})
	ts, _ := serveApp(t, &cfg, io.Discard)
	code, rb := getReady(t, ts.URL)
	if code != 200 || rb.Status != "ready" || rb.Checks["manager"].Status != "ok" || rb.Checks["indexer"].Status != "ok" {
		t.Fatalf("healthy stand-in: %d %+v", code, rb)
	}
	sim.Close()
	time.Sleep(5 * time.Millisecond) // past the test's cache TTL
	code, rb = getReady(t, ts.URL)
	if code != 503 || rb.Status != "not_ready" || rb.Checks["manager"].Status != "failing" || rb.Checks["indexer"].Status != "failing" {
		t.Fatalf("closed stand-in: %d %+v", code, rb)
	}
	if e := rb.Checks["manager"].Error; e != "the Manager API is unreachable or failing" || strings.Contains(e, "127.0.0.1") {
		t.Fatalf("manager reason %q: want a short reason without addresses", e)
	}

	// Without an indexer the server is ready and says the indexer is absent.
	sim2 := startStandIn(t)
	cfg2 := demoConfig(sim2, "127.0.0.1", 0, demoFlags{})
	cfg2.Indexer = config.Endpoint{}
	ts2, _ := serveApp(t, &cfg2, io.Discard)
	code, rb = getReady(t, ts2.URL)
	if code != 200 || rb.Checks["indexer"].Status != "not_configured" {
		t.Fatalf("no indexer: %d %+v", code, rb)
	}
}

func TestDocsListTheRegisteredCatalogue(t *testing.T) {
	sim := startStandIn(t)
	cfg := demoConfig(sim, "127.0.0.1", 0, demoFlags{toolsets: []string{"all"}})
	ts, a := serveApp(t, &cfg, io.Discard)
	resp, err := http.Get(ts.URL + "/docs")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, tool := range a.tools {
		if !strings.Contains(string(page), `id="tool-`+tool.Def.Name+`"`) {
			t.Errorf("/docs lacks %s", tool.Def.Name)
		}
	}
	if !strings.Contains(string(page), "<code>agent_id</code> <b>required</b>") {
		t.Error("/docs shows no required argument")
	}
}

func TestGracefulShutdownDrainsAToolCall(t *testing.T) {
	sim := startStandIn(t)
	cfg := demoConfig(sim, "127.0.0.1", 0, demoFlags{})
	_, opts := appOptions(t, &cfg, io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, ln, opts, serveOptions{shutdownTimeout: 10 * time.Second}) }()

	s := openSession(t, base+"/mcp")
	sim.ManagerFaults.Set(faults.Settings{Latency: 800 * time.Millisecond})
	type result struct {
		code int
		body string
	}
	slow := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_wazuh_agents","arguments":{"limit":2}}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Mcp-Session-Id", s.sid)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- result{0, err.Error()}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- result{resp.StatusCode, string(b)}
	}()
	time.Sleep(200 * time.Millisecond) // the call is waiting on the Manager
	cancel()
	time.Sleep(100 * time.Millisecond) // the drain has started
	// A new connection: refused with 503 while the drain waits.
	tr := &http.Transport{DisableKeepAlives: true}
	resp, err := (&http.Client{Transport: tr}).Get(base + "/health")
	if err != nil {
		t.Fatalf("during the drain the listener should still answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("new request during the drain: %d, want 503", resp.StatusCode)
	}
	r := <-slow
	if r.code != 200 || !strings.Contains(r.body, `\"agents\"`) || strings.Contains(r.body, `"isError":true`) {
		t.Fatalf("in-flight call: %d %s", r.code, r.body)
	}
	if err := <-done; err != nil {
		t.Fatalf("serveHTTP: %v", err)
	}
	if _, err := http.Get(base + "/health"); err == nil {
		t.Fatal("still serving after the shutdown")
	}
}

// selfSignedFiles writes a certificate for 127.0.0.1 and its key.
func selfSignedFiles(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wazuh-mcp test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeHTTPS(t *testing.T) {
	certFile, keyFile, pool := selfSignedFiles(t)
	tc, err := serverTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := serverTLS(certFile, certFile); err == nil || !strings.Contains(err.Error(), "TLS_KEY_FILE") {
		t.Fatalf("a certificate as key: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := mcp.NewServer(&mcp.Implementation{Name: "t", Version: "0"}, nil)
	go func() {
		done <- serveHTTP(ctx, ln, httpapi.Options{Server: srv, Version: "test"}, serveOptions{tls: tc, shutdownTimeout: time.Second})
	}()
	addr := ln.Addr().String()
	tests := []struct {
		name   string
		client *tls.Config
		ok     bool
	}{
		{"verified TLS 1.3", &tls.Config{RootCAs: pool}, true},
		{"verified TLS 1.2", &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12}, true},
		{"TLS 1.1 refused", &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, false},
		{"unknown CA refused", &tls.Config{}, false},
	}
	for _, tt := range tests {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: tt.client}, Timeout: 5 * time.Second}
		resp, err := c.Get("https://" + addr + "/health")
		if tt.ok {
			if err != nil || resp.StatusCode != 200 || resp.TLS == nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			resp.Body.Close()
		} else if err == nil {
			resp.Body.Close()
			t.Fatalf("%s: connected", tt.name)
		}
	}
	if resp, err := http.Get("http://" + addr + "/health"); err == nil {
		if resp.StatusCode == 200 {
			t.Fatal("plain HTTP served on the TLS port")
		}
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serveHTTP: %v", err)
	}
}

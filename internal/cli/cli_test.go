package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// syncBuffer is an io.Writer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startCommand runs a long-running command in-process and waits until its
// output matches re; it returns the first submatch and a stop function
// that cancels it and returns its exit code.
func startCommand(t *testing.T, re *regexp.Regexp, argv ...string) (string, func() int) {
	t.Helper()
	m, stop := startCommandAll(t, re, argv...)
	return m[1], stop
}

// startCommandAll is startCommand returning every submatch.
func startCommandAll(t *testing.T, re *regexp.Regexp, argv ...string) ([]string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, "test", argv, out, errOut) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			stop := func() int {
				cancel()
				select {
				case code := <-done:
					return code
				case <-time.After(15 * time.Second):
					t.Fatal("command did not stop after cancel")
					return -1
				}
			}
			t.Cleanup(func() { cancel() })
			return m, stop
		}
		select {
		case code := <-done:
			t.Fatalf("%v exited early (%d): %s %s", argv, code, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("%v printed no match for %s: %s %s", argv, re, out.String(), errOut.String())
	return nil, nil
}

func callText(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) map[string]any {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	text := res.Content[0].(*mcp.TextContent).Text
	if res.IsError {
		t.Fatalf("%s failed: %s", name, text)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// exercise runs what a user of any transport does first.
func exercise(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	tools, err := cs.ListTools(context.Background(), nil)
	if err != nil || len(tools.Tools) < 10 {
		t.Fatalf("tools/list: %v, %d tools", err, len(tools.Tools))
	}
	alerts := callText(t, cs, "get_wazuh_alerts", map[string]any{"limit": 3})
	if alerts["total"].(float64) == 0 || len(alerts["alerts"].([]any)) != 3 {
		t.Fatalf("get_wazuh_alerts: %v", alerts)
	}
	agents := callText(t, cs, "get_wazuh_agents", map[string]any{"status": "active"})
	if agents["total"].(float64) == 0 {
		t.Fatalf("get_wazuh_agents: %v", agents)
	}
}

func TestDemoServesMCP(t *testing.T) {
	url, stop := startCommand(t, regexp.MustCompile(`MCP URL \(Streamable HTTP\): (\S+)`), "demo", "--listen", "127.0.0.1:0", "--alerts", "2000")
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, cs)
	cs.Close()
	resp, err := http.Get(strings.TrimSuffix(url, "/mcp") + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/health: %v %v", err, resp)
	}
	resp.Body.Close()
	if code := stop(); code != 0 {
		t.Fatalf("demo exited with %d after Ctrl-C", code)
	}
}

func TestDemoRefusesNonLoopback(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), "test", []string{"demo", "--listen", "0.0.0.0:0"}, &out, &errOut); code == 0 {
		t.Fatal("demo bound to 0.0.0.0 without authentication")
	}
	if !strings.Contains(errOut.String(), "loopback") {
		t.Fatalf("error does not say why: %s", errOut.String())
	}
}

// TestSimServesOtherClients talks to `wazuh-mcp sim` the way any Wazuh
// client does: login, a Manager call with the token, an indexer search.
func TestSimServesOtherClients(t *testing.T) {
	mgr, stop := startCommand(t, regexp.MustCompile(`Manager API\s+(\S+)`), "sim", "--manager-listen", "127.0.0.1:0", "--indexer-listen", "127.0.0.1:0", "--alerts", "1000")
	defer stop()
	req, _ := http.NewRequest(http.MethodPost, mgr+"/security/user/authenticate", nil)
	req.SetBasicAuth("wazuh", "wazuh")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var login struct {
		Data struct{ Token string } `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if login.Data.Token == "" {
		t.Fatal("no token from login")
	}
	req, _ = http.NewRequest(http.MethodGet, mgr+"/agents?limit=2&select=name,status", nil)
	req.Header.Set("Authorization", "Bearer "+login.Data.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"total_affected_items"`) {
		t.Fatalf("GET /agents: %d %s", resp.StatusCode, body)
	}
}

// TestServeStdioAgainstSim builds the binary and drives `serve --transport
// stdio` pointed at `wazuh-mcp sim`, as a desktop client would.
func TestServeStdioAgainstSim(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wazuh-mcp")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/wazuh-mcp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	banner := regexp.MustCompile(`Manager API\s+(\S+)[\s\S]*Indexer\s+(\S+)`)
	m, stop := startCommandAll(t, banner, "sim", "--manager-listen", "127.0.0.1:0", "--indexer-listen", "127.0.0.1:0", "--alerts", "1000")
	defer stop()
	mgr, idx := m[1], m[2]
	cmd := exec.Command(bin, "serve", "--transport", "stdio")
	cmd.Env = append(os.Environ(), "WAZUH_HOST="+mgr, "WAZUH_USER=wazuh", "WAZUH_PASS=wazuh",
		"WAZUH_INDEXER_HOST="+idx, "WAZUH_INDEXER_USER=admin", "WAZUH_INDEXER_PASS=admin", "LOG_LEVEL=error")
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(), &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	exercise(t, cs)
}

func TestServeConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		argv []string
		want string
	}{
		{"missing host", map[string]string{"WAZUH_HOST": ""}, nil, "WAZUH_HOST is required"},
		{"bad port", map[string]string{"WAZUH_PORT": "99999"}, nil, "WAZUH_PORT"},
		{"non-loopback http without auth", map[string]string{"MCP_HOST": "0.0.0.0", "AUTH_MODE": "none"}, nil, "binds only to loopback"},
		{"bad listen flag", nil, []string{"--listen", "nope"}, "--listen"},
		{"bad transport flag", nil, []string{"--transport", "grpc"}, "MCP_TRANSPORT (--transport)"},
		{"unknown toolset", nil, []string{"--toolsets", "nope"}, `unknown toolset "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("WAZUH_HOST", "http://127.0.0.1:1")
			t.Setenv("WAZUH_USER", "u")
			t.Setenv("WAZUH_PASS", "p")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			argv := append([]string{"serve"}, tt.argv...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if code := Run(ctx, "test", argv, &out, &errOut); code == 0 {
				t.Fatalf("serve started; stderr: %s", errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Fatalf("stderr = %q, want it to mention %q", errOut.String(), tt.want)
			}
		})
	}
}

func TestToolsCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), "test", []string{"tools"}, &out, &errOut); code != 0 {
		t.Fatalf("tools: %s", errOut.String())
	}
	for _, name := range []string{"get_wazuh_alerts", "get_wazuh_agents", "check_agent_health"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("tools output lacks %s:\n%s", name, out.String())
		}
	}
	out.Reset()
	if code := Run(context.Background(), "test", []string{"tools", "--json", "--toolsets", "agents"}, &out, &errOut); code != 0 {
		t.Fatalf("tools --json: %s", errOut.String())
	}
	var list []map[string]any
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) == 0 || list[0]["toolset"] != "agents" {
		t.Fatalf("tools --json = %v (%v)", list, err)
	}
}

// TestSimTLS checks that the CA file printed by `sim --tls` verifies the
// served certificate, as a client configured with WAZUH_CA_BUNDLE would.
func TestSimTLS(t *testing.T) {
	m, stop := startCommandAll(t, regexp.MustCompile(`Manager API\s+(\S+)[\s\S]*CA file\s+(\S+)`),
		"sim", "--tls", "--cert-dir", t.TempDir(), "--manager-listen", "127.0.0.1:0", "--indexer-listen", "127.0.0.1:0", "--alerts", "500")
	defer stop()
	mgr, caFile := m[1], m[2]
	if !strings.HasPrefix(mgr, "https://") {
		t.Fatalf("manager URL %s is not https", mgr)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest(http.MethodPost, mgr+"/security/user/authenticate", nil)
	req.SetBasicAuth("wazuh", "wazuh")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("TLS login with the printed CA: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if _, err := http.Get(mgr + "/"); err == nil {
		t.Fatal("a client without the CA accepted the self-signed certificate")
	}
}

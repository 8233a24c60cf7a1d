package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// runCLI runs one short command and returns its exit code and outputs.
func runCLI(t *testing.T, argv ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := Run(ctx, "test", argv, &out, &errOut)
	return code, out.String(), errOut.String()
}

func createKey(t *testing.T, dir, name, scope string) (key, id string) {
	t.Helper()
	code, out, errOut := runCLI(t, "keys", "create", "--data-dir", dir, "--name", name, "--scope", scope, "--expires", "30d")
	if code != 0 {
		t.Fatalf("keys create: %s", errOut)
	}
	key = strings.TrimSuffix(out, "\n")
	if len(key) != 43 || strings.ContainsAny(key, " \n*") {
		t.Fatalf("stdout must be the whole key alone: %q", out)
	}
	m := regexp.MustCompile(`Created API key (key_\w+) "` + name + `", scope ` + scope + `, expires 20`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("keys create stderr: %q", errOut)
	}
	if strings.Contains(errOut, key) {
		t.Fatal("the key is printed twice")
	}
	return key, m[1]
}

func TestKeysRoundTrip(t *testing.T) {
	dir := t.TempDir()
	key, id := createKey(t, dir, "ci", "read")
	wkey, _ := createKey(t, dir, "soar", "write")
	if code, _, errOut := runCLI(t, "keys", "create", "--data-dir", dir, "--name", "ci"); code == 0 || !strings.Contains(errOut, "already has this name") {
		t.Fatalf("duplicate name: %d %s", code, errOut)
	}
	for _, bad := range [][]string{{"--name", "x", "--scope", "admin"}, {"--name", "x", "--expires", "soon"}, {"--name", "key_x"}, {}} {
		if code, _, _ := runCLI(t, append([]string{"keys", "create", "--data-dir", dir}, bad...)...); code == 0 {
			t.Errorf("keys create %v succeeded", bad)
		}
	}
	code, list, errOut := runCLI(t, "keys", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(list, id) || !strings.Contains(list, "soar") || strings.Count(list, "active") != 2 {
		t.Fatalf("keys list: %d %s %s", code, list, errOut)
	}
	for _, k := range []string{key, wkey} {
		h := auth.HashKey(k)
		for _, secret := range []string{k, hex.EncodeToString(h), base64.StdEncoding.EncodeToString(h), base64.RawURLEncoding.EncodeToString(h)} {
			if strings.Contains(list, secret) {
				t.Fatal("keys list shows a key or its hash")
			}
		}
	}
	if code, out, errOut := runCLI(t, "keys", "revoke", "--data-dir", dir, "ci"); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("revoke by name: %s %s", out, errOut)
	}
	if code, _, errOut := runCLI(t, "keys", "revoke", "--data-dir", dir, id); code == 0 || !strings.Contains(errOut, "already revoked") {
		t.Fatalf("second revoke: %s", errOut)
	}
	if code, _, errOut := runCLI(t, "keys", "revoke", "--data-dir", dir, "nobody"); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("revoke unknown: %s", errOut)
	}
	code, js, _ := runCLI(t, "keys", "list", "--data-dir", dir, "--json")
	var entries []map[string]string
	if code != 0 || json.Unmarshal([]byte(js), &entries) != nil || len(entries) != 2 {
		t.Fatalf("keys list --json: %s", js)
	}
	status := map[string]string{}
	for _, e := range entries {
		status[e["name"]] = e["status"]
		if e["expires_at"] == "" {
			t.Errorf("%s: no expiry in %v", e["name"], e)
		}
	}
	if status["ci"] != "revoked" || status["soar"] != "active" {
		t.Fatalf("statuses %v", status)
	}
}

// TestServeBearer runs `serve` over HTTP with keys made by the CLI and
// MCP_API_KEY: unauthenticated requests are refused, keys and tokens work,
// revoking with the CLI kills a token of the running server at once, and
// no credential reaches the log.
func TestServeBearer(t *testing.T) {
	dir := t.TempDir()
	key, _ := createKey(t, dir, "analyst", "read")
	envKey := "operator-chosen-env-key-0123456789"
	t.Setenv("WAZUH_HOST", "http://127.0.0.1:1")
	t.Setenv("WAZUH_USER", "u")
	t.Setenv("WAZUH_PASS", "wazuh-password-never-logged")
	t.Setenv("WAZUH_MCP_DATA_DIR", dir)
	t.Setenv("MCP_API_KEY", envKey)
	t.Setenv("AUTH_SECRET_KEY", strings.Repeat("k", 40))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, "test", []string{"serve", "--listen", "127.0.0.1:0", "--log-level", "debug"}, out, errOut)
	}()
	ready := regexp.MustCompile(`"url":"(http://[^"]+)/mcp"`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := ready.FindStringSubmatch(errOut.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited (%d): %s", code, errOut.String())
		default:
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	do := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	if s, _ := do("POST", "/mcp", "", initBody); s != 401 {
		t.Errorf("no token: %d", s)
	}
	if s, _ := do("POST", "/mcp", "wrong", initBody); s != 401 {
		t.Errorf("wrong key: %d", s)
	}
	for _, k := range []string{key, envKey} {
		if s, b := do("POST", "/mcp", k, initBody); s != 200 {
			t.Errorf("key: %d %s", s, b)
		}
	}
	s, b := do("POST", "/auth/token", "", `{"api_key":"`+key+`"}`)
	var tok struct{ Token string }
	if s != 200 || json.Unmarshal([]byte(b), &tok) != nil || tok.Token == "" {
		t.Fatalf("/auth/token: %d %s", s, b)
	}
	if s, b := do("GET", "/auth/validate", tok.Token, ""); s != 200 || !strings.Contains(b, `"principal":"analyst"`) {
		t.Fatalf("/auth/validate: %d %s", s, b)
	}
	if code, _, e := runCLI(t, "keys", "revoke", "analyst"); code != 0 {
		t.Fatalf("revoke: %s", e)
	}
	if s, _ := do("GET", "/auth/validate", tok.Token, ""); s != 401 {
		t.Errorf("token of a revoked key: %d, want 401 at once", s)
	}
	if s, _ := do("POST", "/mcp", key, initBody); s != 401 {
		t.Errorf("revoked key: %d", s)
	}
	cancel()
	<-done
	logs := errOut.String() + out.String()
	if !strings.Contains(logs, "authentication failed") || !strings.Contains(logs, `"auth_mode":"bearer"`) {
		t.Fatalf("expected auth logs: %s", logs)
	}
	for _, secret := range []string{key, envKey, tok.Token, strings.Split(tok.Token, ".")[2], "wazuh-password-never-logged", strings.Repeat("k", 40)} {
		if strings.Contains(logs, secret) {
			t.Errorf("a credential is in the server's output: %.10s…", secret)
		}
	}
}

func TestServeRefusesUnauthenticatedOffLoopback(t *testing.T) {
	t.Setenv("WAZUH_HOST", "http://127.0.0.1:1")
	t.Setenv("WAZUH_USER", "u")
	t.Setenv("WAZUH_PASS", "p")
	t.Setenv("AUTH_MODE", "none")
	code, _, errOut := runCLI(t, "serve", "--listen", "0.0.0.0:0")
	if code == 0 || !strings.Contains(errOut, "AUTH_MODE=none") || !strings.Contains(errOut, "loopback") {
		t.Fatalf("AUTH_MODE=none on 0.0.0.0: %d %s", code, errOut)
	}
	t.Setenv("AUTH_MODE", "oauth")
	code, _, errOut = runCLI(t, "serve", "--listen", "0.0.0.0:0")
	if code == 0 || !strings.Contains(errOut, "OAUTH_ISSUER is required") {
		t.Fatalf("oauth without issuer: %d %s", code, errOut)
	}
}

func TestServeStoreErrorIsClear(t *testing.T) {
	file := t.TempDir() + "/not-a-dir"
	if err := writeFile(file); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WAZUH_HOST", "http://127.0.0.1:1")
	t.Setenv("WAZUH_USER", "u")
	t.Setenv("WAZUH_PASS", "p")
	t.Setenv("WAZUH_MCP_DATA_DIR", file+"/sub")
	code, _, errOut := runCLI(t, "serve", "--listen", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errOut, "WAZUH_MCP_DATA_DIR") {
		t.Fatalf("unusable data dir: %d %s", code, errOut)
	}
}

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o600) }

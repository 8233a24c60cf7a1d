package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

// toolText is the first text content of a tools/call reply, and isError.
func toolText(t *testing.T, body string) (string, bool) {
	t.Helper()
	var env struct {
		Result struct {
			IsError bool `json:"isError"`
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"result"`
		Error *struct{ Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error != nil || len(env.Result.Content) == 0 {
		t.Fatalf("reply %s (%v)", body, err)
	}
	return env.Result.Content[0].Text, env.Result.IsError
}

// Over real HTTP with bearer keys: an ordinary write key's call waits for a
// human; a delegated key's call runs after the policy checks (which still
// refuse protected targets), and the audit log records the delegation and
// the client's correlation id.
func TestDelegatedAndOrdinaryWriteKeysOverHTTP(t *testing.T) {
	sim := startStandIn(t)
	cfg := config.Defaults()
	cfg.Wazuh.Host, cfg.Wazuh.User, cfg.Wazuh.Password = sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword
	cfg.Indexer.Host, cfg.Indexer.User, cfg.Indexer.Password = sim.IndexerURL, wazuhsim.IndexerUser, wazuhsim.IndexerPassword
	cfg.DataDir = t.TempDir()
	cfg.Tools.Toolsets = []string{"response"}
	readOnly := false
	cfg.Tools.ReadOnly = &readOnly
	cfg.Auth.SecretKey = strings.Repeat("k", 32)
	a, opts := appOptions(t, &cfg, io.Discard)
	authOpts, closeAuth, err := buildAuth(context.Background(), &cfg, newLogger(io.Discard, "error", "json"), a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeAuth)
	opts.Auth = authOpts
	ts := httptest.NewServer(httpapi.New(opts))
	t.Cleanup(ts.Close)

	mkKey := func(name string, delegated bool) string {
		key, id := auth.NewKey()
		if err := a.store.CreateAPIKey(context.Background(), store.APIKey{ID: id, Name: name, Scope: "write", Hash: auth.HashKey(key), CreatedAt: time.Now(), Delegated: delegated}); err != nil {
			t.Fatal(err)
		}
		return key
	}
	orchestrator, analyst := mkKey("autopilot", true), mkKey("analyst", false)
	agent := ""
	for _, ag := range sim.Dataset.Agents {
		if ag["status"] == "active" && ag["id"] != "000" {
			agent = ag["id"].(string)
			break
		}
	}
	writes := func() int {
		n := 0
		for _, r := range sim.Manager.Requests() {
			if r.Path == "/active-response" {
				n++
			}
		}
		return n
	}

	s := openSession(t, ts.URL+"/mcp", "Authorization", "Bearer "+analyst)
	_, body := s.call(2, "wazuh_block_ip", `{"ip_address":"203.0.113.60","agent_id":"`+agent+`"}`, "Authorization", "Bearer "+analyst)
	if text, isErr := toolText(t, body); isErr || !strings.Contains(text, `"status":"pending"`) || !strings.Contains(text, "/approvals/") {
		t.Fatalf("ordinary write key: %s", text)
	}
	d := openSession(t, ts.URL+"/mcp", "Authorization", "Bearer "+orchestrator)
	_, body = d.call(2, "wazuh_block_ip", `{"ip_address":"127.0.0.1","agent_id":"`+agent+`"}`, "Authorization", "Bearer "+orchestrator)
	if text, isErr := toolText(t, body); !isErr || !strings.Contains(text, "protected") {
		t.Fatalf("delegated key past the policy: %s", text)
	}
	_, body = d.call(3, "wazuh_block_ip", `{"ip_address":"203.0.113.61","agent_id":"`+agent+`"}`, "Authorization", "Bearer "+orchestrator, "X-Correlation-ID", "autopilot-case-42")
	if text, isErr := toolText(t, body); isErr || !strings.Contains(text, `"status":"succeeded"`) || !strings.Contains(text, `"via":"delegated_key"`) {
		t.Fatalf("delegated key: %s", text)
	}
	if n := writes(); n != 1 {
		t.Fatalf("%d active responses reached Wazuh, want 1 (the delegated one)", n)
	}
	var buf bytes.Buffer
	if err := audit.Export(context.Background(), a.store, time.Time{}, &buf); err != nil {
		t.Fatal(err)
	}
	var proposed, called bool
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec struct {
			Record audit.Event `json:"record"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		e := rec.Record
		if e.Transition == "proposed" && e.CorrelationID == "autopilot-case-42" && strings.Contains(string(e.Detail), `"delegated":true`) {
			proposed = true
		}
		if e.Kind == audit.KindToolCall && e.CorrelationID == "autopilot-case-42" && e.Tool == "wazuh_block_ip" && e.Outcome == "ok" {
			called = true
		}
	}
	if !proposed || !called {
		t.Errorf("audit log: delegated proposal recorded %v, tool call recorded %v\n%s", proposed, called, buf.String())
	}
	if rep, err := audit.Verify(context.Background(), a.store); err != nil || !rep.OK() {
		t.Errorf("audit chain: %v %+v", err, rep)
	}
}

package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// respEnv is a stand-in of its own (its request record is per test), a
// store, a running gate and an MCP session on the full catalogue.
type respEnv struct {
	*env
	gate  *approval.Gate
	store *store.Store
	wc    *wazuh.Client
	clock *testClock
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type respOptions struct {
	deps     func(*Deps)
	client   *mcp.ClientOptions
	protocol string // client protocol version; "" = the latest
}

func newRespEnv(t *testing.T, o respOptions) *respEnv {
	t.Helper()
	sim := startOwnSim(t)
	st := openTestStore(t)
	wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	closeVerified(t, wc)
	ic, err := indexer.New(indexer.Config{URL: sim.IndexerURL, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ic.Close() })
	clock := &testClock{now: time.Now().UTC()}
	g := runTestGate(t, st, wc, clock.Now)
	prot, err := policy.NewProtected(policy.ProtectedConfig{IPs: []string{"10.0.0.0/8"}, Agents: []string{"000"}})
	if err != nil {
		t.Fatal(err)
	}
	deps := Deps{Wazuh: wc, Indexer: ic, Now: func() time.Time { return simNow }, Store: st, Gate: g,
		Response: ResponseDeps{Protected: prot, MaxTargets: 5, ARCommands: []string{"firewall-drop", "host-deny", "disable-account"},
			Elicitation: true, ElicitationWait: 5 * time.Second, ApprovalURL: func(id string) string { return "http://approvals.test/approvals/" + id }}}
	if o.deps != nil {
		o.deps(&deps)
	}
	srv := NewServer("test", Catalogue(deps), deps, nil)
	ct, stt := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), stt, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	var so *mcp.ClientSessionOptions
	if o.protocol != "" {
		so = &mcp.ClientSessionOptions{ProtocolVersion: o.protocol}
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, o.client).Connect(context.Background(), ct, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return &respEnv{env: &env{sim: sim, session: cs, now: simNow}, gate: g, store: st, wc: wc, clock: clock}
}

// writes is what reached the stand-in Manager's write endpoints.
func (e *respEnv) writes() []manager.RecordedRequest { return e.sim.Manager.Requests() }

// activeAgents are the stand-in's active agent ids, sorted.
func (e *respEnv) activeAgents(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == "active" && a["id"] != "000" {
			ids = append(ids, a["id"].(string))
		}
	}
	slices.Sort(ids)
	if len(ids) < 3 {
		t.Fatalf("stand-in has %d active agents", len(ids))
	}
	return ids
}

// callAction calls a write tool and decodes its answer even when it is an
// error result (a failed action is one).
func (e *respEnv) callAction(t *testing.T, tool string, args map[string]any) (actionOut, *mcp.CallToolResult) {
	t.Helper()
	res, err := e.session.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	var out actionOut
	text := res.Content[0].(*mcp.TextContent).Text
	if err := json.Unmarshal([]byte(text), &out); err != nil && !res.IsError {
		t.Fatalf("%s: %v\n%s", tool, err, text)
	}
	return out, res
}

func (e *respEnv) waitStatus(t *testing.T, id string, want approval.Status) approval.Action {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		a, err := e.gate.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status == want {
			return a
		}
		if a.Status.Terminal() || ctx.Err() != nil {
			t.Fatalf("action %s is %s, want %s (result %+v)", id, a.Status, want, a.Result)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var operator = approval.Approver{ID: "cli:alice", Name: "alice", Via: approval.ViaCLI}

func TestBlockIPWaitsForApprovalThenRunsOnce(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	agents := e.activeAgents(t)[:2]
	out, res := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "203.0.113.7", "agent_ids": agents, "reason": "brute force"})
	if res.IsError || out.Status != "pending" {
		t.Fatalf("status %q isError %v: %+v", out.Status, res.IsError, out)
	}
	if out.Approval == nil || !strings.Contains(out.Approval.URL, out.Action.ID) || !strings.Contains(out.Approval.CLI, out.Action.ID) {
		t.Errorf("approval hint %+v", out.Approval)
	}
	if !slices.Equal(out.IgnoredArguments, []string{"reason"}) {
		t.Errorf("ignored %v", out.IgnoredArguments)
	}
	time.Sleep(100 * time.Millisecond) // several executor passes
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("a pending action reached Wazuh: %+v", w)
	}
	if _, err := e.gate.Approve(context.Background(), out.Action.ID, out.Action.PlanHash, operator); err != nil {
		t.Fatal(err)
	}
	a := e.waitStatus(t, out.Action.ID, approval.Succeeded)
	w := e.writes()
	if len(w) != 1 {
		t.Fatalf("%d requests reached Wazuh, want exactly 1: %+v", len(w), w)
	}
	wantList := strings.Join(agents, ",")
	if w[0].Method != http.MethodPut || w[0].Path != "/active-response" || strings.Join(w[0].Query["agents_list"], "") != wantList {
		t.Errorf("request %s %s %v", w[0].Method, w[0].Path, w[0].Query)
	}
	if w[0].Body != `{"command":"firewall-drop600","alert":{"data":{"srcip":"203.0.113.7"}}}` {
		t.Errorf("body %s", w[0].Body)
	}
	if !slices.Equal(a.Result.Affected, agents) {
		t.Errorf("affected %v, want %v", a.Result.Affected, agents)
	}
	var got getActionOut
	e.call(t, "get_action", map[string]any{"action_id": out.Action.ID}, &got)
	if got.Status != "succeeded" || got.Action.Decision == nil || got.Action.Decision.By != "cli:alice" {
		t.Errorf("get_action %+v", got)
	}
	// The same call again (a client retrying) returns the first action.
	again, _ := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "203.0.113.7", "agent_ids": agents})
	if again.Action.ID != out.Action.ID || again.Status != "succeeded" {
		t.Errorf("retry gave %s %s", again.Action.ID, again.Status)
	}
	e.gate.Sweep(context.Background())
	if n := len(e.writes()); n != 1 {
		t.Errorf("%d requests after a retry, want 1", n)
	}
}

func TestApprovalRules(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	ctx := context.Background()
	agents := e.activeAgents(t)
	propose := func(ip string) actionOut {
		out, res := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": ip, "agent_id": agents[0]})
		if res.IsError || out.Status != "pending" {
			t.Fatalf("%s: %+v", ip, out)
		}
		return out
	}
	first := propose("198.51.100.1")
	other := propose("198.51.100.2")
	if other.Action.ID == first.Action.ID || other.Action.PlanHash == first.Action.PlanHash {
		t.Fatal("other arguments must make another plan")
	}
	cases := []struct {
		name string
		id   string
		hash string
		who  approval.Approver
		want error
	}{
		{"hash of another plan", first.Action.ID, other.Action.PlanHash, operator, approval.ErrHashMismatch},
		{"requester approving itself", first.Action.ID, first.Action.PlanHash, approval.Approver{ID: "local", Via: approval.ViaCLI}, approval.ErrSelfApproval},
	}
	for _, c := range cases {
		if _, err := e.gate.Approve(ctx, c.id, c.hash, c.who); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// Concurrent approvals of one action: exactly one wins, one execution.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := approval.Approver{ID: fmt.Sprintf("cli:op%d", i), Via: approval.ViaCLI}
			if _, err := e.gate.Approve(ctx, first.Action.ID, first.Action.PlanHash, who); err == nil {
				wins.Add(1)
			} else if !errors.Is(err, approval.ErrNotPending) {
				t.Errorf("approve: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d concurrent approvals succeeded, want 1", wins.Load())
	}
	e.waitStatus(t, first.Action.ID, approval.Succeeded)
	if _, err := e.gate.Approve(ctx, first.Action.ID, first.Action.PlanHash, operator); !errors.Is(err, approval.ErrNotPending) {
		t.Errorf("second approval: %v", err)
	}
	// Expiry: past its TTL nothing can approve it, and the sweep marks it.
	e.clock.Advance(16 * time.Minute)
	if _, err := e.gate.Approve(ctx, other.Action.ID, other.Action.PlanHash, operator); !errors.Is(err, approval.ErrNotPending) {
		t.Errorf("expired approval: %v", err)
	}
	e.waitStatus(t, other.Action.ID, approval.Expired)
	if n := len(e.writes()); n != 1 {
		t.Errorf("%d requests reached Wazuh, want 1", n)
	}
	// Rejection.
	third := propose("198.51.100.3")
	if _, err := e.gate.Reject(ctx, third.Action.ID, third.Action.PlanHash, operator, "false positive"); err != nil {
		t.Fatal(err)
	}
	got, res := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "198.51.100.3", "agent_id": agents[0]})
	if got.Status != "rejected" || !res.IsError || got.Action.ID != third.Action.ID {
		t.Errorf("re-call of a rejected plan: %s isError %v", got.Status, res.IsError)
	}
}

func TestElicitationApprovesInTheClient(t *testing.T) {
	// 2026-07-28 clients answer an input request and call again; older
	// ones get an elicitation request from the server during the call.
	for _, protocol := range []string{"", "2025-06-18"} {
		t.Run("protocol "+protocol, func(t *testing.T) { testElicitation(t, protocol) })
	}
}

func testElicitation(t *testing.T, protocol string) {
	var asked atomic.Int32
	var message atomic.Value
	answer := "accept"
	e := newRespEnv(t, respOptions{client: &mcp.ClientOptions{ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		asked.Add(1)
		message.Store(req.Params.Message)
		if answer == "accept" {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"approve": true}}, nil
		}
		return &mcp.ElicitResult{Action: answer}, nil
	}}, protocol: protocol})
	agents := e.activeAgents(t)
	out, res := e.callAction(t, "wazuh_disable_user", map[string]any{"username": "jdoe", "agent_id": agents[1]})
	if res.IsError || out.Status != "succeeded" || asked.Load() != 1 {
		t.Fatalf("status %s isError %v asked %d: %+v", out.Status, res.IsError, asked.Load(), out)
	}
	msg, _ := message.Load().(string)
	if !strings.Contains(msg, `"jdoe"`) || !strings.Contains(msg, "disable-account600") || !strings.Contains(msg, agents[1]) {
		t.Errorf("the user was not shown the plan: %s", msg)
	}
	for _, n := range out.Notes {
		if strings.Contains(n, "same plan") {
			t.Errorf("the re-call carrying the user's answer was reported as a retry: %s", n)
		}
	}
	if out.Action.Decision == nil || out.Action.Decision.Via != approval.ViaElicitation {
		t.Errorf("decision %+v", out.Action.Decision)
	}
	w := e.writes()
	if len(w) != 1 || w[0].Body != `{"command":"disable-account600","alert":{"data":{"dstuser":"jdoe"}}}` {
		t.Fatalf("requests %+v", w)
	}
	answer = "decline"
	out, res = e.callAction(t, "wazuh_disable_user", map[string]any{"username": "mallory", "agent_id": agents[1]})
	if !res.IsError || out.Status != "rejected" {
		t.Errorf("declined: %s isError %v", out.Status, res.IsError)
	}
	answer = "cancel"
	out, _ = e.callAction(t, "wazuh_disable_user", map[string]any{"username": "eve", "agent_id": agents[1]})
	if out.Status != "pending" {
		t.Errorf("cancelled: %s, want pending (approvable elsewhere)", out.Status)
	}
	if n := len(e.writes()); n != 1 {
		t.Errorf("%d requests reached Wazuh, want 1", n)
	}
}

func TestWriteArgumentsAreRefused(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	agents := e.activeAgents(t)
	a := agents[0]
	var cases []toolErrorCase
	protectedIPs := []string{"127.0.0.1", "::ffff:127.0.0.1", "127.1", "0x7f000001", "2130706433", "127.000.000.001", "::1",
		"0.0.0.0", "169.254.169.254", "224.0.0.1", "255.255.255.255", "fe80::1", "10.1.2.3", "::ffff:10.1.2.3", "1.2.3.4; rm -rf /", "1.2.3.4\x00"}
	for _, ip := range protectedIPs {
		cases = append(cases,
			toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": ip, "agent_id": a}, "ip_address"},
			toolErrorCase{"wazuh_firewall_drop", map[string]any{"src_ip": ip, "agent_id": a}, "src_ip"},
			toolErrorCase{"wazuh_host_deny", map[string]any{"src_ip": ip, "agent_id": a}, "src_ip"},
			toolErrorCase{"wazuh_active_response", map[string]any{"command": "firewall-drop", "agent_id": a, "parameters": map[string]any{"srcip": ip}}, "srcip"},
		)
	}
	for _, user := range []string{"root", "ROOT", "Administrator", "administrator@corp.local", "wazuh", "jdoe;reboot", "$(id)", "../etc", ""} {
		cases = append(cases, toolErrorCase{"wazuh_disable_user", map[string]any{"username": user, "agent_id": a}, "username"})
	}
	many := e.activeAgents(t)
	cases = append(cases,
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9"}, "agent_ids"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_ids": []string{}}, "agent_ids"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": "all"}, "not allowed"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "all_agents": true}, "not allowed"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_ids": many}, "at most 5"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": "000"}, "protected"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": "0000"}, "protected"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": "999"}, "no agent 999"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": "1;2"}, "agent_ids"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": a, "duration": 1234}, "configured"},
		toolErrorCase{"wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": a, "duration": -5}, "duration"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "rm -rf /", "agent_id": a}, "command"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "!evil.sh", "agent_id": a}, "allowlist"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "firewall-drop", "agent_id": a}, "srcip"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "disable-account", "agent_id": a, "parameters": map[string]any{"dstuser": "root"}}, "protected"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "firewall-drop", "agent_id": a, "parameters": map[string]any{"srcip": "203.0.113.9", "command": "!x"}}, "not accepted"},
		toolErrorCase{"wazuh_active_response", map[string]any{"command": "firewall-drop", "agent_id": a, "parameters": map[string]any{"srcip": "203.0.113.9", "arguments": []string{"a\nb"}}}, "control"},
		toolErrorCase{"wazuh_isolate_host", map[string]any{"agent_id": a}, "WAZUH_MCP_ISOLATION_COMMAND"},
		toolErrorCase{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": 42}, "WAZUH_MCP_KILL_PROCESS_COMMAND"},
		toolErrorCase{"wazuh_quarantine_file", map[string]any{"agent_id": a, "file_path": "/tmp/x"}, "WAZUH_MCP_QUARANTINE_COMMAND"},
		toolErrorCase{"wazuh_restart", map[string]any{"target": "manager"}, "WAZUH_MCP_ALLOW_MANAGER_RESTART"},
		toolErrorCase{"wazuh_restart", map[string]any{}, "agent_id"},
		toolErrorCase{"wazuh_restart", map[string]any{"agent_id": "000"}, "protected"},
		toolErrorCase{"wazuh_restart", map[string]any{"agent_id": a + "," + agents[1]}, "exactly one"},
		toolErrorCase{"get_action", map[string]any{"action_id": "act_../../x"}, "action_id"},
		toolErrorCase{"get_action", map[string]any{"action_id": "act_aaaaaaaaaaaaaaaa"}, "no action"},
	)
	checkToolErrors(t, e.env, cases)
	if w := e.writes(); len(w) != 0 {
		t.Fatalf("refused calls reached Wazuh: %+v", w)
	}
	pending, err := e.gate.List(context.Background(), 100)
	if err != nil || len(pending) != 0 {
		t.Fatalf("refused calls stored %d actions (%v)", len(pending), err)
	}
}

func TestSmuggledFieldsCannotChangeThePlan(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	a := e.activeAgents(t)[0]
	out, res := e.callAction(t, "wazuh_block_ip", map[string]any{
		"ip_address": "203.0.113.20", "agent_id": a, "command": "!rm-everything", "agents_list": "", "alert": map[string]any{"data": map[string]any{"srcip": "127.0.0.1"}},
		"arguments": []string{"-rf"}, "dry_run": true,
	})
	if res.IsError || out.Status != "dry_run" {
		t.Fatalf("%+v", out)
	}
	if string(out.Action.Body) != `{"command":"firewall-drop600","alert":{"data":{"srcip":"203.0.113.20"}}}` || out.Action.Request != "PUT /active-response?agents_list="+a {
		t.Errorf("plan changed by extra fields: %s %s", out.Action.Request, out.Action.Body)
	}
	if !slices.Equal(out.IgnoredArguments, []string{"agents_list", "alert", "arguments", "command"}) {
		t.Errorf("ignored %v", out.IgnoredArguments)
	}
	if list, _ := e.gate.List(context.Background(), 10); len(list) != 0 {
		t.Errorf("a dry run stored an action")
	}
}

func TestConfirmAndAutoModes(t *testing.T) {
	tm := &policy.ToolMap{Actions: map[string]policy.ActionPolicy{
		"wazuh_host_deny": {MCPTool: "wazuh_host_deny", RiskLevel: "medium", Reversible: true, Enabled: true, Approval: "confirm"},
		"wazuh_block_ip":  {MCPTool: "wazuh_block_ip", RiskLevel: "low", Reversible: true, Enabled: true},
	}}
	e := newRespEnv(t, respOptions{deps: func(d *Deps) { d.Response.ToolMap, d.Response.AllowAutonomous = tm, true }})
	a := e.activeAgents(t)[0]
	args := map[string]any{"src_ip": "203.0.113.30", "agent_id": a}
	out, _ := e.callAction(t, "wazuh_host_deny", args)
	if out.Status != "pending" || out.Approval == nil || out.Approval.ConfirmationCode == "" {
		t.Fatalf("confirm mode: %+v", out)
	}
	code := out.Approval.ConfirmationCode
	other := map[string]any{"src_ip": "203.0.113.31", "agent_id": a, "confirmation_code": code}
	if o, _ := e.callAction(t, "wazuh_host_deny", other); o.Status != "pending" || o.Action.ID == out.Action.ID {
		t.Errorf("a code confirmed another plan: %+v", o)
	}
	args["confirmation_code"] = "CONFIRM-WRONG"
	checkToolErrors(t, e.env, []toolErrorCase{{"wazuh_host_deny", args, "confirmation_code"}})
	args["confirmation_code"] = code
	done, res := e.callAction(t, "wazuh_host_deny", args)
	if res.IsError || done.Status != "succeeded" || done.Action.Decision.Via != approval.ViaConfirm {
		t.Fatalf("confirmed: %s %+v", done.Status, done.Action.Decision)
	}
	auto, res := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "203.0.113.32", "agent_id": a})
	if res.IsError || auto.Status != "succeeded" || auto.Action.Decision.Via != approval.ViaPolicy {
		t.Fatalf("auto: %s %+v", auto.Status, auto.Action.Decision)
	}
	if n := len(e.writes()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestZeroAgentsAffectedIsAFailure(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	a := e.activeAgents(t)[0]
	// firewall-drop1234 passes the allowlist but is not in the stand-in's
	// ar.conf: Wazuh answers 200 with the agent in failed_items.
	out, _ := e.callAction(t, "wazuh_active_response", map[string]any{"command": "firewall-drop1234", "agent_id": a, "parameters": map[string]any{"srcip": "203.0.113.40"}})
	if _, err := e.gate.Approve(context.Background(), out.Action.ID, out.Action.PlanHash, operator); err != nil {
		t.Fatal(err)
	}
	got := e.waitStatus(t, out.Action.ID, approval.Failed)
	if len(got.Result.Affected) != 0 || len(got.Result.Failed) != 1 || got.Result.Failed[0].Agent != a || got.Result.Error == "" {
		t.Errorf("result %+v", got.Result)
	}
	res := e.call(t, "get_action", map[string]any{"action_id": out.Action.ID}, nil)
	if res.IsError {
		t.Errorf("get_action of a failed action is not itself an error")
	}
}

func TestRestartAndConfiguredCommands(t *testing.T) {
	e := newRespEnv(t, respOptions{deps: func(d *Deps) {
		d.Response.IsolationCommand, d.Response.KillProcessCommand, d.Response.QuarantineCommand = "!isolate-host", "!kill-process", "!quarantine-file"
	}})
	a := e.activeAgents(t)[0]
	for _, c := range []struct {
		tool    string
		args    map[string]any
		request string
		body    string
	}{
		{"wazuh_restart", map[string]any{"agent_id": strings.TrimLeft(a, "0")}, "PUT /agents/" + a + "/restart", ""},
		{"wazuh_restart", map[string]any{"target": a}, "PUT /agents/" + a + "/restart", ""},
		{"wazuh_isolate_host", map[string]any{"agent_id": a}, "PUT /active-response?agents_list=" + a, `{"command":"!isolate-host"}`},
		{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": "4242"}, "PUT /active-response?agents_list=" + a, `{"command":"!kill-process","arguments":["4242"]}`},
		{"wazuh_quarantine_file", map[string]any{"agent_id": a, "file_path": "/tmp/dropper.bin"}, "PUT /active-response?agents_list=" + a, `{"command":"!quarantine-file","arguments":["/tmp/dropper.bin"]}`},
	} {
		c.args["dry_run"] = true
		out, res := e.callAction(t, c.tool, c.args)
		if res.IsError || out.Action.Request != c.request || string(out.Action.Body) != c.body {
			t.Errorf("%s: %s %s (isError %v)", c.tool, out.Action.Request, out.Action.Body, res.IsError)
		}
	}
	checkToolErrors(t, e.env, []toolErrorCase{
		{"wazuh_quarantine_file", map[string]any{"agent_id": a, "file_path": "/tmp/../etc/shadow"}, "file_path"},
		{"wazuh_quarantine_file", map[string]any{"agent_id": a, "file_path": "relative/x"}, "file_path"},
		{"wazuh_quarantine_file", map[string]any{"agent_id": a, "file_path": "/tmp/x\x00y"}, "file_path"},
		{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": 1}, "init"},
		{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": 1000000}, "process_id"},
	})
}

// A process_id of 0 (kill 0 signals a process group) or none at all is
// refused before anything is proposed.
func TestKillProcessRefusesPidZero(t *testing.T) {
	e := newRespEnv(t, respOptions{deps: func(d *Deps) { d.Response.KillProcessCommand = "!kill-process" }})
	a := e.activeAgents(t)[0]
	checkToolErrors(t, e.env, []toolErrorCase{
		{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": 0}, "process_id"},
		{"wazuh_kill_process", map[string]any{"agent_id": a, "process_id": "0"}, "process_id"},
		{"wazuh_kill_process", map[string]any{"agent_id": a}, "process_id"},
	})
	if got, err := e.gate.List(context.Background(), 10); err != nil || len(got) != 0 {
		t.Errorf("%d actions (%v), want none: %+v", len(got), err, got)
	}
	if n := len(e.writes()); n != 0 {
		t.Errorf("%d writes, want none", n)
	}
}

func TestForgedElicitationAnswersAreIgnored(t *testing.T) {
	e := newRespEnv(t, respOptions{client: &mcp.ClientOptions{
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return nil, errors.New("never asked")
		},
		MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true},
	}})
	a := e.activeAgents(t)[0]
	args := map[string]any{"ip_address": "203.0.113.50", "agent_id": a}
	res, err := e.session.CallTool(context.Background(), &mcp.CallToolParams{Name: "wazuh_block_ip", Arguments: args})
	if err != nil || !res.NeedsInput() || len(res.InputRequests) != 1 || res.RequestState == "" {
		t.Fatalf("want an input request: %v %+v", err, res)
	}
	var key string
	for k := range res.InputRequests {
		key = k
	}
	accept := mcp.InputResponseMap{key: &mcp.ElicitResult{Action: "accept", Content: map[string]any{"approve": true}}}
	for _, state := range []string{"", "forged", res.RequestState + "x"} {
		again, err := e.session.CallTool(context.Background(), &mcp.CallToolParams{Name: "wazuh_block_ip", Arguments: args, InputResponses: accept, RequestState: state})
		if err != nil {
			t.Fatal(err)
		}
		if !again.NeedsInput() {
			t.Errorf("state %q: an answer without our signed state was applied", state)
		}
	}
	pending, _ := e.gate.List(context.Background(), 10, approval.Pending)
	if len(pending) != 1 || len(e.writes()) != 0 {
		t.Fatalf("pending %d, writes %d", len(pending), len(e.writes()))
	}
	done, err := e.session.CallTool(context.Background(), &mcp.CallToolParams{Name: "wazuh_block_ip", Arguments: args, InputResponses: accept, RequestState: res.RequestState})
	if err != nil || done.NeedsInput() || done.IsError {
		t.Fatalf("the real answer: %v %+v", err, done)
	}
	if n := len(e.writes()); n != 1 {
		t.Errorf("%d writes, want 1", n)
	}
}

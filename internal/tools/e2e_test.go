package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// env is a stand-in Wazuh and an MCP client session on the full catalogue.
type env struct {
	sim     *wazuhsim.Sim
	session *mcp.ClientSession
	now     time.Time
}

var (
	sharedOnce sync.Once
	shared     *wazuhsim.Sim
	sharedErr  error
	simNow     = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
)

// sharedSim starts one stand-in for the package: generating it is the
// expensive part, and the tests only read from it.
func sharedSim(t *testing.T) *wazuhsim.Sim {
	t.Helper()
	sharedOnce.Do(func() {
		// Every test of the package shares this stand-in, so together they
		// exceed the Manager's 300 requests/min: its limit is off here and
		// tested where it is the subject (internal/wazuh, the manager package).
		shared, sharedErr = wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 4000, Now: simNow, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
			Manager: manager.Options{MaxRequestsPerMinute: -1}})
	})
	if sharedErr != nil {
		t.Fatalf("stand-in: %v", sharedErr)
	}
	return shared
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, sharedSim(t), nil)
}

// newEnvOn is newEnv on a given stand-in, with mod adjusting the Deps.
func newEnvOn(t *testing.T, sim *wazuhsim.Sim, mod func(*Deps)) *env {
	t.Helper()
	return newEnvSelect(t, sim, mod, nil)
}

// newEnvSelect is newEnvOn serving only the tools keep accepts (all if nil).
func newEnvSelect(t *testing.T, sim *wazuhsim.Sim, mod func(*Deps), keep func(name string) bool) *env {
	t.Helper()
	wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, Logger: slog.New(slog.DiscardHandler),
		VerifyShared: true}) // closeVerified also checks answers that left the cache
	if err != nil {
		t.Fatal(err)
	}
	closeVerified(t, wc)
	ic, err := indexer.New(indexer.Config{URL: sim.IndexerURL, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ic.Close() })
	deps := Deps{Wazuh: wc, Indexer: ic, Now: func() time.Time { return simNow }}
	if mod != nil {
		mod(&deps)
	}
	var tools []Tool
	for _, tool := range Catalogue(deps) {
		if keep == nil || keep(tool.Def.Name) {
			tools = append(tools, tool)
		}
	}
	srv := NewServer("test", tools, deps, nil)
	ct, st := mcp.NewInMemoryTransports()
	ctx := context.Background()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return &env{sim: sim, session: cs, now: simNow}
}

// call invokes a tool and decodes its text content (which clients like
// Autopilot read) into out; it returns the raw result.
func (e *env) call(t *testing.T, name string, args map[string]any, out any) *mcp.CallToolResult {
	t.Helper()
	res, err := e.session.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	text := res.Content[0].(*mcp.TextContent).Text
	if out != nil {
		if res.IsError {
			t.Fatalf("%s(%v) failed: %s", name, args, text)
		}
		if err := json.Unmarshal([]byte(text), out); err != nil {
			t.Fatalf("%s: text is not JSON: %v\n%s", name, err, text)
		}
		e.checkOutputSchema(t, name, text)
	}
	return res
}

// catalogue is built once for checkOutputSchema: schema inference for 47
// tools on every call slowed the package's tests.
var (
	catalogueOnce sync.Once
	catalogue     []Tool
)

// checkOutputSchema validates a result against the tool's advertised
// outputSchema, as strict clients do.
func (e *env) checkOutputSchema(t *testing.T, name, text string) {
	t.Helper()
	catalogueOnce.Do(func() { catalogue = Catalogue(Deps{}) })
	for _, tool := range catalogue {
		if tool.Def.Name != name {
			continue
		}
		var outline jsonschema.Schema
		b, _ := json.Marshal(tool.Def.OutputSchema)
		if err := json.Unmarshal(b, &outline); err != nil {
			t.Fatalf("%s: output schema: %v", name, err)
		}
		resolved, err := outline.Resolve(nil)
		if err != nil {
			t.Fatalf("%s: output schema: %v", name, err)
		}
		var instance map[string]any
		if err := json.Unmarshal([]byte(text), &instance); err != nil {
			t.Fatal(err)
		}
		if err := resolved.Validate(instance); err != nil {
			t.Errorf("%s: result does not match its outputSchema: %v", name, err)
		}
		for key := range instance {
			if _, ok := outline.Properties[key]; !ok && key != "notes" && key != "ignored_arguments" {
				t.Errorf("%s: result field %q is not in its outputSchema", name, key)
			}
		}
		return
	}
}

func resultError(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	if !res.IsError {
		t.Fatalf("expected an error result, got %v", res.Content)
	}
	return res.Content[0].(*mcp.TextContent).Text
}

// countAlerts counts stand-in alerts satisfying pred: the ground truth the
// tools' totals must equal.
func countAlerts(sim *wazuhsim.Sim, pred func(search.Doc) bool) int64 {
	var n int64
	for _, d := range sim.Dataset.Alerts {
		if pred(d) {
			n++
		}
	}
	return n
}

func hasValue(d search.Doc, path, want string) bool {
	for _, v := range d.Values(path) {
		if fmt.Sprint(v) == want {
			return true
		}
	}
	return false
}

func alertTime(d search.Doc) time.Time {
	if v := d.Values("timestamp"); len(v) > 0 {
		if t, ok := v[0].(time.Time); ok {
			return t
		}
	}
	return time.Time{}
}

func level(d search.Doc) int {
	if v := d.Values("rule.level"); len(v) > 0 {
		if f, ok := v[0].(float64); ok {
			return int(f)
		}
	}
	return -1
}

func TestGetAlertsTotalsAreExact(t *testing.T) {
	e := newEnv(t)
	var out AlertList
	e.call(t, "get_wazuh_alerts", map[string]any{"agent_id": "1", "level": "10+", "limit": "5", "reason": "triage"}, &out)
	want := countAlerts(e.sim, func(d search.Doc) bool { return hasValue(d, "agent.id", "001") && level(d) >= 10 })
	if out.Total != want || out.TotalRelation != "eq" {
		t.Fatalf("total = %d (%s), want exactly %d", out.Total, out.TotalRelation, want)
	}
	if want > 5 && (out.Returned != 5 || !out.Truncated || out.NextCursor == "") {
		t.Fatalf("paging: returned %d truncated %v cursor %q", out.Returned, out.Truncated, out.NextCursor)
	}
	if len(out.IgnoredArguments) != 1 || out.IgnoredArguments[0] != "reason" {
		t.Fatalf("ignored_arguments = %v, want [reason]", out.IgnoredArguments)
	}
	for _, a := range out.Alerts {
		if a.Agent.ID != "001" || a.Rule.Level < 10 {
			t.Fatalf("alert outside the filter: %+v", a)
		}
	}
}

func TestGetAlertsCursorWalksEveryAlertOnce(t *testing.T) {
	e := newEnv(t)
	args := map[string]any{"rule_groups": "sshd", "timestamp_start": "now-7d", "limit": 50}
	seen := map[string]bool{}
	var total int64
	for page := 0; page < 100; page++ {
		var out AlertList
		e.call(t, "get_wazuh_alerts", args, &out)
		total = out.Total
		for _, a := range out.Alerts {
			if seen[a.ID] {
				t.Fatalf("alert %s returned twice", a.ID)
			}
			seen[a.ID] = true
		}
		if out.NextCursor == "" {
			break
		}
		args["cursor"] = out.NextCursor
	}
	if int64(len(seen)) != total || total == 0 {
		t.Fatalf("walked %d alerts, total says %d", len(seen), total)
	}
	args["rule_groups"] = "web" // same cursor, other filters
	res := e.call(t, "get_wazuh_alerts", map[string]any{"rule_groups": "web", "cursor": args["cursor"]}, nil)
	if !res.IsError {
		t.Fatal("a cursor reused with other filters was accepted")
	}
}

func TestAlertSummaryMatchesDataset(t *testing.T) {
	e := newEnv(t)
	var out AlertSummary
	e.call(t, "get_wazuh_alert_summary", map[string]any{"time_range": "7d", "group_by": "rule.level"}, &out)
	from := e.now.Add(-7 * 24 * time.Hour)
	inWindow := func(d search.Doc) bool { t := alertTime(d); return !t.Before(from) && !t.After(e.now) }
	if want := countAlerts(e.sim, inWindow); out.Total != want {
		t.Fatalf("total = %d, want %d", out.Total, want)
	}
	var sum int64
	for _, g := range out.Groups {
		lv := g.Key
		want := countAlerts(e.sim, func(d search.Doc) bool { return inWindow(d) && fmt.Sprint(level(d)) == lv })
		if g.Count != want {
			t.Errorf("level %s: count %d, want %d", lv, g.Count, want)
		}
		sum += g.Count
	}
	if sum+out.OtherCount != out.Total {
		t.Errorf("groups add up to %d + other %d, total %d", sum, out.OtherCount, out.Total)
	}
	if !strings.Contains(out.Method, "aggregation") {
		t.Errorf("method not stated: %q", out.Method)
	}
}

func TestAlertSummaryByRuleHasLabels(t *testing.T) {
	e := newEnv(t)
	var out AlertSummary
	e.call(t, "get_wazuh_alert_summary", map[string]any{"time_range": "168h", "group_by": "rule.id", "top": 5}, &out)
	if len(out.Groups) != 5 || out.Groups[0].Label == "" || out.DistinctValues < 5 {
		t.Fatalf("summary by rule = %+v", out)
	}
}

func TestSearchFindsTheSSHIncident(t *testing.T) {
	e := newEnv(t)
	var out AlertList
	e.call(t, "search_security_events", map[string]any{"query": "sshd", "time_range": "7d", "srcip": events.AttackerSSHIP, "include_full_log": true}, &out)
	if out.Total == 0 {
		t.Fatal("the SSH brute force from the attacker IP was not found")
	}
	want := countAlerts(e.sim, func(d search.Doc) bool {
		return hasValue(d, "data.srcip", events.AttackerSSHIP) && !alertTime(d).Before(e.now.Add(-7*24*time.Hour))
	})
	if out.Total > want {
		t.Fatalf("total %d exceeds the %d alerts from that IP", out.Total, want)
	}
	a := out.Alerts[0]
	if a.SrcIP != events.AttackerSSHIP {
		t.Fatalf("public source IP must be shown, got %q", a.SrcIP)
	}
	if a.Untrusted == nil || a.Untrusted.FullLog == "" {
		t.Fatalf("full log missing under untrusted: %+v", a)
	}
	if !strings.Contains(strings.Join(out.Notes, " "), "attacker-controlled") {
		t.Fatalf("untrusted notice missing: %v", out.Notes)
	}
}

func TestInternalIPsAreRedactedByDefault(t *testing.T) {
	e := newEnv(t)
	var out AgentList
	e.call(t, "get_wazuh_agents", map[string]any{"agent_id": "001"}, &out)
	if len(out.Agents) != 1 || out.Agents[0].IP != "[internal-ip-redacted]" {
		t.Fatalf("agent IP not redacted: %+v", out.Agents)
	}
	e.call(t, "get_wazuh_agents", map[string]any{"agent_id": "001", "include_ip": true}, &out)
	if out.Agents[0].IP == "[internal-ip-redacted]" || out.Agents[0].IP == "" {
		t.Fatalf("include_ip did not reveal the address: %+v", out.Agents[0])
	}
}

func TestGetAgentsFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	var all AgentList
	e.call(t, "get_wazuh_agents", map[string]any{}, &all)
	if all.Total != len(e.sim.Dataset.Agents) {
		t.Fatalf("total %d, dataset has %d agents", all.Total, len(e.sim.Dataset.Agents))
	}
	var active AgentList
	e.call(t, "get_wazuh_agents", map[string]any{"status": "active", "limit": 5}, &active)
	wantActive := 0
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == "active" {
			wantActive++
		}
	}
	if active.Total != wantActive || active.Returned != 5 || active.NextCursor == "" {
		t.Fatalf("active: total %d (want %d), returned %d", active.Total, wantActive, active.Returned)
	}
	var next AgentList
	e.call(t, "get_wazuh_agents", map[string]any{"status": "active", "limit": 5, "cursor": active.NextCursor}, &next)
	if next.Agents[0].ID <= active.Agents[4].ID {
		t.Fatalf("second page does not follow the first: %s after %s", next.Agents[0].ID, active.Agents[4].ID)
	}
}

func TestCheckAgentHealth(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		id      string
		verdict string
	}{
		{"14", "unhealthy"}, // ws-fin-02, disconnected
		{"21", "unhealthy"}, // never connected
	}
	for _, tt := range tests {
		var out AgentHealth
		e.call(t, "check_agent_health", map[string]any{"agent_id": tt.id}, &out)
		if out.Verdict != tt.verdict || out.Healthy || len(out.Checks) < 3 || out.Method == "" {
			t.Errorf("agent %s: %+v", tt.id, out)
		}
	}
}

func TestProcessesFenceCommandLines(t *testing.T) {
	e := newEnv(t)
	var out ProcessList
	e.call(t, "get_agent_processes", map[string]any{"agent_id": "001", "limit": 1000}, &out)
	if out.Total == 0 || out.Returned != out.Total {
		t.Fatalf("processes: total %d returned %d", out.Total, out.Returned)
	}
	for _, p := range out.Processes {
		if p.Untrusted != nil {
			t.Fatalf("command line shown without include_command: %+v", p)
		}
	}
	e.call(t, "get_agent_processes", map[string]any{"agent_id": "001", "limit": 1000, "include_command": "true"}, &out)
	found := false
	for _, p := range out.Processes {
		if p.Untrusted != nil && strings.Contains(p.Untrusted.Command, events.AttackerSSHIP) {
			found = true
		}
	}
	if !found {
		t.Fatal("the reverse shell's command line is not under untrusted.command")
	}
}

func TestPortsShowTheAttackerConnection(t *testing.T) {
	e := newEnv(t)
	var out PortList
	e.call(t, "get_agent_ports", map[string]any{"agent_id": "1", "state": "established", "limit": 1000}, &out)
	found := false
	for _, p := range out.Ports {
		if p.RemoteIP == events.AttackerSSHIP {
			found = true
		}
		if p.State != "established" {
			t.Fatalf("state filter not applied: %+v", p)
		}
	}
	if !found {
		t.Fatalf("no established connection to %s on web-01: %+v", events.AttackerSSHIP, out.Ports)
	}
}

func TestBadArgumentsGiveClearErrors(t *testing.T) {
	e := newEnv(t)
	checkToolErrors(t, e, []toolErrorCase{
		{"get_wazuh_alerts", map[string]any{"limit": 5000}, "invalid argument limit: 5000 is out of range (1-1000)"},
		{"get_wazuh_alerts", map[string]any{"limit": "ten"}, "invalid argument limit"},
		{"get_wazuh_alerts", map[string]any{"level": "high"}, "invalid argument level"},
		{"get_wazuh_alerts", map[string]any{"agent_id": "1;2"}, "invalid argument agent_id"},
		{"get_wazuh_alerts", map[string]any{"rule_groups": []string{"a b"}}, "invalid argument rule_groups"},
		{"get_wazuh_alerts", map[string]any{"timestamp_start": "yesterday"}, "invalid argument timestamp_start"},
		{"get_wazuh_alerts", map[string]any{"timestamp_start": "now", "timestamp_end": "now-1h"}, "must be before timestamp_end"},
		{"search_security_events", map[string]any{}, "invalid argument query: is required"},
		{"search_security_events", map[string]any{"query": "x", "srcip": "1.2.3"}, "invalid argument srcip"},
		{"search_security_events", map[string]any{"query": "x", "time_range": "forever"}, "invalid argument time_range"},
		{"get_wazuh_alert_summary", map[string]any{"group_by": "full_log"}, "invalid argument group_by"},
		{"get_wazuh_agents", map[string]any{"status": "running"}, "invalid argument status"},
		{"check_agent_health", map[string]any{}, "invalid argument agent_id"},
		{"check_agent_health", map[string]any{"agent_id": "999"}, "invalid argument agent_id: no agent 999 exists"},
		{"get_agent_ports", map[string]any{"agent_id": "1", "state": "open"}, "invalid argument state"},
		{"get_agent_processes", map[string]any{"agent_id": "1", "cursor": "bogus"}, "invalid argument cursor"},
	})
}

// toolErrorCase is a call that must fail with a message containing want.
type toolErrorCase struct {
	tool string
	args map[string]any
	want string
}

func checkToolErrors(t *testing.T, e *env, cases []toolErrorCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.tool+"/"+tt.want, func(t *testing.T) {
			got := resultError(t, e.call(t, tt.tool, tt.args, nil))
			if !strings.Contains(got, tt.want) {
				t.Fatalf("error = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestIndexerNotConfigured(t *testing.T) {
	sim := sharedSim(t)
	wc, _ := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword})
	closeVerified(t, wc)
	ic, _ := indexer.New(indexer.Config{})
	deps := Deps{Wazuh: wc, Indexer: ic}
	var agents, alerts Tool
	for _, tool := range Catalogue(deps) {
		switch tool.Def.Name {
		case "get_wazuh_agents":
			agents = tool
		case "get_wazuh_alerts":
			alerts = tool
		}
	}
	res, _ := alerts.Handler(context.Background(), &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Arguments: json.RawMessage(`{}`)}})
	if !res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, "WAZUH_INDEXER_HOST") {
		t.Fatalf("alerts without indexer: %+v", res.Content[0])
	}
	res, _ = agents.Handler(context.Background(), &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Arguments: json.RawMessage(`{}`)}})
	if res.IsError {
		t.Fatalf("Manager tools must work without an indexer: %+v", res.Content[0])
	}
}

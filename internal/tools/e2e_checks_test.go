package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// checkClock is the stand-in's and the tools' clock in the check tests.
type checkClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *checkClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *checkClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// checkEnv is a stand-in of its own (active responses add alerts to it, so
// the shared one stays untouched), an MCP session, and a client to send
// active responses as an executed action would.
type checkEnv struct {
	*env
	clock *checkClock
	wc    *wazuh.Client
}

func newCheckEnv(t *testing.T, mod func(*Deps)) *checkEnv {
	t.Helper()
	return newCheckEnvAt(t, &checkClock{t: simNow}, mod)
}

func newCheckEnvAt(t *testing.T, clock *checkClock, mod func(*Deps)) *checkEnv {
	t.Helper()
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 4000, Now: simNow, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1, Now: clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	e := newEnvOn(t, sim, func(d *Deps) {
		d.Now = clock.Now
		if mod != nil {
			mod(d)
		}
	})
	wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	closeVerified(t, wc)
	return &checkEnv{env: e, clock: clock, wc: wc}
}

// run sends an active response as the gate's executor would.
func (c *checkEnv) run(t *testing.T, agent string, cmd wazuh.ActiveResponseCommand) {
	t.Helper()
	if _, err := c.wc.ActiveResponse(context.Background(), []string{agent}, cmd); err != nil {
		t.Fatalf("active response %s: %v", cmd.Command, err)
	}
}

type checkAnswer struct {
	Blocked, Isolated, Running, Disabled, Quarantined *bool
	Evidence                                          []CheckEvidence
	Method                                            string
	ScanTime                                          string `json:"scan_time"`
}

// check calls a verification tool and also reads its boolean the way Wazuh
// Autopilot does: the top-level field of the first {...} of content[0].text.
func (c *checkEnv) check(t *testing.T, tool, field string, a map[string]any) (*bool, checkAnswer) {
	t.Helper()
	var out checkAnswer
	res := c.call(t, tool, a, &out)
	text := res.Content[0].(*mcp.TextContent).Text
	first := text[strings.Index(text, "{"):]
	var top map[string]json.RawMessage
	if err := json.NewDecoder(strings.NewReader(first)).Decode(&top); err != nil {
		t.Fatalf("%s: first object: %v", tool, err)
	}
	raw, ok := top[field]
	if !ok {
		t.Fatalf("%s: no top-level %q in %s", tool, field, text)
	}
	var v *bool
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %s is %s, not a boolean or null", tool, field, raw)
	}
	if out.Method == "" {
		t.Errorf("%s: no method stated", tool)
	}
	return v, out
}

func want(t *testing.T, what string, got *bool, w *bool) {
	t.Helper()
	switch {
	case w == nil && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case w != nil && got == nil:
		t.Errorf("%s = null, want %v", what, *w)
	case w != nil && *got != *w:
		t.Errorf("%s = %v, want %v", what, *got, *w)
	}
}

var (
	yes = yesNo(true)
	no  = yesNo(false)
)

func evidenceWith(ev []CheckEvidence, source, ruleID string) *CheckEvidence {
	for i := range ev {
		if ev[i].Source == source && (ruleID == "" || ev[i].RuleID == ruleID) {
			return &ev[i]
		}
	}
	return nil
}

func TestCheckBlockedIP(t *testing.T) {
	c := newCheckEnv(t, nil)
	ip := "203.0.113.77"
	got, out := c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip})
	want(t, "blocked before any response", got, no)
	if len(out.Evidence) != 0 {
		t.Errorf("evidence before any response: %+v", out.Evidence)
	}

	c.run(t, "001", wazuh.ActiveResponseCommand{Command: "firewall-drop600", Alert: wazuh.AlertData{SrcIP: ip}})
	live := c.sim.LiveAlerts()
	if len(live) != 1 {
		t.Fatalf("stand-in produced %d alerts, want the add alert", len(live))
	}
	liveID := live[0].ID()
	got, out = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip, "reason": "verify"})
	want(t, "blocked after firewall-drop600", got, yes)
	ev := evidenceWith(out.Evidence, "alert_history", "651")
	if ev == nil || ev.AlertID != liveID || ev.AgentID != "001" || ev.Time != simNow.Format(time.RFC3339) {
		t.Errorf("evidence: %+v (alert %s)", out.Evidence, liveID)
	}
	// Another agent, another IP notation of the same address.
	got, _ = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip, "agent_id": "2"})
	want(t, "blocked on agent 002", got, no)
	got, _ = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": "::ffff:" + ip, "agent_id": "1"})
	want(t, "blocked (IPv4-mapped notation) on 001", got, yes)

	// The block expires by itself after the command's timeout.
	c.clock.Add(599 * time.Second)
	got, _ = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip})
	want(t, "blocked 1s before the timeout", got, yes)
	c.clock.Add(time.Second)
	got, out = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip})
	want(t, "blocked after the timeout", got, no)
	if ev := evidenceWith(out.Evidence, "alert_history", "652"); ev == nil || ev.Time != simNow.Add(600*time.Second).Format(time.RFC3339) {
		t.Errorf("unblock evidence: %+v", out.Evidence)
	}

	// host-deny blocks count too, and a script with no timeout stays.
	c.run(t, "003", wazuh.ActiveResponseCommand{Command: "!host-deny", Alert: wazuh.AlertData{SrcIP: ip}})
	c.clock.Add(48 * time.Hour)
	got, out = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": ip})
	want(t, "blocked by !host-deny", got, yes)
	if evidenceWith(out.Evidence, "alert_history", "653") == nil {
		t.Errorf("host-deny evidence: %+v", out.Evidence)
	}

	for _, bad := range []map[string]any{{"ip_address": "1.2.3"}, {"ip_address": "010.0.0.1"}, {"ip_address": ip, "agent_id": "x1"}, {}} {
		res := c.call(t, "wazuh_check_blocked_ip", bad, nil)
		if msg := resultError(t, res); !strings.Contains(msg, "ip_address") && !strings.Contains(msg, "agent_id") {
			t.Errorf("%v: error does not name the argument: %s", bad, msg)
		}
	}
}

func TestCheckUserStatus(t *testing.T) {
	c := newCheckEnv(t, nil)
	a := map[string]any{"agent_id": "004", "username": "jdoe"}
	got, _ := c.check(t, "wazuh_check_user_status", "disabled", a)
	want(t, "disabled before", got, no)
	c.run(t, "004", wazuh.ActiveResponseCommand{Command: "disable-account600", Alert: wazuh.AlertData{DstUser: "jdoe"}})
	got, out := c.check(t, "wazuh_check_user_status", "disabled", a)
	want(t, "disabled after disable-account600", got, yes)
	if evidenceWith(out.Evidence, "alert_history", "657") == nil {
		t.Errorf("evidence: %+v", out.Evidence)
	}
	got, _ = c.check(t, "wazuh_check_user_status", "disabled", map[string]any{"agent_id": "004", "username": "jdoe2"})
	want(t, "another user", got, no)
	got, _ = c.check(t, "wazuh_check_user_status", "disabled", map[string]any{"agent_id": "005", "username": "jdoe"})
	want(t, "another agent", got, no)
	c.clock.Add(600 * time.Second)
	got, _ = c.check(t, "wazuh_check_user_status", "disabled", a)
	want(t, "disabled after the timeout re-enabled it", got, no)
	for _, bad := range []string{"a b", "root;id", strings.Repeat("a", 129), ""} {
		res := c.call(t, "wazuh_check_user_status", map[string]any{"agent_id": "004", "username": bad}, nil)
		if !strings.Contains(resultError(t, res), "username") {
			t.Errorf("username %q accepted", bad)
		}
	}
}

func TestCheckProcess(t *testing.T) {
	c := newCheckEnv(t, nil)
	procs := c.sim.Dataset.Syscollector["001"]["processes"]
	if len(procs) == 0 {
		t.Fatal("no processes in the dataset for 001")
	}
	p := procs[len(procs)/2]
	pid, _ := strconv.Atoi(p["pid"].(string))
	scan := p["scan"].(map[string]any)["time"].(string)
	got, out := c.check(t, "wazuh_check_process", "running", map[string]any{"agent_id": "1", "process_id": pid})
	want(t, "running (pid in inventory)", got, yes)
	if out.ScanTime != scan || evidenceWith(out.Evidence, "inventory", "") == nil {
		t.Errorf("scan time %q (want %q), evidence %+v", out.ScanTime, scan, out.Evidence)
	}
	pids := map[int]bool{}
	for _, it := range procs {
		n, _ := strconv.Atoi(it["pid"].(string))
		pids[n] = true
	}
	absent := 999999
	for pids[absent] {
		absent--
	}
	got, _ = c.check(t, "wazuh_check_process", "running", map[string]any{"agent_id": "001", "process_id": strconv.Itoa(absent)})
	want(t, "running (pid absent)", got, no)
	for _, bad := range []any{0, 1000000, -1, "abc"} {
		res := c.call(t, "wazuh_check_process", map[string]any{"agent_id": "001", "process_id": bad}, nil)
		if !strings.Contains(resultError(t, res), "process_id") {
			t.Errorf("process_id %v accepted", bad)
		}
	}
	res := c.call(t, "wazuh_check_process", map[string]any{"agent_id": "999", "process_id": 1}, nil)
	if !strings.Contains(resultError(t, res), "agent_id") {
		t.Error("unknown agent accepted")
	}
}

func TestCheckAgentIsolation(t *testing.T) {
	c := newCheckEnv(t, func(d *Deps) { d.Response.IsolationCommand = "!isolate-host.sh" })
	got, _ := c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated before", got, no)
	c.run(t, "009", wazuh.ActiveResponseCommand{Command: "!isolate-host.sh"})
	got, out := c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated after the isolation script ran", got, yes)
	if evidenceWith(out.Evidence, "alert_history", "657") == nil {
		t.Errorf("evidence: %+v", out.Evidence)
	}
	got, _ = c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "008"})
	want(t, "another agent", got, no)

	// Without an isolation command and without action history, nothing
	// can tell.
	u := newCheckEnv(t, nil)
	got, _ = u.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated with no isolation command", got, nil)
}

func TestCheckFileQuarantine(t *testing.T) {
	c := newCheckEnv(t, func(d *Deps) { d.Response.QuarantineCommand = "!quarantine-file.sh" })
	ds := c.sim.Dataset
	active := map[string]bool{}
	for _, a := range ds.Agents {
		if a["status"] == "active" {
			active[a["id"].(string)] = true
		}
	}
	inFIM := func(agent, path string) bool {
		return slices.ContainsFunc(ds.Syscheck[agent], func(it map[string]any) bool { return it["file"] == path })
	}
	// A path FIM still has, and a path FIM last saw deleted.
	present := ds.Syscheck["001"][0]["file"].(string)
	var delAgent, delPath string
	lastEvent := map[string]string{}
	for _, d := range ds.Alerts { // oldest first: the last write wins
		ag, p, ev := d.Values("agent.id"), d.Values("syscheck.path"), d.Values("syscheck.event")
		if len(ag) > 0 && len(p) > 0 && len(ev) > 0 {
			lastEvent[ag[0].(string)+"|"+p[0].(string)] = ev[0].(string)
		}
	}
	for k, ev := range lastEvent {
		ag, p, _ := strings.Cut(k, "|")
		if ev == "deleted" && active[ag] && !inFIM(ag, p) && (delPath == "" || k < delAgent+"|"+delPath) {
			delAgent, delPath = ag, p
		}
	}
	if delPath == "" {
		t.Fatal("the dataset has no FIM deletion on an active agent")
	}

	got, _ := c.check(t, "wazuh_check_file_quarantine", "quarantined", map[string]any{"agent_id": "001", "file_path": present})
	want(t, "quarantined (file in FIM, nothing ran)", got, no)
	got, _ = c.check(t, "wazuh_check_file_quarantine", "quarantined", map[string]any{"agent_id": delAgent, "file_path": delPath})
	want(t, "quarantined (deleted, but no quarantine ran)", got, no)

	c.run(t, delAgent, wazuh.ActiveResponseCommand{Command: "!quarantine-file.sh", Arguments: []string{delPath}})
	got, out := c.check(t, "wazuh_check_file_quarantine", "quarantined", map[string]any{"agent_id": delAgent, "file_path": delPath})
	want(t, "quarantined (script ran, FIM reports it deleted)", got, yes)
	if evidenceWith(out.Evidence, "alert_history", "657") == nil || evidenceWith(out.Evidence, "alert_history", "553") == nil {
		t.Errorf("evidence: %+v", out.Evidence)
	}

	c.run(t, "001", wazuh.ActiveResponseCommand{Command: "!quarantine-file.sh", Arguments: []string{present}})
	got, _ = c.check(t, "wazuh_check_file_quarantine", "quarantined", map[string]any{"agent_id": "001", "file_path": present})
	want(t, "quarantined (script ran, FIM still has the file)", got, no)

	unmonitored := "/opt/unmonitored/payload.bin"
	c.run(t, "001", wazuh.ActiveResponseCommand{Command: "!quarantine-file.sh", Arguments: []string{unmonitored}})
	got, _ = c.check(t, "wazuh_check_file_quarantine", "quarantined", map[string]any{"agent_id": "001", "file_path": unmonitored})
	want(t, "quarantined (script ran, path not in FIM)", got, nil)

	for _, bad := range []string{"relative/path", "/tmp/a\nb", "/" + strings.Repeat("a", 500), ""} {
		res := c.call(t, "wazuh_check_file_quarantine", map[string]any{"agent_id": "001", "file_path": bad}, nil)
		if !strings.Contains(resultError(t, res), "file_path") {
			t.Errorf("file_path %q accepted", bad)
		}
	}
}

// TestCheckWithGateHistory: actions the gate executed are evidence (and
// the only evidence of an isolation when no isolation command is
// configured for the alert lookup).
func TestCheckWithGateHistory(t *testing.T) {
	clock := &checkClock{t: simNow} // the gate's, the tools' and the stand-in's
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	var gate *approval.Gate
	c := newCheckEnvAt(t, clock, func(d *Deps) {
		d.Store = st
		gate = approval.New(st, d.Wazuh, approval.Options{Now: clock.Now})
		d.Gate = gate
	})
	execute := func(action string, agent string, cmd wazuh.ActiveResponseCommand) approval.Action {
		t.Helper()
		req, err := wazuh.ActiveResponseRequest([]string{agent}, cmd)
		if err != nil {
			t.Fatal(err)
		}
		p, err := gate.Propose(context.Background(), approval.Proposal{Tool: "test", Mode: approval.ModeAuto,
			Requester: approval.Requester{ID: "tester"},
			Plan:      approval.Plan{Action: action, Request: req, Targets: []string{agent}, Summary: action}})
		if err != nil {
			t.Fatal(err)
		}
		gate.Sweep(context.Background())
		a, err := gate.Get(context.Background(), p.Action.ID)
		if err != nil || a.Status != approval.Succeeded {
			t.Fatalf("action %s: %v %+v", action, err, a)
		}
		return a
	}
	got, _ := c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated with an empty history", got, no)
	iso := execute("isolate_host", "009", wazuh.ActiveResponseCommand{Command: "!isolate-host.sh"})
	got, out := c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated after the gate executed isolate_host", got, yes)
	if ev := evidenceWith(out.Evidence, "action_history", ""); ev == nil || ev.ActionID != iso.ID {
		t.Errorf("evidence: %+v", out.Evidence)
	}
	clock.Add(time.Minute)
	execute("unisolate_host", "009", wazuh.ActiveResponseCommand{Command: "!unisolate-host.sh"})
	got, _ = c.check(t, "wazuh_check_agent_isolation", "isolated", map[string]any{"agent_id": "009"})
	want(t, "isolated after un-isolation", got, no)

	blk := execute("block_ip", "002", wazuh.ActiveResponseCommand{Command: "firewall-drop3600", Alert: wazuh.AlertData{SrcIP: "198.51.100.23"}})
	got, out = c.check(t, "wazuh_check_blocked_ip", "blocked", map[string]any{"ip_address": "198.51.100.23"})
	want(t, "blocked by a gate action", got, yes)
	ev := evidenceWith(out.Evidence, "action_history", "")
	if ev == nil || ev.ActionID != blk.ID || !strings.Contains(ev.Fact, "after 1h0m0s") || evidenceWith(out.Evidence, "alert_history", "651") == nil {
		t.Errorf("evidence: %+v", out.Evidence)
	}
}

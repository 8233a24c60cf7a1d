package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// The verification tools answer "did the response take effect?" from what
// Wazuh recorded: the alerts that active-response scripts produce (their
// active-responses.log is monitored; rules 651-657), the agents' inventory
// (syscollector, FIM) and the gate's history of executed actions. They
// never claim live state: each states its rule in "method" and lists the
// facts it used in "evidence". The answer is a top-level boolean, or null
// when the evidence does not decide it, because clients such as Wazuh
// Autopilot read it from the first JSON object of the text.

// checksToolset is the response toolset, to which the checks belong.
const checksToolset = "response"

// checkLookback bounds the alert history a check reads: longer than the
// longest stock block (86400 s), short enough to stay cheap.
const checkLookback = 30 * 24 * time.Hour

// checkMaxEvidence bounds the evidence listed per check.
const checkMaxEvidence = 12

func checkTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(checksToolset, Spec{Name: "wazuh_check_blocked_ip", Title: "Check whether an IP is blocked",
			Description: "Is an IP blocked by active response? From alert and action history."}, lim, d.checkBlockedIP),
		newTool(checksToolset, Spec{Name: "wazuh_check_agent_isolation", Title: "Check whether an agent is isolated",
			Description: "Is an agent isolated? From isolation actions, their alerts and the agent's connection."}, lim, d.checkIsolation),
		newTool(checksToolset, Spec{Name: "wazuh_check_process", Title: "Check whether a process runs",
			Description: "Is a process id running on an agent, per the latest process inventory scan?"}, lim, d.checkProcess),
		newTool(checksToolset, Spec{Name: "wazuh_check_user_status", Title: "Check whether a user is disabled",
			Description: "Is a user account disabled by active response (disable-account)? From alert history."}, lim, d.checkUserStatus),
		newTool(checksToolset, Spec{Name: "wazuh_check_file_quarantine", Title: "Check whether a file is quarantined",
			Description: "Was a file quarantined? From quarantine actions, their alerts and FIM for its path."}, lim, d.checkFileQuarantine),
	}
}

// CheckEvidence is one fact a check is based on.
type CheckEvidence struct {
	Source   string `json:"source" jsonschema:"alert_history, inventory or action_history"`
	Time     string `json:"time,omitempty"`
	Fact     string `json:"fact"`
	AgentID  string `json:"agent_id,omitempty"`
	RuleID   string `json:"rule_id,omitempty"`
	AlertID  string `json:"alert_id,omitempty"`
	ActionID string `json:"action_id,omitempty"`
}

const (
	srcAlerts    = "alert_history"
	srcInventory = "inventory"
	srcActions   = "action_history"
)

func yesNo(b bool) *bool { return &b }

// --- inputs ---

type checkIPIn struct {
	IPAddress args.String `json:"ip_address"`
	AgentID   args.String `json:"agent_id,omitempty" jsonschema:"limit to one agent"`
}

type checkAgentIn struct {
	AgentID args.String `json:"agent_id"`
}

type checkProcessIn struct {
	AgentID   args.String `json:"agent_id"`
	ProcessID args.Int    `json:"process_id" jsonschema:"1-999999"`
}

type checkUserIn struct {
	AgentID  args.String `json:"agent_id"`
	Username args.String `json:"username"`
}

type checkFileIn struct {
	AgentID  args.String `json:"agent_id"`
	FilePath args.String `json:"file_path" jsonschema:"absolute path, at most 500 characters"`
}

func checkUsername(v string) (string, error) {
	v = strings.TrimSpace(v)
	if !userRe.MatchString(v) {
		return "", args.Errorf("username", "must be 1-128 characters of letters, digits and . _ @ -")
	}
	return v, nil
}

func checkProcessID(v args.Int) (int, error) {
	if v < 1 || v > 999999 {
		return 0, args.Errorf("process_id", "%d is out of range (1-999999)", int(v))
	}
	return int(v), nil
}

// --- alert history ---

// arAlert is what the checks read of an alert.
type arAlert struct {
	Timestamp string `json:"timestamp"`
	ID        string `json:"id"`
	Rule      struct {
		ID string `json:"id"`
	} `json:"rule"`
	Agent struct {
		ID string `json:"id"`
	} `json:"agent"`
	Data struct {
		Command    string `json:"command"`
		SrcIP      string `json:"srcip"`
		DstUser    string `json:"dstuser"`
		Parameters struct {
			Program   string            `json:"program"`
			ExtraArgs wazuh.FlexStrings `json:"extra_args"`
		} `json:"parameters"`
	} `json:"data"`
	Syscheck struct {
		Path  string `json:"path"`
		Event string `json:"event"`
	} `json:"syscheck"`
}

func (a arAlert) time() time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000-0700", a.Timestamp)
	if t.IsZero() {
		t, _ = parseWazuhTime(a.Timestamp)
	}
	return t.UTC()
}

// arRuleIDs are the rules of active-response log lines (0015-ossec_rules.xml).
var arRuleIDs = []string{"651", "652", "653", "654", "655", "656", "657"}

// alertHistory returns up to 200 alerts matching f over the lookback
// window, newest first.
func (d Deps) alertHistory(ctx context.Context, f indexer.AlertFilter) ([]arAlert, error) {
	now := d.now()
	f.From, f.To = now.Add(-checkLookback), now
	res, err := d.Indexer.SearchAlerts(ctx, indexer.SearchRequest{Filter: f, Size: 200,
		Source: []string{"timestamp", "id", "rule.id", "agent.id", "data.command", "data.srcip", "data.dstuser",
			"data.parameters.program", "data.parameters.extra_args", "syscheck.path", "syscheck.event"}})
	if err != nil {
		return nil, alertError(err)
	}
	if res.TimedOut || res.FailedShards > 0 {
		return nil, fmt.Errorf("the indexer answered partially (timed out or failed shards)")
	}
	out := make([]arAlert, 0, len(res.Hits))
	for _, h := range res.Hits {
		var a arAlert
		if json.Unmarshal(h.Source, &a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

func alertFact(a arAlert, what string) CheckEvidence {
	return CheckEvidence{Source: srcAlerts, Time: a.time().Format(time.RFC3339), AgentID: policy.Fence(a.Agent.ID, 8),
		RuleID: policy.Fence(a.Rule.ID, 8), AlertID: policy.Fence(a.ID, 64),
		Fact: fmt.Sprintf("%s: %s %s", what, policy.Fence(scriptName(a.Data.Parameters.Program), 64), policy.Fence(a.Data.Command, 16))}
}

// scriptName is the script of a program path or command name, without
// directory, "!", ar.conf timeout suffix or extension: firewall-drop for
// active-response/bin/firewall-drop, firewall-drop600 and !firewall-drop.sh.
func scriptName(s string) string {
	s = s[strings.LastIndexAny(s, `/\`)+1:]
	if name, ok := strings.CutPrefix(s, "!"); ok {
		s = name
	} else if trimmed := strings.TrimRight(s, "0123456789"); trimmed != "" && !strings.Contains(s, ".") {
		s = trimmed
	}
	for _, ext := range []string{".sh", ".py", ".exe", ".cmd", ".ps1"} {
		s = strings.TrimSuffix(s, ext)
	}
	return s
}

// --- action history ---

// pastAction is an active response the gate sent: succeeded, or
// failed_unknown (Unknown), which may have taken effect.
type pastAction struct {
	ID      string
	Unknown bool
	Name    string // plan action (toolmap name)
	Command string
	Args    []string
	SrcIP   string
	DstUser string
	Agents  []string
	At      time.Time
}

// arPlanBody is the body of a planned PUT /active-response.
type arPlanBody struct {
	Command   string   `json:"command"`
	Arguments []string `json:"arguments"`
	Alert     struct {
		Data struct {
			SrcIP   string `json:"srcip"`
			DstUser string `json:"dstuser"`
		} `json:"data"`
	} `json:"alert"`
}

// actionHistory returns the active-response actions of the gate that ran or
// may have run (succeeded, failed_unknown), newest first; nil without a
// gate. Leaving failed_unknown out made a check answer false about an
// action that may well have taken effect.
func (d Deps) actionHistory(ctx context.Context) ([]pastAction, error) {
	if d.Gate == nil {
		return nil, nil
	}
	acts, err := d.Gate.List(ctx, 200, approval.Succeeded, approval.FailedUnknown)
	if err != nil {
		return nil, err
	}
	var out []pastAction
	for _, a := range acts {
		if p, ok := toPastAction(a); ok {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b pastAction) int { return b.At.Compare(a.At) })
	return out, nil
}

func toPastAction(a approval.Action) (pastAction, bool) {
	req := a.Plan.Request
	if (a.Status != approval.Succeeded && a.Status != approval.FailedUnknown) || req.Endpoint != "/active-response" {
		return pastAction{}, false
	}
	var body arPlanBody
	if json.Unmarshal(req.Body, &body) != nil {
		return pastAction{}, false
	}
	p := pastAction{ID: a.ID, Unknown: a.Status == approval.FailedUnknown, Name: a.Plan.Action, Command: body.Command, Args: body.Arguments,
		SrcIP: body.Alert.Data.SrcIP, DstUser: body.Alert.Data.DstUser, At: a.CreatedAt}
	if a.Result != nil {
		p.Agents = a.Result.Affected
		if !a.Result.FinishedAt.IsZero() {
			p.At = a.Result.FinishedAt
		}
	}
	if len(p.Agents) == 0 {
		p.Agents = strings.Split(req.Query["agents_list"], ",")
	}
	return p, true
}

func (p pastAction) on(agent string) bool { return agent == "" || slices.Contains(p.Agents, agent) }

// timeout is the undo delay of an ar.conf command (firewall-drop600: 600
// s); 0 for "!script" and names without a timeout.
func (p pastAction) timeout() time.Duration {
	if strings.HasPrefix(p.Command, "!") {
		return 0
	}
	n, _ := strconv.Atoi(p.Command[len(strings.TrimRight(p.Command, "0123456789")):])
	return time.Duration(n) * time.Second
}

func actionFact(p pastAction, fact string) CheckEvidence {
	return CheckEvidence{Source: srcActions, Time: p.At.UTC().Format(time.RFC3339), ActionID: p.ID, Fact: fact}
}

// executed is how a fact names what the gate did with p.
func (p pastAction) executed() string {
	if p.Unknown {
		return "sent, outcome unknown (failed_unknown),"
	}
	return "executed"
}

// noteUnknown is the note of a check left undecided by a failed_unknown action.
func noteUnknown(r *Result, what string, p pastAction) {
	r.AddNote("action %s (%s) may or may not have reached the agent (failed_unknown): whether it %s cannot be told until an alert shows it", p.ID, policy.Fence(p.Command, 64), what)
}

// --- wazuh_check_blocked_ip ---

// BlockedIPCheck is the answer of wazuh_check_blocked_ip.
type BlockedIPCheck struct {
	Blocked  *bool           `json:"blocked" jsonschema:"true, false, or null when the evidence does not decide"`
	IP       string          `json:"ip_address"`
	AgentID  string          `json:"agent_id,omitempty"`
	Evidence []CheckEvidence `json:"evidence"`
	Method   string          `json:"method"`
	Result
}

// blockScripts are the stock scripts that block an IP.
var blockScripts = []string{"firewall-drop", "host-deny", "route-null", "netsh"}

const blockedMethod = "blocked = on some agent, the latest firewall-drop/host-deny/route-null/netsh active-response alert for this IP (last 30 days) is an add with no later delete; " +
	"null when the gate executed (or sent with unknown outcome: failed_unknown) a block whose alert has not arrived and whose timeout has not passed; false otherwise. " +
	"Evidence is alert and action history, not live firewall state; the alerts come from the agent's own log."

func (d Deps) checkBlockedIP(ctx context.Context, in *checkIPIn) (*BlockedIPCheck, error) {
	ip, err := policy.ParseIP(string(in.IPAddress))
	if err != nil {
		return nil, args.Errorf("ip_address", "%v", err)
	}
	agent, err := args.OptionalAgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	out := &BlockedIPCheck{IP: ip.String(), AgentID: agent, Evidence: []CheckEvidence{}, Method: blockedMethod}
	f := indexer.AlertFilter{RuleIDs: arRuleIDs, SrcIPs: []string{ip.String()}}
	if agent != "" {
		f.AgentIDs = []string{agent}
	}
	alerts, alertErr := d.alertHistory(ctx, f)
	// latest add/delete per (agent, script)
	latest := map[string]arAlert{}
	var keys []string
	for _, a := range alerts {
		s := scriptName(a.Data.Parameters.Program)
		if !slices.Contains(blockScripts, s) || (a.Data.Command != "add" && a.Data.Command != "delete") {
			continue
		}
		k := a.Agent.ID + "/" + s
		if _, seen := latest[k]; !seen {
			latest[k] = a
			keys = append(keys, k)
		}
	}
	blocked := false
	var lastAlert time.Time
	for _, k := range keys {
		a := latest[k]
		if a.time().After(lastAlert) {
			lastAlert = a.time()
		}
		if a.Data.Command == "add" {
			blocked = true
			out.Evidence = append(out.Evidence, alertFact(a, "blocked, no later unblock"))
		} else {
			out.Evidence = append(out.Evidence, alertFact(a, "latest is an unblock"))
		}
	}
	pending := false
	var unknown *pastAction
	acts, actErr := d.actionHistory(ctx)
	for _, p := range acts {
		if !p.on(agent) || !sameIP(p.SrcIP, ip) || !slices.Contains(blockScripts, scriptName(p.Command)) {
			continue
		}
		fact := fmt.Sprintf("the gate %s %s for this IP on agents %s", p.executed(), policy.Fence(p.Command, 64), strings.Join(p.Agents, ","))
		if t := p.timeout(); t > 0 {
			fact += fmt.Sprintf("; it undoes itself after %s (at %s)", t, p.At.Add(t).UTC().Format(time.RFC3339))
		}
		out.Evidence = append(out.Evidence, actionFact(p, fact))
		if p.At.After(lastAlert) && (p.timeout() == 0 || d.now().Before(p.At.Add(p.timeout()))) {
			if p.Unknown {
				unknown = &p
			} else {
				pending = true
			}
		}
	}
	switch {
	case alertErr != nil:
		out.AddNote("alert history unavailable: %s", errorText(alertErr))
	case blocked:
		out.Blocked = yesNo(true)
	case unknown != nil && !pending:
		noteUnknown(&out.Result, "blocked the IP", *unknown)
	case pending:
		out.AddNote("a block was executed but no alert shows the agent ran it yet; check again shortly")
	default:
		out.Blocked = yesNo(false)
	}
	out.Evidence = finishCheck(&out.Result, out.Evidence, actErr)
	return out, nil
}

func sameIP(s string, ip netip.Addr) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	return err == nil && a.Unmap() == ip
}

// finishCheck notes an unavailable action history and caps the evidence.
func finishCheck(r *Result, ev []CheckEvidence, actErr error) []CheckEvidence {
	if actErr != nil {
		r.AddNote("action history unavailable: %s", errorText(actErr))
	}
	return capEvidence(ev, r)
}

func capEvidence(ev []CheckEvidence, r *Result) []CheckEvidence {
	if len(ev) > checkMaxEvidence {
		r.AddNote("%d more facts not listed", len(ev)-checkMaxEvidence)
		return ev[:checkMaxEvidence]
	}
	return ev
}

// --- wazuh_check_user_status ---

// UserStatusCheck is the answer of wazuh_check_user_status.
type UserStatusCheck struct {
	Disabled *bool           `json:"disabled" jsonschema:"true, false, or null when the evidence does not decide"`
	AgentID  string          `json:"agent_id"`
	Username string          `json:"username"`
	Evidence []CheckEvidence `json:"evidence"`
	Method   string          `json:"method"`
	Result
}

const userMethod = "disabled = the latest disable-account active-response alert for this user on the agent (last 30 days) is an add with no later delete (re-enable at timeout); " +
	"null when the gate executed (or sent with unknown outcome: failed_unknown) a disable whose alert has not arrived; false otherwise. Evidence is alert and action history, not the account database of the host."

func (d Deps) checkUserStatus(ctx context.Context, in *checkUserIn) (*UserStatusCheck, error) {
	agent, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	user, err := checkUsername(string(in.Username))
	if err != nil {
		return nil, err
	}
	out := &UserStatusCheck{AgentID: agent, Username: user, Evidence: []CheckEvidence{}, Method: userMethod}
	alerts, alertErr := d.alertHistory(ctx, indexer.AlertFilter{RuleIDs: []string{"657"}, AgentIDs: []string{agent},
		Extra: []indexer.Query{indexer.Term{Field: indexer.FieldDstUser, Value: user}, indexer.Contains("data.parameters.program", "disable-account")}})
	var latest *arAlert
	for i, a := range alerts {
		if a.Data.DstUser == user && scriptName(a.Data.Parameters.Program) == "disable-account" {
			latest = &alerts[i]
			break
		}
	}
	if latest != nil {
		what := "account disabled, no later re-enable"
		if latest.Data.Command == "delete" {
			what = "account re-enabled (timeout)"
		}
		out.Evidence = append(out.Evidence, alertFact(*latest, what))
	}
	pending := false
	var unknown *pastAction
	acts, actErr := d.actionHistory(ctx)
	for _, p := range acts {
		if p.on(agent) && p.DstUser == user && scriptName(p.Command) == "disable-account" {
			out.Evidence = append(out.Evidence, actionFact(p, "the gate "+p.executed()+" "+policy.Fence(p.Command, 64)+" for this user"))
			if latest == nil || p.At.After(latest.time()) {
				if p.Unknown {
					unknown = &p
				} else {
					pending = true
				}
			}
		}
	}
	switch {
	case alertErr != nil:
		out.AddNote("alert history unavailable: %s", errorText(alertErr))
	case latest != nil && latest.Data.Command == "add":
		out.Disabled = yesNo(true)
	case unknown != nil && !pending:
		noteUnknown(&out.Result, "disabled the account", *unknown)
	case pending:
		out.AddNote("a disable was executed but no alert shows the agent ran it yet; check again shortly")
	default:
		out.Disabled = yesNo(false)
	}
	out.Evidence = finishCheck(&out.Result, out.Evidence, actErr)
	return out, nil
}

// --- wazuh_check_process ---

// ProcessCheck is the answer of wazuh_check_process.
type ProcessCheck struct {
	Running   *bool           `json:"running" jsonschema:"true, false, or null when there is no inventory"`
	AgentID   string          `json:"agent_id"`
	ProcessID int             `json:"process_id"`
	ScanTime  string          `json:"scan_time,omitempty" jsonschema:"when the process inventory was taken"`
	Evidence  []CheckEvidence `json:"evidence"`
	Method    string          `json:"method"`
	Result
}

const processMethod = "running = the process id is in the agent's latest syscollector process inventory (GET /syscollector/{agent}/processes); " +
	"the answer is as of that scan, not live; null when the agent has no process inventory. Kill actions and alerts after the scan are listed as evidence."

func (d Deps) checkProcess(ctx context.Context, in *checkProcessIn) (*ProcessCheck, error) {
	agent, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	pid, err := checkProcessID(in.ProcessID)
	if err != nil {
		return nil, err
	}
	a, err := d.agentByID(ctx, agent)
	if err != nil {
		return nil, err
	}
	out := &ProcessCheck{AgentID: agent, ProcessID: pid, Evidence: []CheckEvidence{}, Method: processMethod}
	page, err := d.Wazuh.Processes(ctx, agent, wazuh.ListOptions{Limit: 1, Params: map[string][]string{"pid": {strconv.Itoa(pid)}}})
	if err != nil {
		return nil, fmt.Errorf("reading the process inventory: %w", err)
	}
	scan := ""
	if len(page.Items) > 0 {
		scan = page.Items[0].Scan.Time
		out.Running = yesNo(true)
		out.Evidence = append(out.Evidence, CheckEvidence{Source: srcInventory, Time: policy.Fence(scan, 40), AgentID: agent,
			Fact: fmt.Sprintf("process %d (%s) is in the inventory", pid, policy.Fence(page.Items[0].Name, 64))})
	} else {
		inv, err := d.Wazuh.Processes(ctx, agent, wazuh.ListOptions{Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("reading the process inventory: %w", err)
		}
		if len(inv.Items) == 0 {
			out.AddNote("the agent has no process inventory (syscollector processes disabled or never scanned)")
		} else {
			scan = inv.Items[0].Scan.Time
			out.Running = yesNo(false)
			out.Evidence = append(out.Evidence, CheckEvidence{Source: srcInventory, Time: policy.Fence(scan, 40), AgentID: agent,
				Fact: fmt.Sprintf("process %d is not among the %d processes of the inventory", pid, inv.Total)})
		}
	}
	out.ScanTime = policy.Fence(scan, 40)
	if a.Status != "active" {
		out.AddNote("the agent is %s: its inventory is not being refreshed", policy.Fence(a.Status, 20))
	}
	scanAt, _ := parseWazuhTime(scan)
	d.killEvidence(ctx, agent, strconv.Itoa(pid), scanAt, out)
	out.Evidence = capEvidence(out.Evidence, &out.Result)
	return out, nil
}

// killEvidence adds kill-process actions and alerts for pid; those after
// the inventory scan make the inventory stale, which a note says.
func (d Deps) killEvidence(ctx context.Context, agent, pid string, scanAt time.Time, out *ProcessCheck) {
	cmd := d.Response.KillProcessCommand
	later := false
	acts, _ := d.actionHistory(ctx)
	for _, p := range acts {
		if p.on(agent) && slices.Contains(p.Args, pid) && (p.Name == "kill_process" || cmd != "" && scriptName(p.Command) == scriptName(cmd)) {
			out.Evidence = append(out.Evidence, actionFact(p, "the gate "+p.executed()+" "+policy.Fence(p.Command, 64)+" for this process id"))
			later = later || p.At.After(scanAt)
		}
	}
	if cmd != "" {
		alerts, err := d.alertHistory(ctx, indexer.AlertFilter{RuleIDs: []string{"657"}, AgentIDs: []string{agent},
			Extra: []indexer.Query{indexer.Term{Field: "data.parameters.extra_args", Value: pid}, indexer.Contains("data.parameters.program", scriptName(cmd))}})
		if err == nil && len(alerts) > 0 {
			out.Evidence = append(out.Evidence, alertFact(alerts[0], "kill script ran for this process id"))
			later = later || alerts[0].time().After(scanAt)
		}
	}
	if later && out.Running != nil && *out.Running {
		out.AddNote("a kill for this process id came after the inventory scan: the inventory is stale until the next scan")
	}
}

// --- wazuh_check_agent_isolation ---

// IsolationCheck is the answer of wazuh_check_agent_isolation.
type IsolationCheck struct {
	Isolated *bool           `json:"isolated" jsonschema:"true, false, or null when the evidence does not decide"`
	AgentID  string          `json:"agent_id"`
	Status   string          `json:"agent_status,omitempty"`
	Evidence []CheckEvidence `json:"evidence"`
	Method   string          `json:"method"`
	Result
}

const isolationMethod = "isolated = an isolation command succeeded on the agent (gate action, or an add alert of the configured isolation script) with no later un-isolation (delete alert or release action); " +
	"the agent disconnecting after it is supporting evidence; false when there is no such evidence; null when the latest isolation or release action is failed_unknown (it may or may not have run), or when no isolation command is configured and there is no history."

// unisolateActions are plan action names that end an isolation.
var unisolateActions = []string{"unisolate_host", "release_host", "unisolate"}

func (d Deps) checkIsolation(ctx context.Context, in *checkAgentIn) (*IsolationCheck, error) {
	agent, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	a, err := d.agentByID(ctx, agent)
	if err != nil {
		return nil, err
	}
	out := &IsolationCheck{AgentID: agent, Status: policy.Fence(a.Status, 20), Evidence: []CheckEvidence{}, Method: isolationMethod}
	cmd := d.Response.IsolationCommand
	var isoAt, releaseAt, unknownAt time.Time // unknownAt: the latest failed_unknown isolation or release
	var unknown pastAction
	acts, actErr := d.actionHistory(ctx)
	for _, p := range acts {
		if !p.on(agent) {
			continue
		}
		switch {
		case slices.Contains(unisolateActions, p.Name):
			out.Evidence = append(out.Evidence, actionFact(p, "the gate "+p.executed()+" an un-isolation ("+policy.Fence(p.Command, 64)+")"))
			if p.Unknown {
				unknown, unknownAt = p, later(unknownAt, p.At)
				continue
			}
			releaseAt = later(releaseAt, p.At)
		case p.Name == "isolate_host" || cmd != "" && scriptName(p.Command) == scriptName(cmd):
			out.Evidence = append(out.Evidence, actionFact(p, "the gate "+p.executed()+" the isolation command "+policy.Fence(p.Command, 64)))
			if p.Unknown {
				unknown, unknownAt = p, later(unknownAt, p.At)
				continue
			}
			isoAt = later(isoAt, p.At)
			if t := p.timeout(); t > 0 && !d.now().Before(p.At.Add(t)) {
				releaseAt = later(releaseAt, p.At.Add(t))
				out.Evidence = append(out.Evidence, actionFact(p, fmt.Sprintf("its %s timeout has passed: the agent undoes it", t)))
			}
		}
	}
	var alertErr error
	if cmd != "" {
		var alerts []arAlert
		alerts, alertErr = d.alertHistory(ctx, indexer.AlertFilter{RuleIDs: []string{"657"}, AgentIDs: []string{agent},
			Extra: []indexer.Query{indexer.Contains("data.parameters.program", scriptName(cmd))}})
		if len(alerts) > 0 {
			al := alerts[0]
			if al.Data.Command == "delete" {
				out.Evidence = append(out.Evidence, alertFact(al, "the isolation was undone"))
				releaseAt = later(releaseAt, al.time())
			} else {
				out.Evidence = append(out.Evidence, alertFact(al, "the agent ran the isolation script"))
				isoAt = later(isoAt, al.time())
			}
		}
	}
	if dis, err := parseWazuhTime(a.DisconnectionTime); a.Status == "disconnected" && err == nil && !isoAt.IsZero() && !dis.Before(isoAt) {
		out.Evidence = append(out.Evidence, CheckEvidence{Source: srcInventory, Time: dis.Format(time.RFC3339), AgentID: agent,
			Fact: "the agent disconnected after the isolation (supporting evidence)"})
	}
	switch {
	case unknownAt.After(isoAt) && unknownAt.After(releaseAt) && alertErr == nil:
		// The latest word is an action that may or may not have run.
		noteUnknown(&out.Result, "changed the isolation", unknown)
	case !isoAt.IsZero() && releaseAt.Before(isoAt):
		out.Isolated = yesNo(true)
	case !isoAt.IsZero() || !releaseAt.IsZero():
		out.Isolated = yesNo(false)
	case cmd == "" && d.Gate == nil:
		out.AddNote("no isolation command is configured (WAZUH_MCP_ISOLATION_COMMAND) and there is no action history: isolation cannot be told")
	case alertErr != nil:
		out.AddNote("alert history unavailable: %s", errorText(alertErr))
	default:
		out.Isolated = yesNo(false)
	}
	out.Evidence = finishCheck(&out.Result, out.Evidence, actErr)
	return out, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// --- wazuh_check_file_quarantine ---

// QuarantineCheck is the answer of wazuh_check_file_quarantine.
type QuarantineCheck struct {
	Quarantined *bool           `json:"quarantined" jsonschema:"true, false, or null when the evidence does not decide"`
	AgentID     string          `json:"agent_id"`
	Evidence    []CheckEvidence `json:"evidence"`
	Method      string          `json:"method"`
	Result
}

const quarantineMethod = "quarantined = a quarantine command ran for this path on the agent (gate action or its alert) and FIM reports the file gone from the path (deletion alert, not in the FIM database); " +
	"false when FIM still has the file at its path or nothing quarantined it; null when the command ran, or may have (failed_unknown), but FIM does not show the path."

// fimPathRe is the Wazuh API's "paths" format, the only values its
// GET /syscheck/{agent_id}?file= filter accepts (api/api/validator.py).
// (Python's \w: Unicode letters and digits, and _).
var fimPathRe = regexp.MustCompile(`^[\p{L}\p{N}_\-.\\/:]+$`)

func (d Deps) checkFileQuarantine(ctx context.Context, in *checkFileIn) (*QuarantineCheck, error) {
	agent, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	path, err := checkFilePath(string(in.FilePath))
	if err != nil {
		return nil, err
	}
	out := &QuarantineCheck{AgentID: agent, Evidence: []CheckEvidence{}, Method: quarantineMethod}
	fenced := policy.Fence(path, 500)
	ran := false
	var unknown *pastAction
	cmd := d.Response.QuarantineCommand
	acts, actErr := d.actionHistory(ctx)
	for _, p := range acts {
		if p.on(agent) && slices.Contains(p.Args, path) && (p.Name == "quarantine_file" || cmd != "" && scriptName(p.Command) == scriptName(cmd)) {
			out.Evidence = append(out.Evidence, actionFact(p, "the gate "+p.executed()+" "+policy.Fence(p.Command, 64)+" for this path"))
			if p.Unknown {
				unknown = &p
			} else {
				ran = true
			}
		}
	}
	if cmd != "" {
		alerts, err := d.alertHistory(ctx, indexer.AlertFilter{RuleIDs: []string{"657"}, AgentIDs: []string{agent},
			Extra: []indexer.Query{indexer.Term{Field: "data.parameters.extra_args", Value: path}, indexer.Contains("data.parameters.program", scriptName(cmd))}})
		if err != nil {
			out.AddNote("alert history unavailable: %s", errorText(err))
		} else if len(alerts) > 0 {
			out.Evidence = append(out.Evidence, alertFact(alerts[0], "quarantine script ran for this path"))
			ran = true
		}
	}
	// FIM: the file's entry in the FIM database, and its latest FIM alert.
	state := "unknown"
	var db wazuh.Page[wazuh.SyscheckFile]
	if fimPathRe.MatchString(path) {
		if db, err = d.Wazuh.Syscheck(ctx, agent, wazuh.ListOptions{Limit: 1, Params: map[string][]string{"file": {path}}}); err != nil {
			return nil, fmt.Errorf("reading the FIM database: %w", err)
		}
	} else {
		out.AddNote("the FIM database was not asked: the Wazuh API's file filter takes only letters, digits and _ - . \\ / : (FIM alerts were searched)")
	}
	if len(db.Items) > 0 {
		state = "present"
		out.Evidence = append(out.Evidence, CheckEvidence{Source: srcInventory, Time: policy.Fence(db.Items[0].Date, 40), AgentID: agent,
			Fact: "the FIM database still has " + fenced + " at its path"})
	}
	fim, err := d.alertHistory(ctx, indexer.AlertFilter{AgentIDs: []string{agent}, RuleGroups: []string{"syscheck"},
		Extra: []indexer.Query{indexer.Term{Field: indexer.FieldSyscheckPath, Value: path}}})
	if err == nil && len(fim) > 0 {
		last := fim[0]
		ev := CheckEvidence{Source: srcAlerts, Time: last.time().Format(time.RFC3339), AgentID: agent, RuleID: policy.Fence(last.Rule.ID, 8),
			AlertID: policy.Fence(last.ID, 64), Fact: "latest FIM event for the path: " + policy.Fence(last.Syscheck.Event, 16)}
		out.Evidence = append(out.Evidence, ev)
		if last.Syscheck.Event == "deleted" && state != "present" {
			state = "deleted"
		}
	}
	switch {
	case state == "present":
		out.Quarantined = yesNo(false)
	case (ran || unknown != nil) && state == "deleted":
		out.Quarantined = yesNo(true)
	case !ran && unknown != nil:
		noteUnknown(&out.Result, "quarantined the file", *unknown)
	case ran:
		out.AddNote("the quarantine command ran, but FIM does not show the path: add it to FIM (syscheck) to confirm")
	default:
		out.Quarantined = yesNo(false)
		if state == "deleted" {
			out.AddNote("FIM reports the file deleted, but no quarantine by Wazuh is recorded")
		}
	}
	out.Evidence = finishCheck(&out.Result, out.Evidence, actErr)
	return out, nil
}

package tools

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// targetArgs are the agent arguments every fleet action accepts, in the
// shapes existing clients send: agent_ids (list), agent_id (one id, a
// comma-separated list, or "all") and all_agents.
type targetArgs struct {
	AgentIDs  args.List   `json:"agent_ids,omitempty" jsonschema:"agent ids (or agent_id)"`
	AgentID   args.String `json:"agent_id,omitempty" jsonschema:"one agent id, or all"`
	AllAgents args.Bool   `json:"all_agents,omitempty" jsonschema:"every active agent (if allowed)"`
}

// gateArgs are the arguments of every write tool besides its own.
type gateArgs struct {
	AlertID          args.String `json:"alert_id,omitempty" jsonschema:"triggering alert id"`
	DryRun           args.Bool   `json:"dry_run,omitempty" jsonschema:"return the plan only"`
	ConfirmationCode args.String `json:"confirmation_code,omitempty"`
}

// responder builds plans for the response tools.
type responder struct{ d Deps }

// maxAgentsAnswer bounds the agent list read to expand or check targets.
const maxAgentsAnswer = 1000

// targets resolves the target agents to an explicit, sorted list of
// existing, active, unprotected agents, never empty and never over the
// configured maximum. "all" becomes the current list of active agents and
// needs the server's permission.
func (r responder) targets(ctx context.Context, in targetArgs) ([]string, error) {
	requested := slices.Clone([]string(in.AgentIDs))
	for _, part := range strings.Split(string(in.AgentID), ",") {
		if p := strings.TrimSpace(part); p != "" {
			requested = append(requested, p)
		}
	}
	all := bool(in.AllAgents)
	requested = slices.DeleteFunc(requested, func(s string) bool {
		if strings.EqualFold(s, "all") || s == "*" {
			all = true
			return true
		}
		return false
	})
	if all {
		if len(requested) > 0 {
			return nil, args.Errorf("agent_ids", "name agents or ask for all of them, not both")
		}
		return r.allAgents(ctx)
	}
	if len(requested) == 0 {
		return nil, args.Errorf("agent_ids", "name at least one agent (an empty agents_list would run on ALL agents in Wazuh)")
	}
	ids := make([]string, 0, len(requested))
	for _, s := range requested {
		id, err := wazuh.NormalizeAgentID(s)
		if err != nil {
			return nil, args.Errorf("agent_ids", "%q is not an agent id (digits, e.g. 001)", truncateName(s))
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if err := r.checkTargets(ids); err != nil {
		return nil, err
	}
	return ids, r.checkActive(ctx, ids)
}

// checkTargets applies the count limit and agent protection.
func (r responder) checkTargets(ids []string) error {
	max := r.d.Response.MaxTargets
	if max <= 0 {
		max = 10
	}
	if len(ids) > max {
		return args.Errorf("agent_ids", "%d agents named, at most %d per action (WAZUH_MCP_RESPONSE_MAX_TARGETS)", len(ids), max)
	}
	for _, id := range ids {
		if err := r.protected().CheckAgent(id); err != nil {
			return args.Errorf("agent_ids", "%v", err)
		}
	}
	return nil
}

// checkActive refuses unknown and inactive agents before anything is
// proposed: active response reaches only connected agents.
func (r responder) checkActive(ctx context.Context, ids []string) error {
	page, err := r.d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{IDs: ids, Select: []string{"id", "status"}, Limit: len(ids)})
	var pe *wazuh.PartialError
	if errors.As(err, &pe) && pe.EnvelopeError == 1 { // none of them exists
		return args.Errorf("agent_ids", "no agent %s exists", strings.Join(ids, ", "))
	}
	if err != nil {
		return fmt.Errorf("checking the target agents: %w", err)
	}
	status := map[string]string{}
	for _, a := range page.Items {
		status[a.ID] = a.Status
	}
	for _, id := range ids {
		switch st, ok := status[id]; {
		case !ok:
			return args.Errorf("agent_ids", "no agent %s exists", id)
		case st != "active":
			return args.Errorf("agent_ids", "agent %s is %s: active response reaches only active agents", id, st)
		}
	}
	return nil
}

// allAgents expands "all" into the explicit list of active agents.
func (r responder) allAgents(ctx context.Context) ([]string, error) {
	if !r.d.Response.AllowAllAgents {
		return nil, args.Errorf("agent_ids", "\"all agents\" is not allowed on this server (WAZUH_MCP_RESPONSE_ALLOW_ALL_AGENTS=false): name the agents")
	}
	page, err := r.d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{Status: []string{"active"}, Select: []string{"id"}, Limit: maxAgentsAnswer})
	if err != nil {
		return nil, fmt.Errorf("listing active agents: %w", err)
	}
	var ids []string
	for _, a := range page.Items {
		if r.protected().CheckAgent(a.ID) == nil {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil, args.Errorf("agent_ids", "no active unprotected agent to act on")
	}
	sort.Strings(ids)
	return ids, r.checkTargets(ids)
}

func (r responder) protected() *policy.Protected {
	if r.d.Response.Protected != nil {
		return r.d.Response.Protected
	}
	p, _ := policy.NewProtected(policy.ProtectedConfig{Agents: []string{"000"}}) // built-ins only
	return p
}

// checkIP validates an address argument and refuses protected ones; the
// canonical form is what goes into the request.
func (r responder) checkIP(arg, v string) (string, error) {
	a, err := r.protected().CheckIP(v)
	if err != nil {
		return "", args.Errorf(arg, "%v", err)
	}
	return a.String(), nil
}

var userRe = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,128}$`)

// checkUser validates an account name and refuses protected accounts.
func (r responder) checkUser(arg, v string) (string, error) {
	v = strings.TrimSpace(v)
	if !userRe.MatchString(v) || strings.Trim(v, ".") == "" {
		return "", args.Errorf(arg, "%q is not an account name (letters, digits and . _ @ -, up to 128)", truncateName(v))
	}
	// The stock disable-account hands the name to passwd / net user as
	// one argument: "-d" would be read as an option (passwd -l -d: delete
	// the password of the user running it). No system allows such names.
	if strings.HasPrefix(v, "-") {
		return "", args.Errorf(arg, "%q is not an account name: it must not start with \"-\" (it would be read as an option)", truncateName(v))
	}
	if err := r.protected().CheckAccount(v); err != nil {
		return "", args.Errorf(arg, "%v", err)
	}
	return v, nil
}

// maxDuration is the v4 contract's bound on duration: one day.
const maxDuration = 86400

// arTimeout picks the ar.conf command that runs cmd with the requested
// duration: nil → the shortest configured timeout (so the action undoes
// itself), 0 → "!cmd", the script run directly, which Wazuh never undoes.
func (r responder) arTimeout(ctx context.Context, cmd string, duration *args.Int) (name string, timeout int, err error) {
	if duration != nil {
		switch d := int(*duration); {
		case d < 0 || d > maxDuration:
			return "", 0, args.Errorf("duration", "%d seconds: allowed 0 (permanent) to %d", d, maxDuration)
		case d == 0:
			return "!" + cmd, 0, nil
		}
	}
	conf, err := r.d.Wazuh.ARCommands(ctx)
	if err != nil {
		return "", 0, fmt.Errorf("reading the active-response configuration: %w", err)
	}
	var timeouts []int
	for _, c := range conf {
		if c.Command == cmd && c.Timeout > 0 {
			timeouts = append(timeouts, c.Timeout)
		}
	}
	slices.Sort(timeouts)
	switch {
	case len(timeouts) == 0:
		return "", 0, fmt.Errorf("the manager has no <active-response> block for %s with a timeout, so a %s would never be undone; add one to ossec.conf (e.g. <timeout>600</timeout>) or pass duration 0 for a permanent action", cmd, cmd)
	case duration == nil:
		return cmd + strconv.Itoa(timeouts[0]), timeouts[0], nil
	case slices.Contains(timeouts, int(*duration)):
		return cmd + strconv.Itoa(int(*duration)), int(*duration), nil
	}
	return "", 0, args.Errorf("duration", "%d s is not configured for %s; configured: %s s (each is an <active-response> block with that <timeout> in ossec.conf)", *duration, cmd, joinInts(timeouts))
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// configuredCommand is the operator-configured command of an action Wazuh
// does not ship, or an error that says what to deploy.
func configuredCommand(cmd, tool, setting, what string) (string, error) {
	if cmd == "" {
		return "", fmt.Errorf("%s needs a command that %s, and Wazuh does not ship one: deploy an active-response script on the agents, declare it as a <command> in the manager's ossec.conf, then set %s to its ar.conf name or !script", tool, what, setting)
	}
	return cmd, nil
}

// baseCommand strips "!" and an ar.conf timeout suffix: firewall-drop600
// and !firewall-drop are both firewall-drop.
func baseCommand(cmd string) string {
	return strings.TrimRightFunc(strings.TrimPrefix(cmd, "!"), unicode.IsDigit)
}

// allowedCommand checks cmd against the wazuh_active_response allowlist.
func (r responder) allowedCommand(cmd string) (string, error) {
	cmd = strings.TrimSpace(cmd)
	if cmd == "" {
		return "", args.Errorf("command", "required: an allowed active-response command")
	}
	allowed := r.d.Response.ARCommands
	if slices.Contains(allowed, cmd) || slices.Contains(allowed, baseCommand(cmd)) {
		return cmd, nil
	}
	return "", args.Errorf("command", "%q is not on this server's allowlist (WAZUH_MCP_AR_COMMANDS): %s", truncateName(cmd), strings.Join(allowed, ", "))
}

// ipCommands read the address from alert.data.srcip; accountCommands read
// the account from alert.data.dstuser.
var (
	ipCommands      = []string{"firewall-drop", "host-deny", "route-null", "win_route-null", "netsh"}
	accountCommands = []string{"disable-account"}
)

// arPlan turns a validated active response into a plan.
func arPlan(action string, agents []string, cmd wazuh.ActiveResponseCommand, summary, undo string) (approval.Plan, error) {
	req, err := wazuh.ActiveResponseRequest(agents, cmd)
	if err != nil {
		return approval.Plan{}, err
	}
	return approval.Plan{Action: action, Request: req, Targets: agents, Summary: summary, Undo: undo}, nil
}

// agentWord is "agent 001" or "3 agents (001, 002, 003)".
func agentWord(ids []string) string {
	if len(ids) == 1 {
		return "agent " + ids[0]
	}
	return fmt.Sprintf("%d agents (%s)", len(ids), strings.Join(ids, ", "))
}

// undoAfter says how a timed action is undone.
func undoAfter(timeout int, what, manual string) string {
	if timeout == 0 {
		return "Permanent: Wazuh will not undo it. To undo: " + manual
	}
	return fmt.Sprintf("Wazuh undoes it by itself after %d s (the agent runs the %s delete when the ar.conf timeout expires). To undo earlier: %s", timeout, what, manual)
}

var errNoGate = errors.New("the response tools need the approval gate, which this server did not start (it needs its data directory: WAZUH_MCP_DATA_DIR)")

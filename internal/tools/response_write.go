package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// The write tools. Each validates its arguments strictly, checks the
// protection policy, builds the exact Wazuh request from validated fields
// only and hands it to the gate (response_gate.go); none can send anything
// to Wazuh by itself.

type blockIPIn struct {
	IPAddress args.String `json:"ip_address" jsonschema:"IP to block"`
	targetArgs
	Duration *args.Int `json:"duration,omitempty" jsonschema:"seconds; 0 = permanent"`
	gateArgs
}

type srcIPIn struct {
	SrcIP args.String `json:"src_ip" jsonschema:"IP to block"`
	targetArgs
	Duration *args.Int `json:"duration,omitempty" jsonschema:"seconds; 0 = permanent"`
	gateArgs
}

type disableUserIn struct {
	Username args.String `json:"username"`
	targetArgs
	Duration *args.Int `json:"duration,omitempty" jsonschema:"seconds; 0 = permanent"`
	gateArgs
}

type isolateIn struct {
	AgentID args.String `json:"agent_id"`
	gateArgs
}

type killProcessIn struct {
	AgentID   args.String `json:"agent_id"`
	ProcessID args.Int    `json:"process_id"`
	gateArgs
}

type quarantineIn struct {
	AgentID  args.String `json:"agent_id"`
	FilePath args.String `json:"file_path"`
	gateArgs
}

type restartIn struct {
	AgentID args.String `json:"agent_id,omitempty"`
	Target  args.String `json:"target,omitempty" jsonschema:"agent id or manager"`
	gateArgs
}

type activeResponseIn struct {
	Command    args.String    `json:"command" jsonschema:"allowlisted AR command"`
	Parameters map[string]any `json:"parameters,omitempty" jsonschema:"srcip, dstuser, arguments"`
	targetArgs
	gateArgs
}

func responseWriteTools(d Deps) []Tool {
	r := responder{d: d}
	lim := d.limits()
	w := func(name, title, desc string) Spec {
		return Spec{Name: name, Title: title, Description: desc, Write: true}
	}
	return []Tool{
		newTool("response", w("wazuh_block_ip", "Block an IP", "Propose blocking an IP with firewall-drop on agents; runs after human approval"), lim,
			func(ctx context.Context, in *blockIPIn) (*actionOut, error) {
				return r.blockIP(ctx, "wazuh_block_ip", "block_ip", "firewall-drop", "ip_address", string(in.IPAddress), in.targetArgs, in.Duration, in.gateArgs)
			}),
		newTool("response", w("wazuh_firewall_drop", "Firewall drop", "Propose a firewall-drop of src_ip on agents; runs after human approval"), lim,
			func(ctx context.Context, in *srcIPIn) (*actionOut, error) {
				return r.blockIP(ctx, "wazuh_firewall_drop", "firewall_drop", "firewall-drop", "src_ip", string(in.SrcIP), in.targetArgs, in.Duration, in.gateArgs)
			}),
		newTool("response", w("wazuh_host_deny", "Host deny", "Propose adding src_ip to hosts.deny on agents; runs after human approval"), lim,
			func(ctx context.Context, in *srcIPIn) (*actionOut, error) {
				return r.blockIP(ctx, "wazuh_host_deny", "host_deny", "host-deny", "src_ip", string(in.SrcIP), in.targetArgs, in.Duration, in.gateArgs)
			}),
		newTool("response", w("wazuh_disable_user", "Disable an account", "Propose disabling an account on agents; runs after human approval"), lim, r.disableUser),
		newTool("response", w("wazuh_isolate_host", "Isolate a host", "Propose isolating an agent's host (configured command); runs after approval"), lim, r.isolate),
		newTool("response", w("wazuh_kill_process", "Kill a process", "Propose killing a process on an agent (configured command); runs after approval"), lim, r.killProcess),
		newTool("response", w("wazuh_quarantine_file", "Quarantine a file", "Propose quarantining a file on an agent (configured command); runs after approval"), lim, r.quarantine),
		newTool("response", w("wazuh_restart", "Restart Wazuh", "Propose restarting an agent (or the manager if allowed); runs after approval"), lim, r.restart),
		newTool("response", w("wazuh_active_response", "Run an active response", "Propose an allowlisted active-response command on agents; runs after approval"), lim, r.activeResponse),
	}
}

// blockIP serves the three IP-blocking tools: the same validation and
// protection for all of them.
func (r responder) blockIP(ctx context.Context, tool, action, cmd, ipArg, ip string, t targetArgs, duration *args.Int, g gateArgs) (*actionOut, error) {
	addr, err := r.checkIP(ipArg, ip)
	if err != nil {
		return nil, err
	}
	agents, err := r.targets(ctx, t)
	if err != nil {
		return nil, err
	}
	name, timeout, err := r.arTimeout(ctx, cmd, duration)
	if err != nil {
		return nil, err
	}
	verb := map[string]string{"firewall-drop": "Block all traffic from", "host-deny": "Deny TCP-wrapped services (hosts.deny) to"}[cmd]
	plan, err := arPlan(action, agents, wazuh.ActiveResponseCommand{Command: name, Alert: wazuh.AlertData{SrcIP: addr}},
		fmt.Sprintf("%s %s on %s with the %s active response (command %s).", verb, addr, agentWord(agents), cmd, name),
		undoAfter(timeout, cmd, fmt.Sprintf("run %s with the delete command for %s on each agent, or remove the rule by hand", cmd, addr)))
	if err != nil {
		return nil, err
	}
	return r.propose(ctx, tool, plan, g)
}

func (r responder) disableUser(ctx context.Context, in *disableUserIn) (*actionOut, error) {
	user, err := r.checkUser("username", string(in.Username))
	if err != nil {
		return nil, err
	}
	agents, err := r.targets(ctx, in.targetArgs)
	if err != nil {
		return nil, err
	}
	name, timeout, err := r.arTimeout(ctx, "disable-account", in.Duration)
	if err != nil {
		return nil, err
	}
	plan, err := arPlan("disable_user", agents, wazuh.ActiveResponseCommand{Command: name, Alert: wazuh.AlertData{DstUser: user}},
		fmt.Sprintf("Disable the account %q on %s with the disable-account active response (command %s).", user, agentWord(agents), name),
		undoAfter(timeout, "disable-account", fmt.Sprintf("re-enable %q on the agent (passwd -u / usermod -U, or net user /active:yes on Windows)", user)))
	if err != nil {
		return nil, err
	}
	return r.propose(ctx, "wazuh_disable_user", plan, in.gateArgs)
}

// oneAgent validates a single target agent.
func (r responder) oneAgent(ctx context.Context, v string) ([]string, error) {
	if strings.EqualFold(strings.TrimSpace(v), "all") || strings.Contains(v, ",") {
		return nil, args.Errorf("agent_id", "this action takes exactly one agent")
	}
	return r.targets(ctx, targetArgs{AgentID: args.String(v)})
}

func (r responder) isolate(ctx context.Context, in *isolateIn) (*actionOut, error) {
	cmd, err := configuredCommand(r.d.Response.IsolationCommand, "wazuh_isolate_host", "WAZUH_MCP_ISOLATION_COMMAND", "cuts the host off the network except from the Wazuh manager")
	if err != nil {
		return nil, err
	}
	agents, err := r.oneAgent(ctx, string(in.AgentID))
	if err != nil {
		return nil, err
	}
	plan, err := arPlan("isolate_host", agents, wazuh.ActiveResponseCommand{Command: cmd},
		fmt.Sprintf("Isolate the host of %s from the network with the configured command %s.", agentWord(agents), cmd),
		"Undone only by the counterpart of "+cmd+" on the agent (Wazuh has no undo call); keep the manager reachable so that it can be sent")
	if err != nil {
		return nil, err
	}
	return r.propose(ctx, "wazuh_isolate_host", plan, in.gateArgs)
}

func (r responder) killProcess(ctx context.Context, in *killProcessIn) (*actionOut, error) {
	cmd, err := configuredCommand(r.d.Response.KillProcessCommand, "wazuh_kill_process", "WAZUH_MCP_KILL_PROCESS_COMMAND", "kills a process by pid")
	if err != nil {
		return nil, err
	}
	// Not args.Range: its 0 means "use the default", and a pid of 0 would
	// make kill signal the agent's whole process group.
	pid, err := checkProcessID(in.ProcessID)
	if err != nil {
		return nil, err
	}
	if pid == 1 {
		return nil, args.Errorf("process_id", "1 is the init process: killing it takes the host down")
	}
	agents, err := r.oneAgent(ctx, string(in.AgentID))
	if err != nil {
		return nil, err
	}
	plan, err := arPlan("kill_process", agents, wazuh.ActiveResponseCommand{Command: cmd, Arguments: []string{strconv.Itoa(pid)}},
		fmt.Sprintf("Kill process %d on %s with the configured command %s.", pid, agentWord(agents), cmd),
		"Cannot be undone: a killed process is gone (restart its service if needed)")
	if err != nil {
		return nil, err
	}
	return r.propose(ctx, "wazuh_kill_process", plan, in.gateArgs)
}

// maxFilePath is the v4 contract's bound.
const maxFilePath = 500

func (r responder) quarantine(ctx context.Context, in *quarantineIn) (*actionOut, error) {
	cmd, err := configuredCommand(r.d.Response.QuarantineCommand, "wazuh_quarantine_file", "WAZUH_MCP_QUARANTINE_COMMAND", "moves a file into quarantine")
	if err != nil {
		return nil, err
	}
	p, err := checkFilePath(string(in.FilePath))
	if err != nil {
		return nil, err
	}
	agents, err := r.oneAgent(ctx, string(in.AgentID))
	if err != nil {
		return nil, err
	}
	plan, err := arPlan("quarantine_file", agents, wazuh.ActiveResponseCommand{Command: cmd, Arguments: []string{p}},
		fmt.Sprintf("Quarantine the file %q on %s with the configured command %s.", p, agentWord(agents), cmd),
		"Undone by restoring the file from the quarantine directory of "+cmd+" on the agent")
	if err != nil {
		return nil, err
	}
	return r.propose(ctx, "wazuh_quarantine_file", plan, in.gateArgs)
}

// checkFilePath accepts an absolute, clean path (POSIX or Windows drive)
// with no control characters and no traversal.
func checkFilePath(v string) (string, error) {
	if v == "" || len(v) > maxFilePath {
		return "", args.Errorf("file_path", "required, at most %d characters", maxFilePath)
	}
	// Invisible formatting characters (U+202E right-to-left override, zero
	// widths) would show the approver another name than the one acted on.
	if strings.ContainsFunc(v, func(c rune) bool {
		return unicode.IsControl(c) || unicode.Is(unicode.Cf, c) || c == unicode.ReplacementChar
	}) {
		return "", args.Errorf("file_path", "must not contain control or invisible formatting characters")
	}
	slashed := strings.ReplaceAll(v, `\`, "/")
	windows := len(slashed) > 2 && slashed[1] == ':' && slashed[2] == '/' && unicode.IsLetter(rune(slashed[0]))
	if !strings.HasPrefix(slashed, "/") && !windows {
		return "", args.Errorf("file_path", "%q is not an absolute path (/… or C:\\…)", truncateName(v))
	}
	if slices.Contains(strings.Split(slashed, "/"), "..") || strings.Contains(slashed, "//") ||
		path.Clean(slashed) != strings.TrimSuffix(slashed, "/") && slashed != "/" {
		return "", args.Errorf("file_path", "%q must be a clean path without . or .. segments or repeated separators", truncateName(v))
	}
	return v, nil
}

func (r responder) restart(ctx context.Context, in *restartIn) (*actionOut, error) {
	target := strings.TrimSpace(string(in.Target))
	if id := strings.TrimSpace(string(in.AgentID)); id != "" {
		if target != "" && target != id {
			return nil, args.Errorf("target", "give agent_id or target, not both")
		}
		target = id
	}
	if target == "" {
		return nil, args.Errorf("agent_id", "required: the agent to restart (or target \"manager\")")
	}
	if strings.EqualFold(target, "manager") {
		return r.restartManager(ctx, in.gateArgs)
	}
	agents, err := r.oneAgent(ctx, target)
	if err != nil {
		return nil, err
	}
	req, err := wazuh.RestartAgentRequest(agents[0])
	if err != nil {
		return nil, err
	}
	plan := approval.Plan{Action: "restart_wazuh", Request: req, Targets: agents,
		Summary: fmt.Sprintf("Restart the Wazuh agent service on %s.", agentWord(agents)),
		Undo:    "Nothing to undo: the agent reconnects by itself after the restart"}
	return r.propose(ctx, "wazuh_restart", plan, in.gateArgs)
}

func (r responder) restartManager(ctx context.Context, g gateArgs) (*actionOut, error) {
	if !r.d.Response.AllowManagerRestart {
		return nil, args.Errorf("target", "restarting the manager is not allowed on this server (WAZUH_MCP_ALLOW_MANAGER_RESTART=false)")
	}
	plan := approval.Plan{Action: "restart_wazuh", Request: wazuh.RestartManagerRequest(), Targets: []string{"manager"},
		Summary: "Restart the Wazuh manager: analysis and the API stop for a while, agents reconnect.",
		Undo:    "Nothing to undo; the manager comes back by itself unless its configuration is broken"}
	return r.propose(ctx, "wazuh_restart", plan, g)
}

// arParameters are the only parameters wazuh_active_response accepts:
// typed, so nothing can add or overwrite keys of the request body.
type arParameters struct {
	SrcIP     string   `json:"srcip"`
	DstUser   string   `json:"dstuser"`
	Arguments []string `json:"arguments"`
}

func (r responder) activeResponse(ctx context.Context, in *activeResponseIn) (*actionOut, error) {
	cmd, err := r.allowedCommand(string(in.Command))
	if err != nil {
		return nil, err
	}
	params, err := decodeARParameters(in.Parameters)
	if err != nil {
		return nil, err
	}
	data, err := r.arData(baseCommand(cmd), params)
	if err != nil {
		return nil, err
	}
	agents, err := r.targets(ctx, in.targetArgs)
	if err != nil {
		return nil, err
	}
	plan, err := arPlan("active_response", agents, wazuh.ActiveResponseCommand{Command: cmd, Arguments: params.Arguments, Alert: data},
		fmt.Sprintf("Run the active response %s on %s%s.", cmd, agentWord(agents), describeARData(data, params.Arguments)),
		"Depends on the command: timed ar.conf commands (name ending in a timeout) undo themselves; others need their counterpart run on the agent")
	if err != nil {
		return nil, args.Errorf("parameters", "%v", err)
	}
	return r.propose(ctx, "wazuh_active_response", plan, in.gateArgs)
}

// decodeARParameters decodes parameters strictly: unknown keys are refused
// (not ignored) because they would otherwise look like they did something.
func decodeARParameters(m map[string]any) (arParameters, error) {
	var p arParameters
	if len(m) == 0 {
		return p, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return p, args.Errorf("parameters", "must be an object with srcip, dstuser or arguments")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return p, args.Errorf("parameters", "must be an object with srcip, dstuser or arguments")
	}
	for k := range fields {
		if k != "srcip" && k != "dstuser" && k != "arguments" {
			return p, args.Errorf("parameters", "%q is not accepted (allowed: srcip, dstuser, arguments)", truncateName(k))
		}
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, args.Errorf("parameters", "srcip and dstuser are strings, arguments a list of strings")
	}
	if len(p.Arguments) > 8 {
		return p, args.Errorf("parameters", "at most 8 arguments")
	}
	for _, a := range p.Arguments {
		if len(a) > 256 || strings.ContainsFunc(a, unicode.IsControl) {
			return p, args.Errorf("parameters", "arguments must be at most 256 characters without control characters")
		}
	}
	return p, nil
}

// arData applies the same protections as the dedicated tools: the stock
// commands read their target from alert.data, so that is where it goes.
func (r responder) arData(base string, p arParameters) (wazuh.AlertData, error) {
	var d wazuh.AlertData
	if p.SrcIP != "" {
		ip, err := r.checkIP("parameters.srcip", p.SrcIP)
		if err != nil {
			return d, err
		}
		d.SrcIP = ip
	}
	if p.DstUser != "" {
		u, err := r.checkUser("parameters.dstuser", p.DstUser)
		if err != nil {
			return d, err
		}
		d.DstUser = u
	}
	switch {
	case slices.Contains(ipCommands, base) && d.SrcIP == "":
		return d, args.Errorf("parameters", "%s needs parameters.srcip (the stock script reads alert.data.srcip)", base)
	case slices.Contains(accountCommands, base) && d.DstUser == "":
		return d, args.Errorf("parameters", "%s needs parameters.dstuser (the stock script reads alert.data.dstuser)", base)
	}
	return d, nil
}

func describeARData(d wazuh.AlertData, arguments []string) string {
	var parts []string
	if d.SrcIP != "" {
		parts = append(parts, "srcip "+d.SrcIP)
	}
	if d.DstUser != "" {
		parts = append(parts, fmt.Sprintf("account %q", d.DstUser))
	}
	if len(arguments) > 0 {
		parts = append(parts, fmt.Sprintf("arguments %q", arguments))
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, ", ")
}

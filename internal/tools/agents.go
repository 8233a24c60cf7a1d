package tools

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

const agentsToolset = "agents"

func agentTools(d Deps) []Tool {
	lim := d.limits()
	return append([]Tool{
		newTool(agentsToolset, Spec{
			Name:        "get_wazuh_agents",
			Title:       "List Wazuh agents",
			Description: "Agents with status, OS, version, groups; filter by id, status, name, group, platform.",
		}, lim, d.getAgents),
		newTool(agentsToolset, Spec{
			Name:        "get_wazuh_running_agents",
			Title:       "List active agents",
			Description: "Connected agents, with fleet counts by status.",
		}, lim, d.runningAgents),
		newTool(agentsToolset, Spec{
			Name:        "get_agent",
			Title:       "Get one agent",
			Description: "One agent in full: status, version, groups, sync, keepalive, OS and hardware.",
		}, lim, d.getAgent),
		newTool(agentsToolset, Spec{
			Name:        "check_agent_health",
			Title:       "Check agent health",
			Description: "Agent health checks (connection, keepalive, version, config sync) with evidence.",
		}, lim, d.checkAgentHealth),
		newTool(agentsToolset, Spec{
			Name:        "get_agent_processes",
			Title:       "List agent processes",
			Description: "Processes on an agent (syscollector); command lines with include_command.",
		}, lim, d.agentProcesses),
		newTool(agentsToolset, Spec{
			Name:        "get_agent_ports",
			Title:       "List agent ports",
			Description: "Open ports and connections of an agent (syscollector).",
		}, lim, d.agentPorts),
	}, agentDetailTools(d, lim)...)
}

// AgentSummary is the compact form of an agent.
type AgentSummary struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	IP            string   `json:"ip,omitempty"`
	Status        string   `json:"status"`
	OS            string   `json:"os,omitempty" jsonschema:"OS name and version"`
	Platform      string   `json:"platform,omitempty"`
	Version       string   `json:"version,omitempty" jsonschema:"Wazuh agent version"`
	Groups        []string `json:"groups,omitempty"`
	LastKeepAlive string   `json:"last_keep_alive,omitempty"`
	Node          string   `json:"node,omitempty" jsonschema:"cluster node the agent reports to"`
}

func agentSummary(a wazuh.Agent, includeIP bool) AgentSummary {
	osName := strings.TrimSpace(a.OS.Name + " " + a.OS.Version)
	return AgentSummary{
		ID:            policy.Fence(a.ID, 16),
		Name:          policy.Fence(a.Name, 128),
		IP:            policy.IP(policy.Fence(a.IP, 64), includeIP),
		Status:        policy.Fence(a.Status, 32),
		OS:            policy.Fence(osName, 128),
		Platform:      policy.Fence(a.OS.Platform, 32),
		Version:       policy.Fence(a.Version, 32),
		Groups:        fenceList(a.Group, 64),
		LastKeepAlive: policy.Fence(a.LastKeepAlive, 40),
		Node:          policy.Fence(a.NodeName, 64),
	}
}

// --- get_wazuh_agents ---

type getAgentsIn struct {
	AgentID   args.String `json:"agent_id,omitempty" jsonschema:"agent id, e.g. 001"`
	Status    args.List   `json:"status,omitempty" jsonschema:"active, disconnected, never_connected, pending"`
	Name      args.String `json:"name,omitempty" jsonschema:"exact agent name"`
	Group     args.String `json:"group,omitempty" jsonschema:"group name"`
	Platform  args.String `json:"os_platform,omitempty" jsonschema:"e.g. ubuntu, windows, darwin"`
	Limit     args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	Cursor    args.String `json:"cursor,omitempty"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// AgentList is a page of agents.
type AgentList struct {
	Result
	Total      int            `json:"total" jsonschema:"agents matching the filters"`
	Returned   int            `json:"returned"`
	Truncated  bool           `json:"truncated"`
	NextCursor string         `json:"next_cursor,omitempty"`
	Agents     []AgentSummary `json:"agents"`
}

// agentNameRe is the syntax Wazuh accepts for agent names (authd,
// OS_IsValidName): ASCII letters, digits, _ . -.
var agentNameRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

var agentStatuses = []string{"active", "disconnected", "never_connected", "pending"}

func (d Deps) getAgents(ctx context.Context, in *getAgentsIn) (*AgentList, error) {
	f, err := agentFilter(in)
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 100, 1000)
	if err != nil {
		return nil, err
	}
	fp := fingerprint("agents", strings.Join(f.IDs, ","), strings.Join(f.Status, ","), f.Name, f.Group, f.Platform, strconv.Itoa(limit))
	if f.Offset, err = decodeOffsetCursor("cursor", string(in.Cursor), fp); err != nil {
		return nil, err
	}
	f.Limit, f.Sort = limit, "+id"
	page, err := d.Wazuh.ListAgents(ctx, f)
	if err != nil {
		return nil, err
	}
	out := agentList(page, f.Offset, fp, includeIPs(in.IncludeIP, d))
	return out, nil
}

func agentFilter(in *getAgentsIn) (wazuh.AgentFilter, error) {
	var f wazuh.AgentFilter
	id, err := args.OptionalAgentID("agent_id", string(in.AgentID))
	if err != nil {
		return f, err
	}
	if id != "" {
		f.IDs = []string{id}
	}
	for _, s := range in.Status {
		st, err := args.OneOf("status", strings.ReplaceAll(s, " ", "_"), "", agentStatuses...)
		if err != nil {
			return f, err
		}
		if !slices.Contains(f.Status, st) { // a repeated status would only lengthen the request line
			f.Status = append(f.Status, st)
		}
	}
	if f.Name, err = args.Text("name", string(in.Name), 128, false); err != nil {
		return f, err
	}
	if f.Name != "" && !agentNameRe.MatchString(f.Name) {
		return f, args.Errorf("name", "%q is not an agent name (letters, digits, _ . -, as Wazuh allows in agent names)", truncateName(f.Name))
	}
	if in.Group != "" {
		g, err := args.Groups("group", []string{string(in.Group)})
		if err != nil {
			return f, err
		}
		f.Group = g[0]
	}
	if in.Platform != "" {
		p, err := args.Groups("os_platform", []string{string(in.Platform)})
		if err != nil {
			return f, err
		}
		f.Platform = strings.ToLower(p[0])
	}
	return f, nil
}

func agentList(page wazuh.Page[wazuh.Agent], offset int, fp string, includeIP bool) *AgentList {
	out := &AgentList{Total: page.Total, Returned: len(page.Items), Agents: make([]AgentSummary, 0, len(page.Items))}
	for _, a := range page.Items {
		out.Agents = append(out.Agents, agentSummary(a, includeIP))
	}
	out.NextCursor = nextOffsetCursor(offset, len(page.Items), page.Total, fp)
	out.Truncated = out.NextCursor != ""
	if out.Truncated {
		out.AddNote("%d of %d agents returned (sorted by id); pass next_cursor as cursor for more", out.Returned, out.Total)
	}
	return out
}

// --- get_wazuh_running_agents ---

type runningAgentsIn struct {
	Limit     args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 500"`
	Cursor    args.String `json:"cursor,omitempty"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// RunningAgents is the active part of the fleet.
type RunningAgents struct {
	AgentList
	Fleet FleetStatus `json:"fleet" jsonschema:"agent counts by connection status"`
}

// FleetStatus counts agents by connection status.
type FleetStatus struct {
	Active         int `json:"active"`
	Disconnected   int `json:"disconnected"`
	NeverConnected int `json:"never_connected"`
	Pending        int `json:"pending"`
	Total          int `json:"total"`
}

func (d Deps) runningAgents(ctx context.Context, in *runningAgentsIn) (*RunningAgents, error) {
	limit, err := args.Limit("limit", in.Limit, 500, 1000)
	if err != nil {
		return nil, err
	}
	fp := fingerprint("running", strconv.Itoa(limit))
	offset, err := decodeOffsetCursor("cursor", string(in.Cursor), fp)
	if err != nil {
		return nil, err
	}
	page, err := d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{Status: []string{"active"}, Limit: limit, Offset: offset, Sort: "+id"})
	if err != nil {
		return nil, err
	}
	sum, err := d.Wazuh.AgentsSummary(ctx)
	if err != nil {
		return nil, err
	}
	c := sum.Connection
	return &RunningAgents{
		AgentList: *agentList(page, offset, fp, includeIPs(in.IncludeIP, d)),
		Fleet:     FleetStatus{Active: c.Active, Disconnected: c.Disconnected, NeverConnected: c.NeverConnected, Pending: c.Pending, Total: c.Total},
	}, nil
}

// --- get_agent ---

type agentIDIn struct {
	AgentID   args.String `json:"agent_id" jsonschema:"agent id, e.g. 001"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// AgentDetail is one agent in full.
type AgentDetail struct {
	Result
	Agent     AgentInfo       `json:"agent"`
	Inventory *AgentInventory `json:"inventory,omitempty" jsonschema:"syscollector OS and hardware"`
}

// AgentInfo is everything GET /agents says about an agent.
type AgentInfo struct {
	AgentSummary
	RegisterIP        string `json:"register_ip,omitempty"`
	Manager           string `json:"manager,omitempty"`
	DateAdd           string `json:"date_add,omitempty" jsonschema:"registration time"`
	DisconnectionTime string `json:"disconnection_time,omitempty"`
	GroupConfigStatus string `json:"group_config_status,omitempty" jsonschema:"synced or not synced"`
	Arch              string `json:"arch,omitempty"`
	Kernel            string `json:"kernel,omitempty" jsonschema:"uname"`
}

func (d Deps) getAgent(ctx context.Context, in *agentIDIn) (*AgentDetail, error) {
	a, err := d.agent(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &AgentDetail{Agent: agentInfo(a, includeIPs(in.IncludeIP, d))}
	out.Inventory = d.agentInventory(ctx, a.ID, &out.Result)
	return out, nil
}

// agent validates agent_id and fetches the agent.
func (d Deps) agent(ctx context.Context, in *agentIDIn) (wazuh.Agent, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return wazuh.Agent{}, err
	}
	return d.agentByID(ctx, id)
}

// agentByID gets an agent by its (validated) id. An id the Manager does not
// know is the caller's mistake, so it is an error naming agent_id.
func (d Deps) agentByID(ctx context.Context, id string) (wazuh.Agent, error) {
	a, err := d.Wazuh.GetAgent(ctx, id)
	if errors.Is(err, wazuh.ErrNotFound) {
		return a, args.Errorf("agent_id", "no agent %s exists (list agents with get_wazuh_agents)", id)
	}
	return a, err
}

func agentInfo(a wazuh.Agent, includeIP bool) AgentInfo {
	return AgentInfo{
		AgentSummary:      agentSummary(a, includeIP),
		RegisterIP:        policy.IP(policy.Fence(a.RegisterIP, 64), includeIP),
		Manager:           policy.Fence(a.Manager, 128),
		DateAdd:           policy.Fence(a.DateAdd, 40),
		DisconnectionTime: policy.Fence(a.DisconnectionTime, 40),
		GroupConfigStatus: policy.Fence(a.GroupConfigStatus, 32),
		Arch:              policy.Fence(a.OS.Arch, 32),
		Kernel:            policy.Fence(a.OS.Uname, 256),
	}
}

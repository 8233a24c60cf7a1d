package tools

import (
	"context"
	"net/url"
	"strconv"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// inventoryPage is the paging part of inventory lists.
type inventoryPage struct {
	AgentID string `json:"agent_id"`
	listPage
	ScanTime string `json:"scan_time,omitempty" jsonschema:"when syscollector last scanned this inventory"`
}

func newInventoryPage(agentID string, total, n, offset int, fp, scan string) inventoryPage {
	return inventoryPage{AgentID: agentID, listPage: newListPage(total, n, offset, fp), ScanTime: policy.Fence(scan, 40)}
}

// --- get_agent_processes ---

type processesIn struct {
	AgentID        args.String `json:"agent_id" jsonschema:"agent id, e.g. 001"`
	Limit          args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	Search         args.String `json:"search,omitempty" jsonschema:"text in any field, e.g. a name"`
	IncludeCommand args.Bool   `json:"include_command,omitempty"`
	Cursor         args.String `json:"cursor,omitempty"`
}

// ProcessList is a page of an agent's processes.
type ProcessList struct {
	Result
	inventoryPage
	Processes []ProcessInfo `json:"processes"`
}

// ProcessInfo is one process.
type ProcessInfo struct {
	PID       int64             `json:"pid"`
	PPID      int64             `json:"ppid"`
	Name      string            `json:"name"`
	State     string            `json:"state,omitempty"`
	User      string            `json:"user,omitempty" jsonschema:"effective user"`
	StartTime int64             `json:"start_time,omitempty" jsonschema:"start time, Unix seconds (Linux) as reported"`
	Untrusted *ProcessUntrusted `json:"untrusted,omitempty"`
}

// ProcessUntrusted holds a process's command line.
type ProcessUntrusted struct {
	Command string `json:"command,omitempty"`
}

func (d Deps) agentProcesses(ctx context.Context, in *processesIn) (*ProcessList, error) {
	id, limit, search, err := inventoryArgs(in.AgentID, in.Limit, in.Search)
	if err != nil {
		return nil, err
	}
	fp := fingerprint("processes", id, strconv.Itoa(limit), search)
	offset, err := decodeOffsetCursor("cursor", string(in.Cursor), fp)
	if err != nil {
		return nil, err
	}
	page, err := d.Wazuh.Processes(ctx, id, wazuh.ListOptions{Offset: offset, Limit: limit, Search: search, Sort: "+pid"})
	if err != nil {
		return nil, err
	}
	out := &ProcessList{Processes: make([]ProcessInfo, 0, len(page.Items))}
	scan := ""
	for _, p := range page.Items {
		out.Processes = append(out.Processes, processInfo(p, bool(in.IncludeCommand)))
		scan = p.Scan.Time
	}
	out.inventoryPage = newInventoryPage(id, page.Total, len(page.Items), offset, fp, scan)
	if in.IncludeCommand {
		out.AddNote(policy.UntrustedNotice)
	} else {
		out.AddNote("command lines omitted; pass include_command=true to see them")
	}
	return out, nil
}

func processInfo(p wazuh.Process, withCmd bool) ProcessInfo {
	pi := ProcessInfo{
		PID: int64(p.PID), PPID: int64(p.PPID),
		Name:      policy.Fence(p.Name, 256),
		State:     policy.Fence(p.State, 32),
		User:      policy.Fence(p.EUser, 128),
		StartTime: int64(p.StartTime),
	}
	if withCmd {
		cmd := p.Cmd
		if p.Argvs != "" {
			cmd += " " + p.Argvs
		}
		if cmd != "" {
			pi.Untrusted = &ProcessUntrusted{Command: policy.Fence(cmd, policy.DefaultFieldLimit)}
		}
	}
	return pi
}

func inventoryArgs(agentID args.String, limit args.Int, search args.String) (string, int, string, error) {
	id, err := args.AgentID("agent_id", string(agentID))
	if err != nil {
		return "", 0, "", err
	}
	n, err := args.Limit("limit", limit, 100, 1000)
	if err != nil {
		return "", 0, "", err
	}
	s, err := searchArg(string(search))
	return id, n, s, err
}

// --- get_agent_ports ---

type portsIn struct {
	AgentID   args.String `json:"agent_id" jsonschema:"agent id, e.g. 001"`
	Limit     args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	State     args.String `json:"state,omitempty" jsonschema:"e.g. listening, established"`
	Protocol  args.String `json:"protocol,omitempty" jsonschema:"tcp, tcp6, udp or udp6"`
	Cursor    args.String `json:"cursor,omitempty"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// PortList is a page of an agent's ports.
type PortList struct {
	Result
	inventoryPage
	Ports []PortInfo `json:"ports"`
}

// PortInfo is one socket.
type PortInfo struct {
	Protocol   string `json:"protocol"`
	LocalIP    string `json:"local_ip"`
	LocalPort  int64  `json:"local_port"`
	RemoteIP   string `json:"remote_ip,omitempty"`
	RemotePort int64  `json:"remote_port,omitempty"`
	State      string `json:"state,omitempty"`
	PID        int64  `json:"pid,omitempty"`
	Process    string `json:"process,omitempty"`
}

func (d Deps) agentPorts(ctx context.Context, in *portsIn) (*PortList, error) {
	id, limit, _, err := inventoryArgs(in.AgentID, in.Limit, "")
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	if in.State != "" {
		st, err := args.OneOf("state", string(in.State), "", "listening", "established", "time_wait", "close_wait", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "closing", "last_ack", "close")
		if err != nil {
			return nil, err
		}
		params.Set("state", st)
	}
	if in.Protocol != "" {
		p, err := args.OneOf("protocol", string(in.Protocol), "", "tcp", "tcp6", "udp", "udp6")
		if err != nil {
			return nil, err
		}
		params.Set("protocol", p)
	}
	fp := fingerprint("ports", id, strconv.Itoa(limit), params.Encode())
	offset, err := decodeOffsetCursor("cursor", string(in.Cursor), fp)
	if err != nil {
		return nil, err
	}
	page, err := d.Wazuh.Ports(ctx, id, wazuh.ListOptions{Offset: offset, Limit: limit, Params: params, Sort: "+local.port"})
	if err != nil {
		return nil, err
	}
	includeIP := includeIPs(in.IncludeIP, d)
	out := &PortList{Ports: make([]PortInfo, 0, len(page.Items))}
	scan := ""
	for _, p := range page.Items {
		out.Ports = append(out.Ports, PortInfo{
			Protocol: policy.Fence(p.Protocol, 16),
			LocalIP:  policy.IP(policy.Fence(p.Local.IP, 64), includeIP), LocalPort: int64(p.Local.Port),
			RemoteIP: policy.IP(policy.Fence(p.Remote.IP, 64), includeIP), RemotePort: int64(p.Remote.Port),
			State: policy.Fence(p.State, 32), PID: int64(p.PID), Process: policy.Fence(p.Process, 256),
		})
		scan = p.Scan.Time
	}
	out.inventoryPage = newInventoryPage(id, page.Total, len(page.Items), offset, fp, scan)
	return out, nil
}

package wazuh

import "context"

// ScanInfo is the "scan" object of syscollector items.
type ScanInfo struct {
	ID   FlexInt `json:"id"`
	Time string  `json:"time"`
}

// Process is an item of GET /syscollector/{agent_id}/processes. pid is a
// string in the spec and examples but a number elsewhere: FlexInt reads both.
type Process struct {
	PID       FlexInt    `json:"pid"`
	PPID      FlexInt    `json:"ppid"`
	Name      string     `json:"name"`
	Cmd       string     `json:"cmd"`
	Argvs     string     `json:"argvs"`
	State     string     `json:"state"`
	EUser     string     `json:"euser"`
	RUser     string     `json:"ruser"`
	SUser     string     `json:"suser"`
	EGroup    string     `json:"egroup"`
	RGroup    string     `json:"rgroup"`
	SGroup    string     `json:"sgroup"`
	FGroup    string     `json:"fgroup"`
	Priority  FlexInt    `json:"priority"`
	Nice      FlexInt    `json:"nice"`
	Size      FlexInt    `json:"size"`
	VMSize    FlexInt    `json:"vm_size"`
	Resident  FlexInt    `json:"resident"`
	Share     FlexInt    `json:"share"`
	StartTime FlexInt    `json:"start_time"`
	UTime     FlexInt    `json:"utime"`
	STime     FlexInt    `json:"stime"`
	PGrp      FlexInt    `json:"pgrp"`
	Session   FlexInt    `json:"session"`
	NLWP      FlexInt    `json:"nlwp"`
	TGID      FlexInt    `json:"tgid"`
	TTY       FlexInt    `json:"tty"`
	Processor FlexInt    `json:"processor"`
	Scan      ScanInfo   `json:"scan"`
	AgentID   FlexString `json:"agent_id"`
	Extra     Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (p *Process) UnmarshalJSON(b []byte) error {
	type plain Process
	extra, err := decodeWithExtra(b, (*plain)(p))
	p.Extra = extra
	return err
}

// Endpoint is one end of a Port.
type Endpoint struct {
	IP   string  `json:"ip"`
	Port FlexInt `json:"port"`
}

// Port is an item of GET /syscollector/{agent_id}/ports.
type Port struct {
	Local    Endpoint   `json:"local"`
	Remote   Endpoint   `json:"remote"`
	Protocol string     `json:"protocol"`
	State    string     `json:"state"`
	PID      FlexInt    `json:"pid"`
	Process  string     `json:"process"`
	Inode    FlexInt    `json:"inode"`
	RxQueue  FlexInt    `json:"rx_queue"`
	TxQueue  FlexInt    `json:"tx_queue"`
	Scan     ScanInfo   `json:"scan"`
	AgentID  FlexString `json:"agent_id"`
	Extra    Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (p *Port) UnmarshalJSON(b []byte) error {
	type plain Port
	extra, err := decodeWithExtra(b, (*plain)(p))
	p.Extra = extra
	return err
}

// Package is an item of GET /syscollector/{agent_id}/packages.
type Package struct {
	Name         string     `json:"name"`
	Version      string     `json:"version"`
	Architecture string     `json:"architecture"`
	Vendor       string     `json:"vendor"`
	Format       string     `json:"format"`
	Description  string     `json:"description"`
	Section      string     `json:"section"`
	Priority     string     `json:"priority"`
	Source       string     `json:"source"`
	Multiarch    string     `json:"multiarch"`
	Size         FlexInt    `json:"size"`
	InstallTime  string     `json:"install_time"`
	Location     string     `json:"location"`
	Scan         ScanInfo   `json:"scan"`
	AgentID      FlexString `json:"agent_id"`
	Extra        Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (p *Package) UnmarshalJSON(b []byte) error {
	type plain Package
	extra, err := decodeWithExtra(b, (*plain)(p))
	p.Extra = extra
	return err
}

// NetAddr is an item of GET /syscollector/{agent_id}/netaddr.
type NetAddr struct {
	Iface     string     `json:"iface"`
	Proto     string     `json:"proto"`
	Address   string     `json:"address"`
	Netmask   string     `json:"netmask"`
	Broadcast string     `json:"broadcast"`
	Scan      ScanInfo   `json:"scan"`
	AgentID   FlexString `json:"agent_id"`
	Extra     Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (n *NetAddr) UnmarshalJSON(b []byte) error {
	type plain NetAddr
	extra, err := decodeWithExtra(b, (*plain)(n))
	n.Extra = extra
	return err
}

// IfaceCounters are the rx/tx counters of a NetIface.
type IfaceCounters struct {
	Bytes   FlexInt `json:"bytes"`
	Packets FlexInt `json:"packets"`
	Errors  FlexInt `json:"errors"`
	Dropped FlexInt `json:"dropped"`
}

// NetIface is an item of GET /syscollector/{agent_id}/netiface.
type NetIface struct {
	Name    string        `json:"name"`
	Type    string        `json:"type"`
	State   string        `json:"state"`
	MAC     string        `json:"mac"`
	MTU     FlexInt       `json:"mtu"`
	RX      IfaceCounters `json:"rx"`
	TX      IfaceCounters `json:"tx"`
	Scan    ScanInfo      `json:"scan"`
	AgentID FlexString    `json:"agent_id"`
	Extra   Extra         `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (n *NetIface) UnmarshalJSON(b []byte) error {
	type plain NetIface
	extra, err := decodeWithExtra(b, (*plain)(n))
	n.Extra = extra
	return err
}

// OSInfo is the item of GET /syscollector/{agent_id}/os.
type OSInfo struct {
	Hostname     string `json:"hostname"`
	Architecture string `json:"architecture"`
	Sysname      string `json:"sysname"`
	Release      string `json:"release"`
	Version      string `json:"version"`
	OS           struct {
		Name     string     `json:"name"`
		Platform string     `json:"platform"`
		Version  string     `json:"version"`
		Codename string     `json:"codename"`
		Major    FlexString `json:"major"`
		Minor    FlexString `json:"minor"`
		Build    FlexString `json:"build,omitempty"`
	} `json:"os"`
	Scan    ScanInfo   `json:"scan"`
	AgentID FlexString `json:"agent_id"`
	Extra   Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (o *OSInfo) UnmarshalJSON(b []byte) error {
	type plain OSInfo
	extra, err := decodeWithExtra(b, (*plain)(o))
	o.Extra = extra
	return err
}

// Hardware is the item of GET /syscollector/{agent_id}/hardware.
type Hardware struct {
	BoardSerial string `json:"board_serial"`
	CPU         struct {
		Name  string  `json:"name"`
		Cores FlexInt `json:"cores"`
		MHz   float64 `json:"mhz"`
	} `json:"cpu"`
	RAM struct {
		Total FlexInt `json:"total"`
		Free  FlexInt `json:"free"`
		Usage FlexInt `json:"usage"`
	} `json:"ram"`
	Scan    ScanInfo   `json:"scan"`
	AgentID FlexString `json:"agent_id"`
	Extra   Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (h *Hardware) UnmarshalJSON(b []byte) error {
	type plain Hardware
	extra, err := decodeWithExtra(b, (*plain)(h))
	h.Extra = extra
	return err
}

// Hotfix is an item of GET /syscollector/{agent_id}/hotfixes (Windows).
type Hotfix struct {
	Hotfix  string     `json:"hotfix"`
	Scan    ScanInfo   `json:"scan"`
	AgentID FlexString `json:"agent_id"`
	Extra   Extra      `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (h *Hotfix) UnmarshalJSON(b []byte) error {
	type plain Hotfix
	extra, err := decodeWithExtra(b, (*plain)(h))
	h.Extra = extra
	return err
}

// Processes lists the agent's processes (Params: pid, state, ppid, egroup, euser, name, …).
func (c *Client) Processes(ctx context.Context, agentID string, opts ListOptions) (Page[Process], error) {
	return listAgentPath[Process](ctx, c, "/syscollector/{agent_id}/processes", agentID, opts)
}

// Ports lists the agent's open ports (Params: pid, protocol, local.ip, local.port, state, process, …).
func (c *Client) Ports(ctx context.Context, agentID string, opts ListOptions) (Page[Port], error) {
	return listAgentPath[Port](ctx, c, "/syscollector/{agent_id}/ports", agentID, opts)
}

// Packages lists the agent's installed packages (Params: vendor, name, architecture, format, version).
func (c *Client) Packages(ctx context.Context, agentID string, opts ListOptions) (Page[Package], error) {
	return listAgentPath[Package](ctx, c, "/syscollector/{agent_id}/packages", agentID, opts)
}

// NetAddr lists the agent's network addresses.
func (c *Client) NetAddr(ctx context.Context, agentID string, opts ListOptions) (Page[NetAddr], error) {
	return listAgentPath[NetAddr](ctx, c, "/syscollector/{agent_id}/netaddr", agentID, opts)
}

// NetIface lists the agent's network interfaces.
func (c *Client) NetIface(ctx context.Context, agentID string, opts ListOptions) (Page[NetIface], error) {
	return listAgentPath[NetIface](ctx, c, "/syscollector/{agent_id}/netiface", agentID, opts)
}

// OS returns the agent's operating system inventory (one item).
func (c *Client) OS(ctx context.Context, agentID string, opts ListOptions) (Page[OSInfo], error) {
	return listAgentPath[OSInfo](ctx, c, "/syscollector/{agent_id}/os", agentID, opts)
}

// Hardware returns the agent's hardware inventory (one item).
func (c *Client) Hardware(ctx context.Context, agentID string, opts ListOptions) (Page[Hardware], error) {
	return listAgentPath[Hardware](ctx, c, "/syscollector/{agent_id}/hardware", agentID, opts)
}

// Hotfixes lists the agent's installed Windows hotfixes.
func (c *Client) Hotfixes(ctx context.Context, agentID string, opts ListOptions) (Page[Hotfix], error) {
	return listAgentPath[Hotfix](ctx, c, "/syscollector/{agent_id}/hotfixes", agentID, opts)
}

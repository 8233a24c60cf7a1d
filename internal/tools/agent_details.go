package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// agentDetailTools are the agent tools built on syscollector and the
// agent's active configuration; agentTools lists them.
func agentDetailTools(d Deps, lim limits) []Tool {
	return []Tool{
		newTool(agentsToolset, Spec{
			Name:        "get_agent_network",
			Title:       "Get agent network",
			Description: "Network interfaces of an agent with addresses and traffic counters.",
		}, lim, d.agentNetwork),
		newTool(agentsToolset, Spec{
			Name:        "get_agent_packages",
			Title:       "List agent packages",
			Description: "Installed packages of an agent, filtered by name.",
		}, lim, d.agentPackages),
		newTool(agentsToolset, Spec{
			Name:        "get_agent_configuration",
			Title:       "Get agent configuration",
			Description: "Active configuration of a connected agent, by component/configuration section.",
		}, lim, d.agentConfiguration),
	}
}

// --- get_agent enrichment: syscollector OS and hardware ---

// AgentInventory is the OS and hardware syscollector reported.
type AgentInventory struct {
	OS       *InventoryOS       `json:"os,omitempty"`
	Hardware *InventoryHardware `json:"hardware,omitempty"`
	ScanTime string             `json:"scan_time,omitempty" jsonschema:"when syscollector last scanned"`
}

// InventoryOS is the operating system as syscollector saw it.
type InventoryOS struct {
	Name     string `json:"name,omitempty"`
	Version  string `json:"version,omitempty"`
	Kernel   string `json:"kernel,omitempty" jsonschema:"sysname and release"`
	Arch     string `json:"arch,omitempty"`
	Hostname string `json:"hostname,omitempty"`
}

// InventoryHardware is the CPU and memory of an agent.
type InventoryHardware struct {
	CPU        string `json:"cpu,omitempty"`
	Cores      int64  `json:"cores,omitempty"`
	RAMTotalMB int64  `json:"ram_total_mb,omitempty"`
	RAMUsage   int64  `json:"ram_usage_pct,omitempty"`
}

// agentInventory reads the syscollector OS and hardware of an agent (two
// cached Manager requests). Missing inventory is not an error: it is said in
// notes, since agents that never connected have none.
func (d Deps) agentInventory(ctx context.Context, id string, r *Result) *AgentInventory {
	inv := &AgentInventory{}
	osPage, osErr := d.Wazuh.OS(ctx, id, wazuh.ListOptions{})
	if osErr == nil && len(osPage.Items) > 0 {
		o := osPage.Items[0]
		inv.OS = &InventoryOS{
			Name:     policy.Fence(o.OS.Name, 128),
			Version:  policy.Fence(o.OS.Version, 64),
			Kernel:   policy.Fence(strings.TrimSpace(o.Sysname+" "+o.Release), 128),
			Arch:     policy.Fence(o.Architecture, 32),
			Hostname: policy.Fence(o.Hostname, 128),
		}
		inv.ScanTime = policy.Fence(o.Scan.Time, 40)
	}
	hwPage, hwErr := d.Wazuh.Hardware(ctx, id, wazuh.ListOptions{})
	if hwErr == nil && len(hwPage.Items) > 0 {
		h := hwPage.Items[0]
		inv.Hardware = &InventoryHardware{
			CPU:        policy.Fence(h.CPU.Name, 128),
			Cores:      int64(h.CPU.Cores),
			RAMTotalMB: int64(h.RAM.Total) / 1024, // syscollector reports KiB
			RAMUsage:   int64(h.RAM.Usage),
		}
		if inv.ScanTime == "" {
			inv.ScanTime = policy.Fence(h.Scan.Time, 40)
		}
	}
	for _, part := range []struct {
		name string
		err  error
		got  bool
	}{{"OS", osErr, inv.OS != nil}, {"hardware", hwErr, inv.Hardware != nil}} {
		switch {
		case part.err != nil:
			r.AddNote("syscollector %s inventory unavailable: %s", part.name, errorText(part.err))
		case !part.got:
			r.AddNote("no syscollector %s inventory for this agent (it has not reported one)", part.name)
		}
	}
	if inv.OS == nil && inv.Hardware == nil {
		return nil
	}
	return inv
}

// --- get_agent_network ---

type agentNetworkIn struct {
	AgentID   args.String `json:"agent_id"`
	IncludeIP *args.Bool  `json:"include_ip,omitempty"`
}

// AgentNetwork is an agent's interfaces with their addresses.
type AgentNetwork struct {
	Result
	AgentID    string         `json:"agent_id"`
	ScanTime   string         `json:"scan_time,omitempty"`
	Interfaces []NetworkIface `json:"interfaces"`
}

// NetworkIface is one interface.
type NetworkIface struct {
	Name      string        `json:"name"`
	Type      string        `json:"type,omitempty"`
	State     string        `json:"state,omitempty"`
	MAC       string        `json:"mac,omitempty"`
	MTU       int64         `json:"mtu,omitempty"`
	RX        *IfaceTraffic `json:"rx,omitempty"`
	TX        *IfaceTraffic `json:"tx,omitempty"`
	Addresses []NetworkAddr `json:"addresses,omitempty"`
}

// IfaceTraffic are one direction's counters.
type IfaceTraffic struct {
	Bytes   int64 `json:"bytes"`
	Packets int64 `json:"packets"`
	Errors  int64 `json:"errors"`
	Dropped int64 `json:"dropped"`
}

// NetworkAddr is one address of an interface.
type NetworkAddr struct {
	Address   string `json:"address"`
	Netmask   string `json:"netmask,omitempty"`
	Broadcast string `json:"broadcast,omitempty"`
	Proto     string `json:"proto,omitempty"`
}

// maxNetworkItems bounds the interfaces and addresses read for one agent.
const maxNetworkItems = 500

func (d Deps) agentNetwork(ctx context.Context, in *agentNetworkIn) (*AgentNetwork, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	ifaces, err := d.Wazuh.NetIface(ctx, id, wazuh.ListOptions{Limit: maxNetworkItems, Sort: "+name"})
	if err != nil {
		return nil, err
	}
	addrs, err := d.Wazuh.NetAddr(ctx, id, wazuh.ListOptions{Limit: maxNetworkItems})
	if err != nil {
		return nil, err
	}
	includeIP := includeIPs(in.IncludeIP, d)
	out := &AgentNetwork{AgentID: id, Interfaces: make([]NetworkIface, 0, len(ifaces.Items))}
	index := map[string]int{}
	for _, n := range ifaces.Items {
		index[n.Name] = len(out.Interfaces)
		out.Interfaces = append(out.Interfaces, NetworkIface{
			Name: policy.Fence(n.Name, 128), Type: policy.Fence(n.Type, 32), State: policy.Fence(n.State, 32),
			MAC: policy.Fence(n.MAC, 64), MTU: int64(n.MTU), RX: traffic(n.RX), TX: traffic(n.TX),
		})
		out.ScanTime = policy.Fence(n.Scan.Time, 40)
	}
	for _, a := range addrs.Items {
		i, ok := index[a.Iface]
		if !ok { // an address whose interface syscollector did not list
			i = len(out.Interfaces)
			index[a.Iface] = i
			out.Interfaces = append(out.Interfaces, NetworkIface{Name: policy.Fence(a.Iface, 128)})
		}
		out.Interfaces[i].Addresses = append(out.Interfaces[i].Addresses, NetworkAddr{
			Address:   policy.IP(policy.Fence(a.Address, 64), includeIP),
			Netmask:   policy.Fence(a.Netmask, 64),
			Broadcast: policy.IP(policy.Fence(a.Broadcast, 64), includeIP),
			Proto:     policy.Fence(a.Proto, 16),
		})
	}
	if ifaces.Total > len(ifaces.Items) || addrs.Total > len(addrs.Items) {
		out.AddNote("the agent reports %d interfaces and %d addresses; the first %d of each are shown", ifaces.Total, addrs.Total, maxNetworkItems)
	}
	if len(out.Interfaces) == 0 {
		out.AddNote("no syscollector network inventory for this agent (it has not reported one)")
	}
	return out, nil
}

func traffic(c wazuh.IfaceCounters) *IfaceTraffic {
	return &IfaceTraffic{Bytes: int64(c.Bytes), Packets: int64(c.Packets), Errors: int64(c.Errors), Dropped: int64(c.Dropped)}
}

// --- get_agent_packages ---

type agentPackagesIn struct {
	AgentID args.String `json:"agent_id"`
	Name    args.String `json:"name,omitempty" jsonschema:"part of the name"`
	Limit   args.Int    `json:"limit,omitempty" jsonschema:"1-1000, default 100"`
	Cursor  args.String `json:"cursor,omitempty"`
}

// PackageList is a page of an agent's packages.
type PackageList struct {
	Result
	inventoryPage
	Packages []PackageInfo `json:"packages"`
}

// PackageInfo is one installed package.
type PackageInfo struct {
	Name         string `json:"name"`
	Version      string `json:"version,omitempty"`
	Architecture string `json:"architecture,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	Format       string `json:"format,omitempty"`
}

// packageNameRe is what a package name filter may contain: the characters
// the Wazuh q language can carry as a literal (it has no escaping).
var packageNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,127}$`)

func (d Deps) agentPackages(ctx context.Context, in *agentPackagesIn) (*PackageList, error) {
	id, limit, _, err := inventoryArgs(in.AgentID, in.Limit, "")
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(string(in.Name))
	opts := wazuh.ListOptions{Limit: limit, Sort: "+name"}
	if name != "" {
		if !packageNameRe.MatchString(name) {
			return nil, args.Errorf("name", "%q is not a package name filter: letters, digits, space and . _ : - (up to 128; the Wazuh query language cannot carry other characters, so leave them out: \"libstdc\" finds libstdc++6)", truncateName(name))
		}
		opts.Q = wazuh.Like("name", name)
		if err := opts.Q.Err(); err != nil {
			return nil, args.Errorf("name", "%s", err.Error())
		}
	}
	fp := fingerprint("packages", id, strconv.Itoa(limit), name)
	if opts.Offset, err = decodeOffsetCursor("cursor", string(in.Cursor), fp); err != nil {
		return nil, err
	}
	page, err := d.Wazuh.Packages(ctx, id, opts)
	if err != nil {
		return nil, err
	}
	out := &PackageList{Packages: make([]PackageInfo, 0, len(page.Items))}
	scan := ""
	for _, p := range page.Items {
		out.Packages = append(out.Packages, PackageInfo{
			Name: policy.Fence(p.Name, 256), Version: policy.Fence(p.Version, 128),
			Architecture: policy.Fence(p.Architecture, 32), Vendor: policy.Fence(p.Vendor, 256), Format: policy.Fence(p.Format, 16),
		})
		scan = p.Scan.Time
	}
	out.inventoryPage = newInventoryPage(id, page.Total, len(page.Items), opts.Offset, fp, scan)
	if name != "" {
		out.AddNote("name matched as a case-insensitive substring (Wazuh q name~%s)", name)
	}
	return out, nil
}

// --- get_agent_configuration ---

// agentConfigSections are the component/configuration pairs of
// GET /agents/{agent_id}/config/{component}/{configuration} in the Wazuh
// 4.14 API specification.
var agentConfigSections = []string{
	"agent/client", "agent/buffer", "agent/labels", "agent/internal", "agent/anti_tampering",
	"agentless/agentless",
	"analysis/global", "analysis/active_response", "analysis/alerts", "analysis/command", "analysis/rules",
	"analysis/decoders", "analysis/internal", "analysis/rule_test",
	"auth/auth",
	"com/active-response", "com/logging", "com/internal", "com/cluster",
	"csyslog/csyslog",
	"integrator/integration",
	"logcollector/localfile", "logcollector/socket", "logcollector/internal",
	"mail/global", "mail/alerts", "mail/internal",
	"monitor/global", "monitor/internal", "monitor/reports",
	"request/global", "request/remote", "request/internal",
	"syscheck/syscheck", "syscheck/rootcheck", "syscheck/internal",
	"wazuh-db/internal", "wazuh-db/wdb",
	"wmodules/wmodules",
}

type agentConfigIn struct {
	AgentID       args.String `json:"agent_id"`
	Component     args.String `json:"component,omitempty" jsonschema:"omit to list sections"`
	Configuration args.String `json:"configuration,omitempty"`
	IncludeIP     *args.Bool  `json:"include_ip,omitempty"`
}

// AgentConfiguration is one active configuration section, or the list of
// sections that can be asked for.
type AgentConfiguration struct {
	Result
	AgentID string `json:"agent_id"`
	Status  string `json:"status,omitempty" jsonschema:"agent connection status"`
	// Sync is the agent's group configuration sync status.
	Sync      *ConfigSync      `json:"sync,omitempty"`
	Section   string           `json:"section,omitempty" jsonschema:"component/configuration returned"`
	Sections  []string         `json:"sections,omitempty" jsonschema:"valid component/configuration pairs"`
	Untrusted *ConfigUntrusted `json:"untrusted,omitempty"`
}

// ConfigSync is the agent's shared (group) configuration state.
type ConfigSync struct {
	Status    string   `json:"status,omitempty" jsonschema:"synced or not synced"`
	Groups    []string `json:"groups,omitempty"`
	ConfigSum string   `json:"config_sum,omitempty"`
	MergedSum string   `json:"merged_sum,omitempty"`
}

// ConfigUntrusted holds the configuration the agent reported.
type ConfigUntrusted struct {
	Configuration any `json:"configuration"`
}

func (d Deps) agentConfiguration(ctx context.Context, in *agentConfigIn) (*AgentConfiguration, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	component, configuration, err := configSection(string(in.Component), string(in.Configuration))
	if err != nil {
		return nil, err
	}
	a, err := d.agentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &AgentConfiguration{AgentID: id, Status: policy.Fence(a.Status, 32)}
	if component == "" {
		out.Sections = agentConfigSections
		out.Sync = &ConfigSync{Status: policy.Fence(a.GroupConfigStatus, 32), Groups: fenceList(a.Group, 64),
			ConfigSum: policy.Fence(a.ConfigSum, 64), MergedSum: policy.Fence(a.MergedSum, 64)}
		out.AddNote("pass component and configuration (one of sections) to read the agent's active configuration")
		return out, nil
	}
	if a.Status != "active" {
		return nil, fmt.Errorf("agent %s is %s: the Manager reads the active configuration from the running agent, so it can only be read while the agent is connected (last keep-alive %s)",
			id, policy.Fence(a.Status, 32), firstNonEmpty(policy.Fence(a.LastKeepAlive, 40), "never"))
	}
	raw, err := d.Wazuh.AgentConfig(ctx, id, component, configuration)
	if err != nil {
		return nil, configError(id, component+"/"+configuration, err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("agent %s configuration %s/%s: the Manager answered with invalid JSON: %v", id, component, configuration, err)
	}
	red := configRedaction{secrets: !d.AllowSensitiveConfig, internalIPs: !includeIPs(in.IncludeIP, d)}
	doc = red.redact(doc)
	out.Section = component + "/" + configuration
	out.Untrusted = &ConfigUntrusted{Configuration: policy.FenceAny(doc, 1024)}
	out.AddNote("active configuration as the running agent reports it (may differ from ossec.conf until a restart)")
	if len(red.paths) > 0 {
		out.AddNote("%d secret-looking value(s) redacted: %s", len(red.paths), strings.Join(red.paths, ", "))
	}
	if red.nIPs > 0 {
		out.AddNote("%d internal IP address(es) redacted; include_ip=true shows them", red.nIPs)
	}
	out.AddNote(policy.UntrustedNotice)
	return out, nil
}

// configSection validates component and configuration against the spec's
// pairs. An empty component asks for the list; a component with a single
// configuration needs no configuration argument.
func configSection(component, configuration string) (string, string, error) {
	component = strings.ToLower(strings.TrimSpace(component))
	configuration = strings.ToLower(strings.TrimSpace(configuration))
	if component == "" {
		if configuration != "" {
			return "", "", args.Errorf("component", "is required with configuration (e.g. component \"syscheck\", configuration %q)", truncateName(configuration))
		}
		return "", "", nil
	}
	var components, configs []string
	for _, s := range agentConfigSections {
		c, cfg, _ := strings.Cut(s, "/")
		if !slices.Contains(components, c) {
			components = append(components, c)
		}
		if c == component {
			configs = append(configs, cfg)
		}
	}
	if len(configs) == 0 {
		return "", "", args.Errorf("component", "%q is not a component (one of: %s)", truncateName(component), strings.Join(components, ", "))
	}
	if configuration == "" && len(configs) == 1 {
		configuration = configs[0]
	}
	if !slices.Contains(configs, configuration) {
		return "", "", args.Errorf("configuration", "%q is not a configuration of component %s (one of: %s)", truncateName(configuration), component, strings.Join(configs, ", "))
	}
	return component, configuration, nil
}

// configError explains the Manager's refusals of an active-configuration read.
func configError(id, section string, err error) error {
	var ae *wazuh.APIError
	if errors.As(err, &ae) {
		switch ae.Code {
		case 1740:
			return fmt.Errorf("agent %s is not connected: the Manager cannot ask it for its active configuration (%w)", id, err)
		case 1116, 1117:
			return fmt.Errorf("agent %s has no active configuration section %s (the module is not configured on it or its version does not report it): %w", id, section, err)
		}
	}
	return err
}

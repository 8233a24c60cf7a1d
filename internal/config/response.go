package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Response configures the write tools (toolset response) and their gate.
type Response struct {
	// ToolMap is the action policy file in the Wazuh Autopilot format
	// (policies/toolmap.yaml); empty: every action needs a human.
	ToolMap string `yaml:"toolmap"`
	// AllowAutonomous lets the policy approve low-risk reversible actions
	// without a human (WAZUH_MCP_ALLOW_AUTONOMOUS_RESPONSE).
	AllowAutonomous bool `yaml:"allow_autonomous"`
	// ProtectedIPs are extra IPs and CIDRs no block may target.
	ProtectedIPs []string `yaml:"protected_ips"`
	// ProtectedAccounts are extra accounts no disable may target.
	ProtectedAccounts []string `yaml:"protected_accounts"`
	// ProtectedAgents are agent ids no action may target (default 000,
	// the manager).
	ProtectedAgents []string `yaml:"protected_agents"`
	// MaxTargets bounds the agents of one action.
	MaxTargets int `yaml:"max_targets"`
	// AllowAllAgents lets agent_id "all" / all_agents expand to every
	// active agent (still bounded by MaxTargets).
	AllowAllAgents bool `yaml:"allow_all_agents"`
	// ARCommands is the allowlist of wazuh_active_response: ar.conf
	// command names (firewall-drop, firewall-drop600) or !scripts.
	ARCommands []string `yaml:"ar_commands"`
	// Commands that implement actions Wazuh does not ship: an ar.conf
	// command name or "!script". Empty: the tool says what to deploy.
	IsolationCommand   string `yaml:"isolation_command"`
	KillProcessCommand string `yaml:"kill_process_command"`
	QuarantineCommand  string `yaml:"quarantine_command"`
	// AllowManagerRestart lets wazuh_restart target the manager.
	AllowManagerRestart bool `yaml:"allow_manager_restart"`
	// ApprovalTTL is how long an action waits for a decision.
	ApprovalTTL time.Duration `yaml:"approval_ttl"`
	// DedupeWindow: the same plan from the same caller returns the earlier
	// action while it is live (pending, approved, executing), and within
	// this window of its proposal once it finished (client retries never
	// execute twice).
	DedupeWindow time.Duration `yaml:"dedupe_window"`
	// Elicitation asks the MCP client's user in-line when the client
	// supports it; ElicitationWait bounds how long a call waits for that.
	Elicitation     *bool         `yaml:"elicitation"`
	ElicitationWait time.Duration `yaml:"elicitation_wait"`
}

// StockARCommands are the active-response commands Wazuh ships; the
// default allowlist of wazuh_active_response.
func StockARCommands() []string {
	return []string{"firewall-drop", "host-deny", "route-null", "win_route-null", "netsh", "disable-account"}
}

func defaultResponse() Response {
	on := true
	return Response{
		ProtectedAgents: []string{"000"}, MaxTargets: 10, ARCommands: StockARCommands(),
		ApprovalTTL: 15 * time.Minute, DedupeWindow: 10 * time.Minute, Elicitation: &on, ElicitationWait: 2 * time.Minute,
	}
}

// UseElicitation reports whether the gate asks clients in-line.
func (r Response) UseElicitation() bool { return r.Elicitation == nil || *r.Elicitation }

func responseEnvVars() []envVar {
	return []envVar{
		{"WAZUH_MCP_TOOLMAP", str(func(c *Config) *string { return &c.Response.ToolMap })},
		{"WAZUH_MCP_ALLOW_AUTONOMOUS_RESPONSE", boolv(func(c *Config) *bool { return &c.Response.AllowAutonomous })},
		{"WAZUH_MCP_PROTECTED_IPS", list(func(c *Config) *[]string { return &c.Response.ProtectedIPs })},
		{"WAZUH_MCP_PROTECTED_ACCOUNTS", list(func(c *Config) *[]string { return &c.Response.ProtectedAccounts })},
		{"WAZUH_MCP_PROTECTED_AGENTS", list(func(c *Config) *[]string { return &c.Response.ProtectedAgents })},
		{"WAZUH_MCP_RESPONSE_MAX_TARGETS", integer(func(c *Config) *int { return &c.Response.MaxTargets })},
		{"WAZUH_MCP_RESPONSE_ALLOW_ALL_AGENTS", boolv(func(c *Config) *bool { return &c.Response.AllowAllAgents })},
		{"WAZUH_MCP_AR_COMMANDS", list(func(c *Config) *[]string { return &c.Response.ARCommands })},
		{"WAZUH_MCP_ISOLATION_COMMAND", str(func(c *Config) *string { return &c.Response.IsolationCommand })},
		{"WAZUH_MCP_KILL_PROCESS_COMMAND", str(func(c *Config) *string { return &c.Response.KillProcessCommand })},
		{"WAZUH_MCP_QUARANTINE_COMMAND", str(func(c *Config) *string { return &c.Response.QuarantineCommand })},
		{"WAZUH_MCP_ALLOW_MANAGER_RESTART", boolv(func(c *Config) *bool { return &c.Response.AllowManagerRestart })},
		{"WAZUH_MCP_APPROVAL_TTL", duration(func(c *Config) *time.Duration { return &c.Response.ApprovalTTL })},
		{"WAZUH_MCP_DEDUPE_WINDOW", duration(func(c *Config) *time.Duration { return &c.Response.DedupeWindow })},
		{"WAZUH_MCP_APPROVAL_ELICITATION", boolp(func(c *Config) **bool { return &c.Response.Elicitation })},
		{"WAZUH_MCP_ELICITATION_WAIT", duration(func(c *Config) *time.Duration { return &c.Response.ElicitationWait })},
	}
}

// validateResponse checks the response settings; their meaning (protected
// ranges, the toolmap) is checked again where they are compiled.
func (c *Config) validateResponse() error {
	r := &c.Response
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(between("WAZUH_MCP_RESPONSE_MAX_TARGETS", r.MaxTargets, 1, 1000))
	if r.ApprovalTTL < time.Minute || r.ApprovalTTL > 7*24*time.Hour {
		add(fmt.Errorf("WAZUH_MCP_APPROVAL_TTL %s: allowed 1m to 168h", r.ApprovalTTL))
	}
	if r.DedupeWindow < 0 || r.DedupeWindow > 24*time.Hour {
		add(fmt.Errorf("WAZUH_MCP_DEDUPE_WINDOW %s: allowed 0 to 24h", r.DedupeWindow))
	}
	if r.ElicitationWait < 0 || r.ElicitationWait > time.Hour {
		add(fmt.Errorf("WAZUH_MCP_ELICITATION_WAIT %s: allowed 0 to 1h", r.ElicitationWait))
	}
	for _, p := range r.ProtectedIPs {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err2 := netip.ParseAddr(p); err2 != nil {
				add(fmt.Errorf("WAZUH_MCP_PROTECTED_IPS: %q is neither an IP address nor a CIDR range", p))
			}
		}
	}
	for _, name := range []string{r.IsolationCommand, r.KillProcessCommand, r.QuarantineCommand} {
		if name != "" && strings.ContainsAny(name, " \t\n/\\;|&$`") {
			add(fmt.Errorf("response command %q: a command is an ar.conf name or !script, without spaces, paths or shell characters", name))
		}
	}
	return errors.Join(errs...)
}

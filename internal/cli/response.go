package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

// responseDeps compiles the response settings: protected targets (with the
// Wazuh servers' own addresses), the action policy file, commands.
func responseDeps(cfg *config.Config, log *slog.Logger, approvalBase string) (tools.ResponseDeps, error) {
	r := cfg.Response
	prot, err := policy.NewProtected(policy.ProtectedConfig{
		IPs: r.ProtectedIPs, ServerIPs: serverIPs(cfg, log), Accounts: r.ProtectedAccounts, Agents: r.ProtectedAgents,
	})
	if err != nil {
		return tools.ResponseDeps{}, err
	}
	var tm *policy.ToolMap
	if r.ToolMap != "" {
		if tm, err = policy.LoadToolMap(r.ToolMap); err != nil {
			return tools.ResponseDeps{}, fmt.Errorf("WAZUH_MCP_TOOLMAP: %w", err)
		}
	}
	d := tools.ResponseDeps{
		Protected: prot, ToolMap: tm, AllowAutonomous: r.AllowAutonomous, MaxTargets: r.MaxTargets,
		AllowAllAgents: r.AllowAllAgents, ARCommands: r.ARCommands, IsolationCommand: r.IsolationCommand,
		KillProcessCommand: r.KillProcessCommand, QuarantineCommand: r.QuarantineCommand,
		AllowManagerRestart: r.AllowManagerRestart, Elicitation: r.UseElicitation(), ElicitationWait: r.ElicitationWait,
	}
	base := approvalBase
	if base == "" && cfg.Server.Transport == "http" {
		base = approvalBaseURL(cfg, log)
	}
	if base != "" {
		base = strings.TrimRight(base, "/")
		d.ApprovalURL = func(id string) string { return base + "/approvals/" + url.PathEscape(id) }
	}
	return d, nil
}

// serverIPs are the manager's and indexer's addresses: never a block
// target. Names are resolved once at start; a failure is logged, not fatal.
func serverIPs(cfg *config.Config, log *slog.Logger) []netip.Addr {
	var out []netip.Addr
	for _, h := range []string{cfg.Wazuh.Host, cfg.Indexer.Host} {
		host := hostOf(h)
		if host == "" {
			continue
		}
		if a, err := netip.ParseAddr(host); err == nil {
			out = append(out, a.Unmap())
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		cancel()
		if err != nil {
			log.Warn("cannot resolve a Wazuh server name to protect its address from blocks", "host", host, "error", err)
			continue
		}
		for _, a := range addrs {
			out = append(out, a.Unmap())
		}
	}
	return out
}

// hostOf is the host of "host", "host:port" or a URL.
func hostOf(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if !strings.Contains(v, "://") {
		v = "https://" + v
	}
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// dropDisabledActions removes write tools the action policy disables.
func dropDisabledActions(ts []tools.Tool, tm *policy.ToolMap, log *slog.Logger) []tools.Tool {
	out := ts[:0:0]
	for _, t := range ts {
		if t.Write && !tm.Enabled(t.Def.Name) {
			log.Info("write tool disabled by the action policy (enabled: false)", "tool", t.Def.Name)
			continue
		}
		out = append(out, t)
	}
	return out
}

// approvalBaseURL is where operators reach the approval page: the public
// URL, or the listen address when it names one host.
func approvalBaseURL(cfg *config.Config, log *slog.Logger) string {
	if cfg.Auth.PublicURL != "" {
		u, err := url.Parse(cfg.Auth.PublicURL)
		if err == nil {
			u.Path, u.RawQuery = "", ""
			return u.String()
		}
	}
	host := cfg.Server.Host
	if a, err := netip.ParseAddr(host); err == nil && a.IsUnspecified() {
		log.Warn("set MCP_PUBLIC_URL so that write tools can link to the approval page (the server listens on every address)")
		return ""
	}
	scheme := "http"
	if cfg.TLSEnabled() {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, fmt.Sprint(cfg.Server.Port))
}

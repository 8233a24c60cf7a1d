package dataset

import (
	"fmt"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Alert count limits.
const (
	DefaultAlerts = 10000
	MaxAlerts     = 1000000
)

// Generate builds a whole deployment. It is deterministic: the same Seed and
// Now give identical data. Now defaults to the current time and Alerts to
// DefaultAlerts.
func Generate(opts Options) (*Dataset, error) {
	if opts.Alerts < 0 || opts.Alerts > MaxAlerts {
		return nil, fmt.Errorf("dataset: alerts must be between 0 and %d, got %d", MaxAlerts, opts.Alerts)
	}
	if opts.Alerts == 0 {
		opts.Alerts = DefaultAlerts
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	// Drop the monotonic reading and sub-second part: every timestamp is
	// derived from Now and must print the same on every run.
	now := opts.Now.UTC().Round(0).Truncate(time.Second)

	agents := buildAgents(opts.Seed, now)
	ds := &Dataset{Seed: opts.Seed, Now: now, Info: apiInfo(now)}
	for _, a := range agents {
		ds.Agents = append(ds.Agents, agentItem(a))
	}
	ds.Groups = buildGroups(agents)

	var pkgs map[string][]events.PackageRef
	ds.Syscollector, pkgs = buildSyscollector(opts.Seed, agents, now)
	out, err := events.Generate(events.Input{
		Seed: opts.Seed, Alerts: opts.Alerts, Now: now, Agents: agentRefs(agents), Packages: pkgs,
		ManagerName: ManagerName, ClusterName: ClusterName, NodeName: MasterNode,
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: generating events: %w", err)
	}
	ds.Alerts, ds.Vulnerabilities = out.Alerts, out.Vulnerabilities
	ds.AlertIndices, ds.VulnerabilityIndices = out.AlertIndices, out.VulnerabilityIndices

	ds.Rules, ds.RuleFiles, ds.RuleFileXML = buildRules(events.Ruleset())
	ds.MitreTechniques, ds.MitreTactics, ds.MitreMitigations = buildMitre(events.Techniques())
	ds.Decoders = buildDecoders()
	ds.Lists = buildLists()
	ds.SCA, ds.SCAChecks = buildSCA(opts.Seed, agents, now)
	ds.Syscheck = buildSyscheck(opts.Seed, agents, now)
	ds.FIMScans = buildFIMScans(opts.Seed, agents, now)
	ds.Rootcheck = buildRootcheck(opts.Seed, agents, now)
	ds.AgentConfig = buildAgentConfig(agents)
	ds.Logcollector = buildLogcollector(opts.Seed, agents, now)
	ds.Manager = buildManager(opts.Seed, agents, ds.Alerts, now)
	ds.Cluster = buildCluster(agents, now)
	return ds, nil
}

func buildManager(seed int64, agents []agent, alerts []search.Doc, now time.Time) ManagerState {
	t := tallyAlerts(alerts, now)
	weekly, hourly := weeklyAndHourly(t)
	logs, summary := buildManagerLogs(seed, agents, now)
	return ManagerState{
		Info: managerInfo(seed), Status: managerStatus(), Config: managerConfig(),
		Stats: managerStats(t), StatsWeekly: weekly, StatsHourly: hourly,
		Analysisd: []Item{analysisdStats(t)}, Remoted: []Item{remotedStats(t, agents)},
		DaemonStats: daemonStats(t, agents, now), Logs: logs, LogsSummary: summary,
	}
}

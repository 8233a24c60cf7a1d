// Package dataset generates the stand-in's Wazuh deployment deterministically
// from a seed: agents and their inventory, rules, decoders, CDB lists, SCA,
// FIM, rootcheck, manager and cluster state, alerts and vulnerabilities.
package dataset

import (
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Item is one JSON object exactly as the Wazuh Manager API returns it in
// data.affected_items. The stand-in serves these generically (select, sort,
// search, q), so they are kept as decoded JSON rather than typed structs.
type Item = map[string]any

// Options control generation.
type Options struct {
	Seed   int64
	Alerts int       // number of alerts (default 10,000; up to 1,000,000)
	Now    time.Time // end of the generated 7-day window (default time.Now)
}

// Dataset is a whole generated deployment. Everything in it is read-only
// after Generate returns; servers may share it across goroutines.
type Dataset struct {
	Seed int64
	Now  time.Time

	// Manager API collections, keyed as documented per field.
	Info             Item                         // GET / data (title, api_version, revision, license_name, license_url, hostname, timestamp)
	Agents           []Item                       // GET /agents items; agent 000 is the manager
	Groups           []Item                       // GET /groups items
	Syscollector     map[string]map[string][]Item // agent id -> os|hardware|packages|processes|ports|netaddr|netiface|hotfixes -> items
	Rules            []Item                       // GET /rules items
	RuleFiles        []Item                       // GET /rules/files items
	RuleFileXML      map[string]string            // filename -> XML content of GET /rules/files/{f}
	Decoders         []Item                       // GET /decoders items
	Lists            []Item                       // GET /lists items
	SCA              map[string][]Item            // agent id -> GET /sca/{id} policies
	SCAChecks        map[string]map[string][]Item // agent id -> policy id -> GET /sca/{id}/checks/{p} items
	Syscheck         map[string][]Item            // agent id -> GET /syscheck/{id} items
	FIMScans         map[string]Item              // agent id -> GET /syscheck/{id}/last_scan item (start, end; null when never scanned)
	Rootcheck        map[string][]Item            // agent id -> GET /rootcheck/{id} items
	AgentConfig      map[string]map[string]Item   // agent id -> "component/configuration" -> GET /agents/{id}/config/{c}/{cfg} data
	Logcollector     map[string]Item              // agent id -> GET /agents/{id}/stats/logcollector item
	Manager          ManagerState
	Cluster          ClusterState
	MitreTechniques  []Item // GET /mitre/techniques items
	MitreTactics     []Item // GET /mitre/tactics items (resolve the techniques' tactic ids)
	MitreMitigations []Item // GET /mitre/mitigations items (resolve the techniques' mitigation ids)

	// Indexer documents. Alerts are sorted by timestamp ascending.
	Alerts          []search.Doc
	Vulnerabilities []search.Doc
	// AlertIndices and VulnerabilityIndices group the documents into indices
	// named as real Wazuh names them (wazuh-alerts-4.x-YYYY.MM.DD,
	// wazuh-states-vulnerabilities-<cluster>).
	AlertIndices         []search.Index
	VulnerabilityIndices []search.Index
}

// ManagerState holds the /manager/* answers.
type ManagerState struct {
	Info        Item   // /manager/info
	Status      Item   // /manager/status
	Config      Item   // /manager/configuration (ossec.conf sections)
	Stats       []Item // /manager/stats (hourly buckets of today)
	StatsWeekly []Item // /manager/stats/weekly
	StatsHourly []Item // /manager/stats/hourly
	Analysisd   []Item // /manager/stats/analysisd
	Remoted     []Item // /manager/stats/remoted
	DaemonStats []Item // /manager/daemons/stats
	Logs        []Item // /manager/logs (timestamp, tag, level, description), newest first
	LogsSummary []Item // /manager/logs/summary
}

// ClusterState holds the /cluster/* answers.
type ClusterState struct {
	Status      Item   // /cluster/status
	Nodes       []Item // /cluster/nodes
	Healthcheck []Item // /cluster/healthcheck
	LocalInfo   Item   // /cluster/local/info
}

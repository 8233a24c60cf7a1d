package dataset

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// Names the stand-in's manager and cluster use everywhere.
const (
	ManagerName  = "wazuh-manager"
	ClusterName  = "wazuh"
	MasterNode   = "node01"
	WorkerNode   = "node02"
	WazuhVersion = "v4.14.7"
)

// rosterEntry is one fixed agent. Other packages and tests rely on these
// ids, names, statuses and groups, so they are a table, not generated.
type rosterEntry struct {
	id, name, osKey, status, ip string
	groups                      []string
	role                        string // selects role packages, processes, ports and files
	version                     string // agent version without "Wazuh "
}

var roster = []rosterEntry{
	{"000", ManagerName, "ubuntu22", "active", "127.0.0.1", nil, "manager", WazuhVersion},
	{"001", "web-01", "ubuntu22", "active", "10.0.1.11", []string{"default", "linux", "webservers"}, "web", WazuhVersion},
	{"002", "web-02", "ubuntu22", "active", "10.0.1.12", []string{"default", "linux", "webservers"}, "web", WazuhVersion},
	{"003", "db-01", "rhel9", "active", "10.0.2.21", []string{"default", "linux", "dbservers"}, "mysql", WazuhVersion},
	{"004", "db-02", "debian12", "active", "10.0.2.22", []string{"default", "linux", "dbservers"}, "postgres", WazuhVersion},
	{"005", "mail-01", "debian12", "active", "10.0.3.10", []string{"default", "linux"}, "mail", WazuhVersion},
	{"006", "vpn-gw", "ubuntu20", "active", "10.0.0.5", []string{"default", "linux", "dmz"}, "vpn", "v4.12.0"},
	{"007", "k8s-node-01", "amzn2023", "active", "10.0.4.31", []string{"default", "linux", "kubernetes"}, "k8s", WazuhVersion},
	{"008", "k8s-node-02", "amzn2023", "active", "10.0.4.32", []string{"default", "linux", "kubernetes"}, "k8s", WazuhVersion},
	{"009", "jenkins-01", "ubuntu22", "active", "10.0.5.40", []string{"default", "linux"}, "jenkins", WazuhVersion},
	{"010", "dc-01", "win2022", "active", "10.0.10.10", []string{"default", "windows", "domain-controllers"}, "dc", WazuhVersion},
	{"011", "dc-02", "win2019", "active", "10.0.10.11", []string{"default", "windows", "domain-controllers"}, "dc", "v4.12.0"},
	{"012", "fs-01", "win2019", "active", "10.0.10.20", []string{"default", "windows"}, "fileserver", WazuhVersion},
	{"013", "ws-fin-01", "win11", "active", "10.0.20.101", []string{"default", "windows", "workstations"}, "workstation", WazuhVersion},
	{"014", "ws-fin-02", "win11", "disconnected", "10.0.20.102", []string{"default", "windows", "workstations"}, "workstation", WazuhVersion},
	{"015", "ws-hr-01", "win10", "active", "10.0.20.110", []string{"default", "windows", "workstations"}, "workstation", WazuhVersion},
	{"016", "ws-dev-01", "win11", "active", "10.0.20.120", []string{"default", "windows", "workstations"}, "devws", WazuhVersion},
	{"017", "mac-dev-01", "macos14", "active", "10.0.30.11", []string{"default", "macos", "workstations"}, "mac", WazuhVersion},
	{"018", "mac-dev-02", "macos15", "active", "10.0.30.12", []string{"default", "macos", "workstations"}, "mac", WazuhVersion},
	{"019", "bastion-01", "ubuntu24", "active", "10.0.0.10", []string{"default", "linux", "dmz"}, "bastion", WazuhVersion},
	{"020", "legacy-app-01", "centos7", "disconnected", "10.0.6.50", []string{"default", "linux"}, "legacy", "v4.9.2"},
	{"021", "test-vm-01", "ubuntu22", "never_connected", "any", []string{"default"}, "none", ""},
	{"022", "ws-sales-01", "win10", "disconnected", "10.0.20.130", []string{"default", "windows", "workstations"}, "workstation", "v4.12.0"},
	{"023", "mac-exec-01", "macos14", "never_connected", "any", []string{"default"}, "none", ""},
	{"024", "proxy-01", "debian11", "active", "10.0.0.20", []string{"default", "linux", "dmz"}, "proxy", WazuhVersion},
	{"025", "monitor-01", "rocky9", "pending", "10.0.7.70", []string{"default"}, "monitor", WazuhVersion},
}

// disconnectedFor says how long ago each disconnected agent sent its last
// keepalive; manager logs and alert data refer to the same moments.
var disconnectedFor = map[string]time.Duration{
	"014": 5*time.Hour + 13*time.Minute,
	"020": 3*24*time.Hour + 4*time.Hour,
	"022": 27*time.Hour + 41*time.Minute,
}

// disconnectionGrace mirrors ossec.conf agents_disconnection_time (10m): the
// manager marks an agent disconnected this long after its last keepalive.
const disconnectionGrace = 10 * time.Minute

// agent is the generator's view of one roster entry with its derived times.
type agent struct {
	rosterEntry
	os            osProfile
	dateAdd       time.Time
	lastKeepAlive time.Time
}

// hasInventory reports whether the manager holds syscollector, SCA, FIM and
// stats for the agent: real Wazuh has none for agents that never reported.
func (a agent) hasInventory() bool {
	return a.status == "active" || a.status == "disconnected"
}

// lastSeen is when the agent last reported (scans happened before it).
func (a agent) lastSeen(now time.Time) time.Time {
	if a.status == "active" || a.id == "000" {
		return now
	}
	return a.lastKeepAlive
}

func (a agent) hasGroup(g string) bool {
	for _, x := range a.groups {
		if x == g {
			return true
		}
	}
	return false
}

// buildAgents derives registration and keepalive times for the roster.
func buildAgents(seed int64, now time.Time) []agent {
	r := newRand(seed, "agents")
	out := make([]agent, 0, len(roster))
	for _, e := range roster {
		a := agent{rosterEntry: e, os: profileByKey(e.osKey)}
		a.dateAdd, a.lastKeepAlive = agentTimes(r, e, now)
		out = append(out, a)
	}
	return out
}

func agentTimes(r *rand.Rand, e rosterEntry, now time.Time) (dateAdd, keepAlive time.Time) {
	switch {
	case e.id == "000":
		dateAdd = now.Add(-410 * 24 * time.Hour).Truncate(time.Second)
	case e.status == "never_connected":
		dateAdd = now.Add(-time.Duration(between(r, 2, 14)) * 24 * time.Hour).Add(-time.Duration(r.IntN(86400)) * time.Second).Truncate(time.Second)
	case e.status == "pending":
		dateAdd = now.Add(-time.Duration(between(r, 60, 150)) * time.Minute).Truncate(time.Second)
	default:
		dateAdd = now.Add(-time.Duration(between(r, 30, 380)) * 24 * time.Hour).Add(-time.Duration(r.IntN(86400)) * time.Second).Truncate(time.Second)
	}
	switch e.status {
	case "active", "pending":
		keepAlive = now.Add(-time.Duration(between(r, 1, 50)) * time.Second).Truncate(time.Second)
	case "disconnected":
		keepAlive = now.Add(-disconnectedFor[e.id]).Add(-time.Duration(r.IntN(60)) * time.Second).Truncate(time.Second)
	}
	return dateAdd, keepAlive
}

// agentItem renders GET /agents. The fields present depend on the status
// exactly as the real API: a never-connected agent has no os, version,
// keepalive or checksums; the manager has no group.
func agentItem(a agent) Item {
	it := Item{
		"id":          a.id,
		"name":        a.name,
		"ip":          a.ip,
		"registerIP":  "any",
		"status":      a.status,
		"status_code": 0,
		"dateAdd":     apiTime(a.dateAdd),
		"node_name":   MasterNode,
	}
	if a.id == "000" {
		it["registerIP"] = "127.0.0.1"
		it["lastKeepAlive"] = "9999-12-31T23:59:59+00:00"
	}
	if a.status == "never_connected" {
		it["node_name"] = "unknown"
		it["group"] = stringList(a.groups)
		return it
	}
	it["os"] = agentOS(a)
	it["version"] = "Wazuh " + a.version
	it["manager"] = ManagerName
	if a.id != "000" {
		it["lastKeepAlive"] = apiTime(a.lastKeepAlive)
		it["group"] = stringList(a.groups)
		it["configSum"] = md5Of("agent.conf:" + strings.Join(a.groups, ","))
		it["mergedSum"] = md5Of("merged.mg:" + strings.Join(a.groups, ","))
		it["group_config_status"] = groupConfigStatus(a)
	} else {
		it["group_config_status"] = "synced"
	}
	if a.status == "disconnected" {
		it["disconnection_time"] = apiTime(a.lastKeepAlive.Add(disconnectionGrace))
	}
	return it
}

// groupConfigStatus: pending agents and the oldest agent have not received
// the current merged.mg.
func groupConfigStatus(a agent) string {
	if a.status == "pending" || a.id == "020" {
		return "not synced"
	}
	return "synced"
}

func agentOS(a agent) Item {
	p := a.os
	os := Item{"arch": p.arch, "name": p.name, "platform": p.platform, "uname": p.uname(a.name), "version": p.version, "major": p.major}
	if p.minor != "" {
		os["minor"] = p.minor
	}
	if p.codename != "" {
		os["codename"] = p.codename
	}
	if p.build != "" {
		os["build"] = p.build
	}
	return os
}

// stringList copies s into a []any so the item looks like decoded JSON.
func stringList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// buildGroups renders GET /groups, sorted by name as the real API lists
// them; count includes agents that never connected.
func buildGroups(agents []agent) []Item {
	var names []string
	seen := map[string]bool{}
	for _, a := range agents {
		for _, g := range a.groups {
			if !seen[g] {
				seen[g] = true
				names = append(names, g)
			}
		}
	}
	sortStrings(names)
	out := make([]Item, 0, len(names))
	for _, g := range names {
		n := 0
		for _, a := range agents {
			if a.hasGroup(g) {
				n++
			}
		}
		out = append(out, Item{
			"name":      g,
			"count":     n,
			"mergedSum": md5Of("merged.mg:" + g),
			"configSum": md5Of("agent.conf:" + g),
		})
	}
	return out
}

// agentRefs is what the events package needs about each agent.
func agentRefs(agents []agent) []events.AgentRef {
	out := make([]events.AgentRef, 0, len(agents))
	for _, a := range agents {
		out = append(out, events.AgentRef{
			ID: a.id, Name: a.name, IP: a.ip, Status: a.status,
			Platform: a.os.platform, OSName: a.os.name, OSVersion: a.os.version,
			Groups: append([]string(nil), a.groups...),
		})
	}
	return out
}

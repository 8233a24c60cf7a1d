package events

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Window is how far back alerts reach from Input.Now.
const Window = 7 * 24 * time.Hour

// Generate builds the alerts and vulnerability documents described by in.
// Output depends only on in: the same Input gives the same documents.
//
// The incidents (incidents.go) are always included when in.Alerts > 0, so
// the alert count is max(in.Alerts, IncidentAlerts(in)); the rest is
// background traffic spread over the 7 days before in.Now.
func Generate(in Input) (Output, error) {
	if in.Alerts < 0 {
		return Output{}, fmt.Errorf("events: negative alert count %d", in.Alerts)
	}
	if in.Now.IsZero() {
		return Output{}, fmt.Errorf("events: Input.Now is required")
	}
	g := newGenerator(in)
	if in.Alerts > 0 {
		g.incidents()
		g.background(in.Alerts - len(g.alerts))
		g.finish()
	}
	out := Output{Alerts: make([]search.Doc, len(g.alerts))}
	for i, a := range g.alerts {
		out.Alerts[i] = a
	}
	out.AlertIndices = alertIndices(g.alerts)
	out.Vulnerabilities = g.vulnerabilities()
	out.VulnerabilityIndices = []search.Index{{Name: VulnerabilityIndexName(in.ClusterName), Docs: out.Vulnerabilities}}
	return out, nil
}

// generator holds one Generate call's state.
type generator struct {
	in     Input
	rng    *rand.Rand
	now    int64 // unix ms
	start  int64
	common *commonInfo
	agents []*agentInfo // producing agents (active/disconnected + manager), by id
	rules  map[int]*ruleInfo
	alerts []*alert
}

func newGenerator(in Input) *generator {
	g := &generator{
		in:     in,
		rng:    rand.New(rand.NewPCG(uint64(in.Seed), 0x5eed_a1e7)),
		now:    in.Now.UnixMilli(),
		start:  in.Now.Add(-Window).UnixMilli(),
		common: &commonInfo{manager: cmp.Or(in.ManagerName, "wazuh-manager"), cluster: in.ClusterName, node: in.NodeName},
		rules:  make(map[int]*ruleInfo, len(ruleTable)),
	}
	techs := make(map[string]Technique, len(techniqueTable))
	for _, t := range techniqueTable {
		techs[t.ID] = t
	}
	for i := range ruleTable {
		g.rules[ruleTable[i].ID] = newRuleInfo(&ruleTable[i], techs)
	}
	g.agents = g.producingAgents()
	return g
}

func newRuleInfo(r *Rule, techs map[string]Technique) *ruleInfo {
	ri := &ruleInfo{rule: r, id: strconv.Itoa(r.ID), level: float64(r.Level)}
	if f, ok := r.Details["frequency"].(string); ok {
		n, _ := strconv.Atoi(f)
		ri.frequency = float64(n)
	}
	for _, id := range r.MITRE {
		t := techs[id]
		ri.mitreID = append(ri.mitreID, id)
		ri.techniques = append(ri.techniques, t.Name)
		for _, tac := range t.Tactics {
			if !slices.Contains(ri.tactics, tac) {
				ri.tactics = append(ri.tactics, tac)
			}
		}
	}
	return ri
}

// producingAgents keeps agents that can have sent events in the window: the
// manager, active agents and disconnected ones (until they disconnected).
func (g *generator) producingAgents() []*agentInfo {
	refs := slices.Clone(g.in.Agents)
	slices.SortFunc(refs, func(a, b AgentRef) int { return strings.Compare(a.ID, b.ID) })
	hasManager := len(refs) > 0 && refs[0].ID == "000"
	if !hasManager {
		refs = append([]AgentRef{{ID: "000", Name: g.common.manager, Status: "active", Platform: "ubuntu"}}, refs...)
	}
	var out []*agentInfo
	for _, r := range refs {
		if r.Status != "active" && r.Status != "disconnected" {
			continue
		}
		ai := &agentInfo{ref: r, common: g.common, from: g.start, to: g.now}
		ai.windows = r.Platform == "windows"
		ai.authLog, ai.syslog = "/var/log/auth.log", "/var/log/syslog"
		switch r.Platform {
		case "centos", "rhel", "rocky", "amzn", "fedora", "ol", "almalinux":
			ai.authLog, ai.syslog = "/var/log/secure", "/var/log/messages"
		}
		if !r.DateAdd.IsZero() {
			ai.from = max(ai.from, r.DateAdd.UnixMilli())
		}
		if r.Status == "disconnected" {
			ai.to = g.disconnectedAt(r)
		}
		if ai.to > ai.from {
			out = append(out, ai)
		}
	}
	return out
}

// disconnectedAt is when a disconnected agent went silent: its last
// keepalive when known, else a point 2-72 hours before Now derived from its id.
func (g *generator) disconnectedAt(r AgentRef) int64 {
	if !r.LastKeepAlive.IsZero() {
		return min(g.now, r.LastKeepAlive.UnixMilli())
	}
	n, _ := strconv.Atoi(r.ID)
	hours := 2 + (n*37)%70
	return g.now - int64(hours)*int64(time.Hour/time.Millisecond)
}

// agentByName finds an incident target by name, falling back to an id.
func (g *generator) agentByName(name, fallbackID string) *agentInfo {
	for _, a := range g.agents {
		if a.ref.Name == name {
			return a
		}
	}
	for _, a := range g.agents {
		if a.ref.ID == fallbackID && fallbackID != "" {
			return a
		}
	}
	return nil
}

// add appends one alert. vals are the shape's stored fields in slot order.
func (g *generator) add(ag *agentInfo, ruleID int, s *shape, ms int64, vals ...string) *alert {
	ri, ok := g.rules[ruleID]
	if !ok {
		panic(fmt.Sprintf("events: rule %d is not in the catalogue", ruleID))
	}
	if len(vals) != s.slots {
		panic(fmt.Sprintf("events: shape %s wants %d values, got %d", s.name, s.slots, len(vals)))
	}
	a := &alert{ms: ms, rule: ri, agent: ag, shape: s, vals: vals, aux: g.rng.Uint32()}
	g.alerts = append(g.alerts, a)
	return a
}

// finish sorts alerts by time (stable, so bursts keep their order) and
// numbers them: firedtimes per rule, and ids from a per-day byte offset as
// alerts.json would have.
func (g *generator) finish() {
	slices.SortStableFunc(g.alerts, func(a, b *alert) int { return cmp.Compare(a.ms, b.ms) })
	var day int64 = -1
	var offset uint32
	for _, a := range g.alerts {
		if d := a.ms / int64(24*time.Hour/time.Millisecond); d != day {
			day, offset = d, 0
		}
		a.offset = offset
		offset += 700 + a.aux%900 // a rough alert line length
		a.rule.fired++
		a.fired = a.rule.fired
	}
}

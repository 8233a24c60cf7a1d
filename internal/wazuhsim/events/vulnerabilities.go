package events

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// VulnerabilityIndexName is the 4.8+ states index of a cluster.
func VulnerabilityIndexName(cluster string) string {
	return "wazuh-states-vulnerabilities-" + strings.ToLower(cmp.Or(cluster, "wazuh"))
}

// vulnMatch is one vulnerable package of one agent.
type vulnMatch struct {
	agent    AgentRef
	pkg      PackageRef
	cve      *cve
	detected time.Time
}

// vulnMatches pairs agents' packages with the CVE table. It uses its own
// random stream so vulnerability state does not depend on the alert count.
func (g *generator) vulnMatches() []vulnMatch {
	rng := rand.New(rand.NewPCG(uint64(g.in.Seed), 0xc0ffee))
	agents := slices.Clone(g.in.Agents)
	slices.SortFunc(agents, func(a, b AgentRef) int { return strings.Compare(a.ID, b.ID) })
	var out []vulnMatch
	for _, ag := range agents {
		if ag.Status == "never_connected" || ag.Status == "pending" {
			continue
		}
		for _, p := range g.agentPackages(ag) {
			for i := range cveTable {
				c := &cveTable[i]
				if (c.os && p.Format == "windows") || (!c.os && slices.Contains(c.packages, p.Name)) {
					// Most findings are older than the alert window; some are new.
					horizon := 30 * 24 * time.Hour
					if rng.IntN(5) < 2 {
						horizon = Window
					}
					ago := time.Duration(rng.Int64N(int64(horizon)))
					out = append(out, vulnMatch{agent: ag, pkg: p, cve: c, detected: g.in.Now.Add(-ago).Truncate(time.Millisecond)})
				}
			}
		}
	}
	return out
}

// agentPackages is the agent's package list, with the OS itself as a
// package for Windows (as the 4.8+ scanner reports OS vulnerabilities).
func (g *generator) agentPackages(ag AgentRef) []PackageRef {
	pkgs := g.in.Packages[ag.ID]
	if ag.Platform == "windows" {
		name := strings.TrimSpace(ag.OSName + " " + ag.OSVersion)
		pkgs = append(slices.Clone(pkgs), PackageRef{Name: name, Version: ag.OSVersion, Architecture: "x86_64", Format: "windows"})
	}
	return pkgs
}

// vulnerabilities builds the wazuh-states-vulnerabilities documents.
func (g *generator) vulnerabilities() []search.Doc {
	matches := g.vulnMatches()
	out := make([]search.Doc, 0, len(matches))
	for _, m := range matches {
		out = append(out, newMapDoc(vulnDocID(m), g.vulnSource(m), vulnFieldTypes))
	}
	return out
}

func vulnDocID(m vulnMatch) string {
	key := m.pkg.Name
	if m.pkg.Format != "windows" {
		h := sha1.Sum([]byte(m.pkg.Name + "|" + m.pkg.Version + "|" + m.pkg.Architecture + "|" + m.pkg.Format))
		key = hex.EncodeToString(h[:])
	}
	return m.agent.ID + "_" + key + "_" + m.cve.id
}

func (g *generator) vulnSource(m vulnMatch) map[string]any {
	c := m.cve
	pkg := map[string]any{"name": m.pkg.Name, "version": m.pkg.Version, "architecture": m.pkg.Architecture, "type": m.pkg.Format}
	// Installed some weeks before detection; stable per package.
	h := sha1.Sum([]byte(m.agent.ID + m.pkg.Name))
	installed := m.detected.Add(-time.Duration(1+int(h[0])) * 24 * time.Hour)
	pkg["installed"] = installed.UTC().Format("2006-01-02T15:04:05.000Z")
	if m.pkg.Size > 0 {
		pkg["size"] = m.pkg.Size
	}
	if m.pkg.Description != "" {
		pkg["description"] = m.pkg.Description
	}
	category, source, ref := "Packages", "National Vulnerability Database", "https://nvd.nist.gov/vuln/detail/"+c.id
	if c.os {
		category, ref = "OS", "https://msrc.microsoft.com/update-guide/vulnerability/"+c.id
	}
	cond := "Package default status"
	if c.fixed != "" {
		cond = "Package less than " + c.fixed
	}
	platform := cmp.Or(m.agent.Platform, "linux")
	osType := platform
	if platform != "windows" && platform != "darwin" {
		osType = "linux"
	}
	return map[string]any{
		"agent": map[string]any{"id": m.agent.ID, "name": m.agent.Name, "type": "Wazuh", "version": "v4.14.7"},
		"host": map[string]any{"os": map[string]any{
			"full": strings.TrimSpace(m.agent.OSName + " " + m.agent.OSVersion), "name": m.agent.OSName,
			"platform": platform, "type": osType, "version": m.agent.OSVersion,
		}},
		"package": pkg,
		"vulnerability": map[string]any{
			"category": category, "classification": "CVSS", "description": c.description,
			"detected_at": m.detected.UTC().Format("2006-01-02T15:04:05.000Z"), "enumeration": "CVE", "id": c.id,
			"published_at": c.published, "reference": ref,
			"scanner":  map[string]any{"condition": cond, "reference": "https://cti.wazuh.com/vulnerabilities/cves/" + c.id, "source": source, "vendor": "Wazuh"},
			"score":    map[string]any{"base": c.score, "version": "3.1"},
			"severity": c.severity, "under_evaluation": false,
		},
		"wazuh": map[string]any{"cluster": map[string]any{"name": cmp.Or(g.in.ClusterName, "wazuh")}, "schema": map[string]any{"version": "1.0.0"}},
	}
}

// vulnFieldTypes are the non-keyword fields of the vulnerabilities template.
var vulnFieldTypes = map[string]fieldKind{
	"package.size":                   kNumber,
	"package.installed":              kDate,
	"vulnerability.score.base":       kNumber,
	"vulnerability.detected_at":      kDate,
	"vulnerability.published_at":     kDate,
	"vulnerability.under_evaluation": kKeyword, // bool, handled by type
}

// vulnerabilityAlerts adds 2350x alerts for matches detected in the window
// (at most 40, as a scan reports a handful of new findings per day).
func (g *generator) vulnerabilityAlerts() {
	byID := make(map[string]*agentInfo, len(g.agents))
	for _, a := range g.agents {
		byID[a.ref.ID] = a
	}
	n := 0
	for _, m := range g.vulnMatches() {
		ag := byID[m.agent.ID]
		ms := m.detected.UnixMilli()
		if ag == nil || ms < ag.from || ms > ag.to || n >= 40 {
			continue
		}
		c := m.cve
		score := strconvScore(c.score)
		g.add(ag, severityRule(c.severity), shVulnAlert, ms,
			c.id, c.description, c.severity, c.published[:10], c.published[:10],
			"https://nvd.nist.gov/vuln/detail/"+c.id, m.pkg.Name, m.pkg.Version, m.pkg.Architecture,
			conditionText(c), score, score, "CVSS", "https://cti.wazuh.com/vulnerabilities/cves/"+c.id, c.description)
		n++
	}
}

func conditionText(c *cve) string {
	if c.fixed == "" {
		return "Package default status"
	}
	return "Package less than " + c.fixed
}

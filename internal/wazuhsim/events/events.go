// Package events generates the stand-in's indexer documents: alerts built
// from a catalogue of real Wazuh rules (ruleset.go), including coherent
// incidents, and vulnerability-state documents for installed packages.
package events

import (
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Rule is one real Wazuh ruleset rule as the stand-in knows it. The dataset
// package turns these into GET /rules items and rule XML files; alerts copy
// them into alert.rule.
type Rule struct {
	ID          int
	Level       int
	Description string
	Groups      []string
	File        string // e.g. "0095-sshd_rules.xml" (relative_dirname ruleset/rules)
	PCIDSS      []string
	GPG13       []string
	GDPR        []string
	HIPAA       []string
	NIST80053   []string
	TSC         []string
	MITRE       []string       // ATT&CK technique ids, e.g. "T1110"
	Details     map[string]any // e.g. if_sid, match, frequency, timeframe (the /rules "details" object)
}

// Technique is one MITRE ATT&CK technique referenced by the ruleset.
type Technique struct {
	ID          string // external id, e.g. "T1110.001"
	Name        string
	Tactics     []string // tactic names, e.g. "Credential Access"
	Description string
}

// AgentRef is what alert generation needs to know about an agent.
type AgentRef struct {
	ID, Name, IP string
	Status       string // active | disconnected | never_connected | pending
	Platform     string // ubuntu, centos, rhel, debian, amzn, windows, darwin, rocky
	OSName       string
	OSVersion    string
	Groups       []string
	// DateAdd is when the agent was registered; no alerts before it (zero: no limit).
	DateAdd time.Time
	// LastKeepAlive ends a disconnected agent's alerts (zero: derived from its id).
	LastKeepAlive time.Time
}

// PackageRef is an installed package of an agent (from syscollector).
type PackageRef struct {
	Name, Version, Architecture, Format, Description string
	Size                                             int64
}

// Input is everything Generate needs.
type Input struct {
	Seed        int64
	Alerts      int
	Now         time.Time
	Agents      []AgentRef
	Packages    map[string][]PackageRef // agent id -> packages
	ManagerName string
	ClusterName string // also the vulnerability index suffix
	NodeName    string
}

// Output is the generated documents and their indices.
type Output struct {
	Alerts               []search.Doc // sorted by timestamp ascending
	Vulnerabilities      []search.Doc
	AlertIndices         []search.Index
	VulnerabilityIndices []search.Index
}

package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

const vulnerabilitiesToolset = "vulnerabilities"

// vulnerabilityTools returns the vulnerabilities toolset. Data comes from the
// indexer's vulnerability states (wazuh-states-vulnerabilities-*, Wazuh 4.8+):
// one document per open detection (agent × package × CVE).
func vulnerabilityTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(vulnerabilitiesToolset, Spec{
			Name:        "get_wazuh_vulnerabilities",
			Title:       "Get vulnerabilities",
			Description: "Vulnerability detections, most severe first, by agent, severity, CVE or package; exact total.",
		}, lim, d.getVulnerabilities),
		newTool(vulnerabilitiesToolset, Spec{
			Name:        "get_wazuh_critical_vulnerabilities",
			Title:       "Get critical vulnerabilities",
			Description: "Critical detections by score, with their total and the number of affected agents.",
		}, lim, d.criticalVulnerabilities),
		newTool(vulnerabilitiesToolset, Spec{
			Name:        "get_wazuh_vulnerability_summary",
			Title:       "Summarize vulnerabilities",
			Description: "Exact counts of detections by severity, top CVEs, packages and agents.",
		}, lim, d.vulnerabilitySummary),
	}
}

// Vulnerability is one detection.
type Vulnerability struct {
	Agent     AlertAgent  `json:"agent"`
	CVE       string      `json:"cve"`
	Severity  string      `json:"severity"`
	Score     float64     `json:"score,omitempty" jsonschema:"CVSS base score"`
	Package   VulnPackage `json:"package"`
	Detected  string      `json:"detected,omitempty"`
	Published string      `json:"published,omitempty"`
	Reference string      `json:"reference,omitempty" jsonschema:"advisory URL"`
}

// VulnPackage is the vulnerable package.
type VulnPackage struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// rawVuln is the part of a vulnerability-state document that tools read.
type rawVuln struct {
	Agent         struct{ ID, Name string }      `json:"agent"`
	Package       struct{ Name, Version string } `json:"package"`
	Vulnerability struct {
		ID          string `json:"id"`
		Severity    string `json:"severity"`
		DetectedAt  string `json:"detected_at"`
		PublishedAt string `json:"published_at"`
		Reference   string `json:"reference"`
		Score       struct {
			Base json.Number `json:"base"`
		} `json:"score"`
	} `json:"vulnerability"`
}

// vulnSource is the _source the tools read.
var vulnSource = []string{
	indexer.FieldVulnAgentID, indexer.FieldVulnAgentName, indexer.FieldVulnID, indexer.FieldVulnSeverity,
	indexer.FieldVulnScore, indexer.FieldVulnDetectedAt, indexer.FieldVulnPublishedAt, "vulnerability.reference",
	indexer.FieldPackageName, indexer.FieldPackageVersion,
}

// vulnSort: highest score first, newest detection first among equals.
var vulnSort = []indexer.SortField{{Field: indexer.FieldVulnScore, Desc: true}, {Field: indexer.FieldVulnDetectedAt, Desc: true}}

func shapeVuln(h indexer.Hit) Vulnerability {
	var raw rawVuln
	if err := json.Unmarshal(h.Source, &raw); err != nil {
		return Vulnerability{CVE: policy.Fence(h.ID, 128), Severity: "undecodable: " + policy.Fence(err.Error(), 128)}
	}
	v := raw.Vulnerability
	out := Vulnerability{
		Agent:     AlertAgent{ID: policy.Fence(raw.Agent.ID, 16), Name: policy.Fence(raw.Agent.Name, 128)},
		CVE:       policy.Fence(v.ID, 64),
		Severity:  policy.Fence(v.Severity, 32),
		Package:   VulnPackage{Name: policy.Fence(raw.Package.Name, 256), Version: policy.Fence(raw.Package.Version, 128)},
		Detected:  policy.Fence(v.DetectedAt, 40),
		Published: policy.Fence(v.PublishedAt, 40),
		Reference: policy.Fence(v.Reference, 512),
	}
	if f, err := v.Score.Base.Float64(); err == nil && f >= 0 && f <= 10 {
		out.Score = math.Round(f*10) / 10
	}
	return out
}

// vulnError adds the indexer context to errors that do not carry it.
func vulnError(err error) error {
	if errors.Is(err, indexer.ErrNotConfigured) || errors.Is(err, indexer.ErrUnreachable) {
		return err
	}
	return fmt.Errorf("vulnerability query failed: %w", err)
}

const noVulnIndexNote = "no vulnerability index matched (wazuh-states-vulnerabilities-*): vulnerability detection is off or has not run yet"

// --- get_wazuh_vulnerabilities ---

type vulnsIn struct {
	AgentID  args.String `json:"agent_id,omitempty"`
	Severity args.String `json:"severity,omitempty" jsonschema:"critical|high|medium|low"`
	Limit    args.Int    `json:"limit,omitempty" jsonschema:"1-500, default 100"`
	CVE      args.String `json:"cve,omitempty" jsonschema:"e.g. CVE-2024-6387"`
	Package  args.String `json:"package,omitempty" jsonschema:"package name"`
	Cursor   args.String `json:"cursor,omitempty"`
}

// VulnList is a page of detections.
type VulnList struct {
	Result
	Total           int64           `json:"total" jsonschema:"detections matching the filters (exact)"`
	Returned        int             `json:"returned"`
	Truncated       bool            `json:"truncated"`
	NextCursor      string          `json:"next_cursor,omitempty"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities"`
}

var cveRe = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,7}$`)

func (d Deps) getVulnerabilities(ctx context.Context, in *vulnsIn) (*VulnList, error) {
	limit, err := args.Limit("limit", in.Limit, 100, 500)
	if err != nil {
		return nil, err
	}
	var f indexer.VulnFilter
	aid, err := args.OptionalAgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	if aid != "" {
		f.AgentIDs = []string{aid}
	}
	sev, err := severityArg(string(in.Severity))
	if err != nil {
		return nil, err
	}
	if sev != "" {
		f.Severities = []string{sev}
	}
	if cve := strings.ToUpper(strings.TrimSpace(string(in.CVE))); cve != "" {
		if !cveRe.MatchString(cve) {
			return nil, args.Errorf("cve", "%q is not a CVE id (CVE-YYYY-NNNN, e.g. CVE-2024-6387)", policy.Fence(string(in.CVE), 64))
		}
		f.CVEs = []string{cve}
	}
	pkg, err := args.Text("package", string(in.Package), 256, false)
	if err != nil {
		return nil, err
	}
	if pkg != "" {
		f.PackageNames = []string{pkg}
	}
	cursor, err := args.Text("cursor", string(in.Cursor), 4096, false)
	if err != nil {
		return nil, err
	}
	res, err := d.Indexer.SearchVulnerabilities(ctx, indexer.VulnSearchRequest{
		Filter: f, Size: limit, Sort: vulnSort, After: indexer.Cursor(cursor), Source: vulnSource, TrackTotalHits: true,
	})
	if err != nil {
		if errors.Is(err, indexer.ErrBadCursor) {
			return nil, args.Errorf("cursor", "is not a cursor of this query: repeat the same arguments with the cursor, or drop it")
		}
		return nil, vulnError(err)
	}
	out := &VulnList{Total: res.Total, Returned: len(res.Hits), NextCursor: string(res.Next), Vulnerabilities: make([]Vulnerability, 0, len(res.Hits))}
	out.Truncated = out.NextCursor != ""
	for _, h := range res.Hits {
		out.Vulnerabilities = append(out.Vulnerabilities, shapeVuln(h))
	}
	noteVulnSearch(&out.Result, res)
	if out.Truncated {
		out.AddNote("%d of %d detections returned, highest CVSS score first; pass next_cursor as cursor for more", out.Returned, out.Total)
	}
	return out, nil
}

// severityArg validates a severity in any case and returns the indexed
// spelling ("Critical"), or "" when empty.
func severityArg(v string) (string, error) {
	s, err := args.OneOf("severity", v, "", "critical", "high", "medium", "low")
	if err != nil || s == "" {
		return "", err
	}
	return indexer.NormalizeSeverity(s)
}

func noteVulnSearch(r *Result, res indexer.SearchResult) {
	noteVulnAnswer(r, res.NoIndex, res.TimedOut, res.FailedShards)
}

// noteVulnAnswer is noteAlertAnswer for the vulnerability index.
func noteVulnAnswer(r *Result, noIndex, timedOut bool, failedShards int) {
	if noIndex {
		r.AddNote(noVulnIndexNote)
	}
	notePartial(r, timedOut, failedShards)
}

// --- get_wazuh_critical_vulnerabilities ---

type criticalVulnsIn struct {
	Limit args.Int `json:"limit,omitempty" jsonschema:"1-500, default 50"`
}

// CriticalVulns lists Critical detections.
type CriticalVulns struct {
	Result
	Total           int64           `json:"total" jsonschema:"Critical detections (exact)"`
	Agents          int64           `json:"agents" jsonschema:"distinct affected agents"`
	Returned        int             `json:"returned"`
	Truncated       bool            `json:"truncated"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities"`
}

func (d Deps) criticalVulnerabilities(ctx context.Context, in *criticalVulnsIn) (*CriticalVulns, error) {
	limit, err := args.Limit("limit", in.Limit, 50, 500)
	if err != nil {
		return nil, err
	}
	f := indexer.VulnFilter{Severities: []string{"Critical"}}
	total, aggs, err := d.Indexer.AggregateVulnerabilities(ctx, f, map[string]indexer.Agg{
		"agents": indexer.CardinalityAgg{Field: indexer.FieldVulnAgentID, PrecisionThreshold: 40000},
	})
	if err != nil {
		return nil, vulnError(err)
	}
	agents, err := aggs.Cardinality("agents")
	if err != nil {
		return nil, vulnError(err)
	}
	res, err := d.Indexer.SearchVulnerabilities(ctx, indexer.VulnSearchRequest{Filter: f, Size: limit, Sort: vulnSort, Source: vulnSource})
	if err != nil {
		return nil, vulnError(err)
	}
	out := &CriticalVulns{Total: total, Agents: agents, Returned: len(res.Hits), Vulnerabilities: make([]Vulnerability, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Vulnerabilities = append(out.Vulnerabilities, shapeVuln(h))
	}
	out.Truncated = int64(out.Returned) < total
	// Two requests: the total and agent count (aggs) and the listing (res);
	// either may be partial.
	noteVulnAnswer(&out.Result, res.NoIndex || aggs.NoIndex, res.TimedOut || aggs.TimedOut, max(res.FailedShards, aggs.FailedShards))
	if out.Truncated {
		out.AddNote("%d of %d Critical detections listed, highest score first; get_wazuh_vulnerabilities with severity=critical pages through all", out.Returned, total)
	}
	return out, nil
}

// --- get_wazuh_vulnerability_summary ---

type vulnSummaryIn struct {
	TimeRange args.String `json:"time_range,omitempty" jsonschema:"detected within, e.g. 7d (default all)"`
}

// VulnSummary is an aggregate view of detections.
type VulnSummary struct {
	Result
	Window      Window           `json:"window" jsonschema:"detection-time window; empty = all"`
	Total       int64            `json:"total"`
	BySeverity  map[string]int64 `json:"by_severity"`
	TopCVEs     []VulnGroup      `json:"top_cves"`
	TopPackages []VulnGroup      `json:"top_packages"`
	Agents      VulnAgents       `json:"agents"`
	Method      string           `json:"method"`
}

// VulnGroup is a CVE, package or agent with its detection count.
type VulnGroup struct {
	Key      string `json:"key"`
	Name     string `json:"name,omitempty" jsonschema:"agent name"`
	Severity string `json:"severity,omitempty"`
	Count    int64  `json:"count" jsonschema:"detections"`
	Agents   int64  `json:"agents,omitempty" jsonschema:"distinct affected agents"`
}

// VulnAgents counts affected agents.
type VulnAgents struct {
	Distinct int64       `json:"distinct"`
	Top      []VulnGroup `json:"top"`
}

const vulnSummaryTop = 10

func (d Deps) vulnerabilitySummary(ctx context.Context, in *vulnSummaryIn) (*VulnSummary, error) {
	var f indexer.VulnFilter
	if strings.TrimSpace(string(in.TimeRange)) != "" {
		from, to, err := args.TimeRange("time_range", string(in.TimeRange), "", d.now())
		if err != nil {
			return nil, err
		}
		f.DetectedFrom, f.DetectedTo = from, to
	}
	agentsCard := indexer.CardinalityAgg{Field: indexer.FieldVulnAgentID, PrecisionThreshold: 40000}
	total, res, err := d.Indexer.AggregateVulnerabilities(ctx, f, map[string]indexer.Agg{
		"severity": indexer.TermsAgg{Field: indexer.FieldVulnSeverity, Size: 20},
		"cves": indexer.TermsAgg{Field: indexer.FieldVulnID, Size: vulnSummaryTop, Aggs: map[string]indexer.Agg{
			"agents": agentsCard,
			"label":  indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldVulnSeverity}},
		}},
		"packages": indexer.TermsAgg{Field: indexer.FieldPackageName, Size: vulnSummaryTop, Aggs: map[string]indexer.Agg{"agents": agentsCard}},
		"agents": indexer.TermsAgg{Field: indexer.FieldVulnAgentID, Size: vulnSummaryTop, Aggs: map[string]indexer.Agg{
			"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldVulnAgentName}},
		}},
		"distinct_agents": agentsCard,
	})
	if err != nil {
		return nil, vulnError(err)
	}
	out := &VulnSummary{Window: windowOf(f.DetectedFrom, f.DetectedTo), Total: total, BySeverity: map[string]int64{}}
	for _, s := range indexer.Severities {
		out.BySeverity[strings.ToLower(s)] = 0
	}
	sev, _, err := res.Terms("severity")
	if err != nil {
		return nil, vulnError(err)
	}
	for _, b := range sev {
		out.BySeverity[strings.ToLower(policy.Fence(b.Key, 32))] += b.DocCount
	}
	if out.TopCVEs, err = vulnGroups(res, "cves", 64, indexer.FieldVulnSeverity, false); err != nil {
		return nil, vulnError(err)
	}
	if out.TopPackages, err = vulnGroups(res, "packages", 256, "", false); err != nil {
		return nil, vulnError(err)
	}
	if out.Agents.Top, err = vulnGroups(res, "agents", 16, indexer.FieldVulnAgentName, true); err != nil {
		return nil, vulnError(err)
	}
	out.Agents.Distinct, _ = res.Cardinality("distinct_agents")
	out.Method = fmt.Sprintf("indexer aggregations over all %d open detections in wazuh-states-vulnerabilities-* (no sampling): terms on severity, CVE, package and agent (top %d); distinct agents by cardinality (exact below 40,000)", total, vulnSummaryTop)
	out.AddNote("the states index holds current detections: fixed vulnerabilities are no longer counted")
	if f.DetectedFrom.IsZero() {
		out.AddNote("all detections counted; pass time_range (e.g. 7d) for those detected recently")
	}
	noteVulnAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	return out, nil
}

// vulnGroups reads a terms aggregation of the summary. labelField is read
// from the bucket's "label" top hit into Name (agents) or Severity (CVEs).
func vulnGroups(res indexer.AggResult, name string, keyMax int, labelField string, isAgent bool) ([]VulnGroup, error) {
	buckets, _, err := res.Terms(name)
	if err != nil {
		return nil, err
	}
	out := make([]VulnGroup, 0, len(buckets))
	for _, b := range buckets {
		g := VulnGroup{Key: policy.Fence(b.Key, keyMax), Count: b.DocCount}
		g.Agents, _ = b.Sub.Cardinality("agents")
		if label := bucketLabel(b, labelField); isAgent {
			g.Name = label
		} else {
			g.Severity = label
		}
		out = append(out, g)
	}
	return out, nil
}

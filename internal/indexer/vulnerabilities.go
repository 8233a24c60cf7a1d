package indexer

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Vulnerability fields, named as in the wazuh-states-vulnerabilities-*
// template (Wazuh 4.8+). All keyword except the dates and the scores.
const (
	FieldVulnAgentID     = "agent.id"
	FieldVulnAgentName   = "agent.name"
	FieldVulnID          = "vulnerability.id" // the CVE
	FieldVulnSeverity    = "vulnerability.severity"
	FieldVulnScore       = "vulnerability.score.base"  // float
	FieldVulnDetectedAt  = "vulnerability.detected_at" // date
	FieldVulnPublishedAt = "vulnerability.published_at"
	FieldPackageName     = "package.name"
	FieldPackageVersion  = "package.version"
	FieldPackageArch     = "package.architecture"
	FieldHostOSFull      = "host.os.full"
)

// Severities are the values of vulnerability.severity, in order.
var Severities = []string{"Critical", "High", "Medium", "Low"}

var cvePattern = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// Vulnerability documents have no unique keyword field (the _id is
// "<agent>_<package hash>_<CVE>", and sorting on _id needs fielddata on
// _id, which OpenSearch deprecates), so the order is made total with the
// fields the _id is built from.
var (
	vulnDefaultSort = []SortField{{Field: FieldVulnScore, Desc: true}}
	vulnTieBreakers = []SortField{
		{Field: FieldVulnAgentID}, {Field: FieldVulnID}, {Field: FieldPackageName},
		{Field: FieldPackageVersion}, {Field: FieldPackageArch},
	}
)

// VulnFilter selects vulnerability-state documents. Zero values mean "no
// condition".
type VulnFilter struct {
	AgentIDs     []string // digits; zero-padded to 3
	Severities   []string // critical, high, medium, low in any case
	CVEs         []string // CVE-YYYY-NNNN…, any case
	PackageNames []string
	DetectedFrom time.Time // on vulnerability.detected_at; inclusive
	DetectedTo   time.Time
	Extra        []Query
}

// Query validates the filter and builds its OpenSearch query.
func (f VulnFilter) Query() (Query, error) {
	var b filterBuilder
	b.timeRange(FieldVulnDetectedAt, f.DetectedFrom, f.DetectedTo)
	b.terms(FieldVulnAgentID, f.AgentIDs, normAgentID)
	b.terms(FieldVulnSeverity, f.Severities, normSeverity)
	b.terms(FieldVulnID, f.CVEs, normCVE)
	b.terms(FieldPackageName, f.PackageNames, normName("package name", 256))
	b.extra(f.Extra)
	return b.query()
}

// NormalizeSeverity maps "critical", "HIGH", … to the indexed form
// ("Critical", "High", …).
func NormalizeSeverity(s string) (string, error) { return normSeverity(s) }

func normSeverity(s string) (string, error) {
	t := strings.TrimSpace(s)
	for _, sev := range Severities {
		if strings.EqualFold(t, sev) {
			return sev, nil
		}
	}
	return "", invalidf("invalid severity %q: use one of %s", truncate(s, 40), strings.Join(Severities, ", "))
}

func normCVE(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if len(t) > 32 || !cvePattern.MatchString(t) {
		return "", invalidf("invalid CVE id %q: expected CVE-YYYY-NNNN", truncate(s, 40))
	}
	return t, nil
}

// VulnSearchRequest is one page of vulnerabilities.
type VulnSearchRequest struct {
	Filter         VulnFilter
	Size           int         // 0 = DefaultPageSize; max MaxPageSize
	Sort           []SortField // nil = highest base score first; tie-breakers always appended
	After          Cursor
	Source         []string
	TrackTotalHits bool
}

// SearchVulnerabilities returns one page of vulnerability documents.
func (c *Client) SearchVulnerabilities(ctx context.Context, req VulnSearchRequest) (SearchResult, error) {
	const op = "search vulnerabilities"
	q, err := req.Filter.Query()
	if err != nil {
		return SearchResult{}, fmt.Errorf("%s: %w", op, err)
	}
	return c.search(ctx, searchSpec{
		op:         op,
		index:      c.vulnIndex,
		query:      q,
		size:       req.Size,
		sort:       withTieBreakers(req.Sort, vulnDefaultSort, vulnTieBreakers),
		after:      req.After,
		source:     req.Source,
		trackTotal: req.TrackTotalHits,
	})
}

// AggregateVulnerabilities runs aggregations over every matching
// vulnerability document (size 0, exact total).
func (c *Client) AggregateVulnerabilities(ctx context.Context, f VulnFilter, aggs map[string]Agg) (int64, AggResult, error) {
	const op = "aggregate vulnerabilities"
	q, err := f.Query()
	if err != nil {
		return 0, AggResult{}, fmt.Errorf("%s: %w", op, err)
	}
	return c.aggregate(ctx, op, c.vulnIndex, q, aggs)
}

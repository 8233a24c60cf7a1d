package tools

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// This file holds the threat half of the analysis toolset:
// check_ioc_reputation, analyze_security_threat, get_top_security_threats
// and generate_security_report. Every figure comes from indexer
// aggregations over all matching alerts or from the Manager API, and every
// verdict or ranking states the rule that produced it.

// threatMaxWindow bounds time_range of the threat tools.
const threatMaxWindow = 90 * 24 * time.Hour

// threatWindow is args.TimeRange bounded to 90 days.
func threatWindow(v, def string, now time.Time) (time.Time, time.Time, error) {
	from, to, err := args.TimeRange("time_range", v, def, now)
	if err != nil {
		return from, to, err
	}
	if to.Sub(from) > threatMaxWindow {
		return from, to, args.Errorf("time_range", "%q is longer than the maximum of 90d", strings.TrimSpace(v))
	}
	return from, to, nil
}

// ThreatCount is a key with its alert count (an agent, a technique, a tactic).
type ThreatCount struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Count int64  `json:"count"`
}

// ThreatRuleCount is a rule with its alert count.
type ThreatRuleCount struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Level       int    `json:"level"`
	Count       int64  `json:"count"`
}

// termCounts reads a terms aggregation into counts, labelled by labelField
// from each bucket's "label" top hit when labelField is set; other is the
// count of documents beyond the returned buckets.
func termCounts(res indexer.AggResult, name, labelField string, max int) (counts []ThreatCount, other int64, err error) {
	buckets, other, err := res.Terms(name)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ThreatCount, 0, len(buckets))
	for _, b := range buckets {
		out = append(out, ThreatCount{ID: policy.Fence(b.Key, max), Name: bucketLabel(b, labelField), Count: b.DocCount})
	}
	return out, other, nil
}

// ruleCounts reads a terms aggregation on rule.id built by ruleTermsAgg;
// other is as for termCounts.
func ruleCounts(res indexer.AggResult, name string) (counts []ThreatRuleCount, other int64, err error) {
	buckets, other, err := res.Terms(name)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ThreatRuleCount, 0, len(buckets))
	for _, b := range buckets {
		out = append(out, ThreatRuleCount{ID: policy.Fence(b.Key, 16), Description: bucketLabel(b, indexer.FieldRuleDesc), Level: intValue(b.Sub, "level"), Count: b.DocCount})
	}
	return out, other, nil
}

func ruleTermsAgg(size int) indexer.TermsAgg {
	return indexer.TermsAgg{Field: indexer.FieldRuleID, Size: size, Aggs: map[string]indexer.Agg{
		"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldRuleDesc}},
		"level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
	}}
}

func agentTermsAgg(size int) indexer.TermsAgg {
	return indexer.TermsAgg{Field: indexer.FieldAgentID, Size: size, Aggs: map[string]indexer.Agg{
		"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldAgentName}},
	}}
}

func intValue(r indexer.AggResult, name string) int {
	v, err := r.Value(name)
	if err != nil || v == nil {
		return 0
	}
	return int(*v)
}

func timeValue(r indexer.AggResult, name string) string {
	t := epochValue(r, name)
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func bucketKeys(buckets []indexer.Bucket, max int) []string {
	out := make([]string, 0, len(buckets))
	for _, b := range buckets {
		out = append(out, policy.Fence(b.Key, max))
	}
	return out
}

// --- indicators ---

// iocIndicator is a validated indicator with the alert fields it can appear
// in and the exact values looked for there.
type iocIndicator struct {
	value  string // canonical form, echoed in results
	kind   string // ip, hash, domain, url
	algo   string // md5, sha1 or sha256 for hashes
	addr   netip.Addr
	fields []iocField
	values []any
}

// iocField is an alert field an indicator is looked for in. Counted fields
// feed the verdict; a destination address is a sighting, not evidence
// against the address (victims appear there).
type iocField struct {
	name    string
	counted bool
}

// ipFields are the alert fields holding a remote or source address (counted)
// or a destination address (not counted), from the Wazuh alerts template and
// the Windows decoders (data.win.*, dynamic keyword fields).
func ipFields() []iocField {
	src := []string{
		"data.srcip", "data.audit.srcip", "data.win.eventdata.ipAddress", "data.win.eventdata.sourceIp",
		"data.office365.ClientIP", "data.ms-graph.actor.ipAddress", "data.aws.srcaddr", "data.aws.source_ip_address",
		"data.aws.service.action.networkConnectionAction.remoteIpDetails.ipAddressV4", "data.port.remote_ip",
	}
	dst := []string{"data.dstip", "data.aws.dstaddr", "data.win.eventdata.destinationIp"}
	out := make([]iocField, 0, len(src)+len(dst))
	for _, f := range src {
		out = append(out, iocField{name: f, counted: true})
	}
	for _, f := range dst {
		out = append(out, iocField{name: f})
	}
	return out
}

// hashFields are the digest fields of one algorithm: FIM (syscheck) and the
// VirusTotal integration.
func hashFields(algo string) []iocField {
	var names []string
	switch algo {
	case "md5":
		names = []string{"syscheck.md5_after", "syscheck.md5_before", "data.virustotal.source.md5"}
	case "sha1":
		names = []string{"syscheck.sha1_after", "syscheck.sha1_before", "data.virustotal.sha1", "data.virustotal.source.sha1"}
	default:
		names = []string{"syscheck.sha256_after", "syscheck.sha256_before"}
	}
	return countedFields(names)
}

func domainFields() []iocField {
	return countedFields([]string{"data.win.eventdata.queryName", "data.win.eventdata.destinationHostname", "data.gcp.jsonPayload.queryName"})
}

func countedFields(names []string) []iocField {
	out := make([]iocField, 0, len(names))
	for _, n := range names {
		out = append(out, iocField{name: n, counted: true})
	}
	return out
}

var (
	hexRe   = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	labelRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

const maxIndicatorURL = 2048

// parseIndicator validates an indicator strictly for its type.
func parseIndicator(value, kind string) (iocIndicator, error) {
	kind, err := args.OneOf("indicator_type", kind, "ip", "ip", "hash", "domain", "url")
	if err != nil {
		return iocIndicator{}, err
	}
	v, err := args.Text("indicator", value, maxIndicatorURL, true)
	if err != nil {
		return iocIndicator{}, err
	}
	ind := iocIndicator{kind: kind}
	switch kind {
	case "ip":
		a, err := args.IP("indicator", v)
		if err != nil {
			return ind, args.Errorf("indicator", "%q is not an IP address (for a hash, domain or URL set indicator_type)", truncateName(v))
		}
		ind.addr, ind.value = a, a.String()
		ind.fields, ind.values = ipFields(), []any{ind.value}
		if a.Is4() {
			ind.values = append(ind.values, "::ffff:"+ind.value) // Windows logs IPv4 peers in mapped form
		}
	case "hash":
		algo := map[int]string{32: "md5", 40: "sha1", 64: "sha256"}[len(v)]
		if algo == "" || !hexRe.MatchString(v) {
			return ind, args.Errorf("indicator", "%q is not a hash: use hex MD5 (32), SHA-1 (40) or SHA-256 (64 characters)", truncateName(v))
		}
		ind.value, ind.algo = strings.ToLower(v), algo
		ind.fields, ind.values = hashFields(algo), []any{ind.value, strings.ToUpper(v)}
	case "domain":
		d, err := parseDomain(v)
		if err != nil {
			return ind, err
		}
		ind.value, ind.fields, ind.values = d, domainFields(), []any{d, d + "."}
	case "url":
		if err := checkURL(v); err != nil {
			return ind, err
		}
		ind.value, ind.fields, ind.values = v, countedFields([]string{"data.url"}), []any{v}
	}
	return ind, nil
}

// parseDomain accepts a host name: at least two labels of letters, digits
// and inner hyphens, at most 253 characters; not an IP address.
func parseDomain(v string) (string, error) {
	d := strings.ToLower(strings.TrimSuffix(v, "."))
	bad := args.Errorf("indicator", "%q is not a domain name (labels of letters, digits and hyphens separated by dots, e.g. evil.example)", truncateName(v))
	if len(d) > 253 || !strings.Contains(d, ".") {
		return "", bad
	}
	if _, err := netip.ParseAddr(d); err == nil {
		return "", args.Errorf("indicator", "%q is an IP address: use indicator_type ip", d)
	}
	for _, l := range strings.Split(d, ".") {
		if !labelRe.MatchString(l) {
			return "", bad
		}
	}
	return d, nil
}

// checkURL accepts an absolute http(s) URL with a host and no white space.
func checkURL(v string) error {
	bad := args.Errorf("indicator", "%q is not an http(s) URL (e.g. https://evil.example/path), at most %d characters", truncateName(v), maxIndicatorURL)
	if strings.ContainsAny(v, " \t") {
		return bad
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad
	}
	return nil
}

// query matches alerts holding the indicator in any of its fields (counted
// only: just the fields that feed the verdict).
func (ind iocIndicator) query(countedOnly bool) indexer.Query {
	var should []indexer.Query
	for _, f := range ind.fields {
		if f.counted || !countedOnly {
			should = append(should, indexer.Terms{Field: f.name, Values: ind.values})
		}
	}
	q := indexer.Bool{Should: should, MinimumShouldMatch: 1}
	if countedOnly && ind.kind == "hash" {
		// FIM alerts say a file changed, not that its content is hostile.
		q.MustNot = []indexer.Query{indexer.Term{Field: indexer.FieldRuleGroups, Value: "syscheck"}}
	}
	return q
}

func (ind iocIndicator) fieldNames() []string {
	out := make([]string, 0, len(ind.fields))
	for _, f := range ind.fields {
		out = append(out, f.name)
	}
	return out
}

// cdbKeyMatches reports whether a CDB list key names the indicator: the
// same address (IPv4 also Wazuh's partial keys ending in ".", which match a
// whole octet range), or the same hash, domain or URL (hashes and domains
// case-insensitively).
func (ind iocIndicator) cdbKeyMatches(key string) bool {
	k := strings.Trim(strings.TrimSpace(key), `"`)
	switch ind.kind {
	case "ip":
		if a, err := netip.ParseAddr(k); err == nil {
			return a.Unmap() == ind.addr
		}
		return ind.addr.Is4() && strings.HasSuffix(k, ".") && strings.Count(k, ".") <= 3 &&
			strings.Trim(k, "0123456789.") == "" && strings.HasPrefix(ind.value, k)
	case "domain":
		return strings.EqualFold(strings.TrimSuffix(k, "."), ind.value)
	case "hash":
		return strings.EqualFold(k, ind.value)
	}
	return k == ind.value
}

// --- check_ioc_reputation, analyze_security_threat ---

type iocIn struct {
	Indicator     args.String `json:"indicator" `
	IndicatorType args.String `json:"indicator_type,omitempty" jsonschema:"ip (default), hash, domain or url"`
	TimeRange     args.String `json:"time_range,omitempty" jsonschema:"default 30d, max 90d"`
}

type threatIn struct {
	iocIn
	IncludeIP *args.Bool `json:"include_ip,omitempty"`
}

// IOCReport is the answer of check_ioc_reputation.
type IOCReport struct {
	Result
	Verdict   string         `json:"verdict" jsonschema:"malicious, suspicious or no_evidence"`
	Basis     IOCBasis       `json:"basis" jsonschema:"the indicator as checked, the verdict rule, the facts it used and the method"`
	Sightings IOCSightings   `json:"sightings"`
	CDBLists  []IOCListMatch `json:"cdb_lists" jsonschema:"CDB lists on the Manager holding the indicator as a key"`
}

// IOCBasis is how the verdict was reached.
type IOCBasis struct {
	Indicator string   `json:"indicator" jsonschema:"canonical form"`
	Type      string   `json:"type"`
	Rule      string   `json:"rule"`
	Evidence  []string `json:"evidence"`
	Method    string   `json:"method"`
}

// IOCSightings are the alerts in the window holding the indicator.
type IOCSightings struct {
	Window    Window            `json:"window"`
	Count     int64             `json:"count"`
	FirstSeen string            `json:"first_seen,omitempty"`
	LastSeen  string            `json:"last_seen,omitempty"`
	MaxLevel  int               `json:"max_level"`
	Counted   IOCLevelCounts    `json:"counted" jsonschema:"alerts the verdict rule counts"`
	Fields    map[string]int64  `json:"fields,omitempty" jsonschema:"alerts per field holding the indicator"`
	Agents    int64             `json:"agents" jsonschema:"distinct agents"`
	TopAgents []ThreatCount     `json:"top_agents"`
	TopRules  []ThreatRuleCount `json:"top_rules"`
	MITRE     []ThreatCount     `json:"mitre" jsonschema:"MITRE ATT&CK technique ids of the rules"`
}

// IOCLevelCounts are the alerts counted by the verdict rule, by level.
type IOCLevelCounts struct {
	Level12Plus int64 `json:"level_12_plus"`
	Level7Plus  int64 `json:"level_7_plus"`
}

// IOCListMatch is one CDB list entry whose key is the indicator.
type IOCListMatch struct {
	List    string `json:"list" jsonschema:"relative_dirname/filename"`
	Key     string `json:"key"`
	Value   string `json:"value,omitempty"`
	Counted bool   `json:"counted" jsonschema:"false when the list is named as an allowlist"`
}

// ThreatAnalysis is the answer of analyze_security_threat: the reputation
// facts plus a summary and the newest alerts.
type ThreatAnalysis struct {
	IOCReport
	Summary      string  `json:"summary"`
	RecentAlerts []Alert `json:"recent_alerts" jsonschema:"newest alerts holding the indicator"`
}

const iocVerdictRule = "malicious if the indicator is a key of a CDB list on the Manager (lists whose path names an allowlist: allow, white, trust, safe, exclu, benign are shown but not counted), or appears in a counted field of an alert of level >= 12 in the window; " +
	"suspicious if it appears in a counted field of an alert of level >= 7; otherwise no_evidence (nothing in this Wazuh deployment points to it, which is not a statement that it is clean). " +
	"Counted fields: for IPs the source and remote address fields (a destination address is a victim as often as not); for hashes every digest field, but FIM alerts (rule group syscheck) only report a change and are not counted; for domains and URLs every field."

const recentThreatAlerts = 5

func (d Deps) checkIOC(ctx context.Context, in *iocIn) (*IOCReport, error) {
	out, _, err := d.iocReport(ctx, in, 0, false)
	return out, err
}

func (d Deps) analyzeThreat(ctx context.Context, in *threatIn) (*ThreatAnalysis, error) {
	rep, recent, err := d.iocReport(ctx, &in.iocIn, recentThreatAlerts, includeIPs(in.IncludeIP, d))
	if err != nil {
		return nil, err
	}
	out := &ThreatAnalysis{IOCReport: *rep, Summary: threatSummary(rep), RecentAlerts: recent}
	if hasUntrusted(recent) {
		out.AddNote(policy.UntrustedNotice)
	}
	return out, nil
}

// iocReport gathers the sightings (one aggregation request) and the CDB
// list membership, and applies the verdict rule. With recent > 0 it also
// returns the newest alerts (a top_hits aggregation of the same request).
func (d Deps) iocReport(ctx context.Context, in *iocIn, recent int, includeIP bool) (*IOCReport, []Alert, error) {
	ind, err := parseIndicator(string(in.Indicator), string(in.IndicatorType))
	if err != nil {
		return nil, nil, err
	}
	from, to, err := threatWindow(string(in.TimeRange), "30d", d.now())
	if err != nil {
		return nil, nil, err
	}
	out := &IOCReport{Basis: IOCBasis{Indicator: ind.value, Type: ind.kind, Rule: iocVerdictRule}, CDBLists: []IOCListMatch{}}
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: to, Extra: []indexer.Query{ind.query(false)}}, iocAggs(ind, recent))
	if err != nil {
		return nil, nil, alertError(err)
	}
	if out.Sightings, err = iocSightings(ind, total, res); err != nil {
		return nil, nil, alertError(err)
	}
	out.Sightings.Window = windowOf(from, to)
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	var alerts []Alert
	if recent > 0 {
		hits, err := res.TopHits("recent")
		if err != nil && !res.NoIndex {
			return nil, nil, alertError(err)
		}
		alerts = make([]Alert, 0, len(hits))
		for _, h := range hits {
			alerts = append(alerts, shapeAlert(h, shapeOptions{compact: true, includeIPs: includeIP}))
		}
	}
	lists, scanned, listErr := d.iocListMatches(ctx, ind)
	out.CDBLists = lists
	out.Verdict, out.Basis.Evidence = iocAssess(out.Sightings, lists)
	if listErr != nil {
		out.Basis.Evidence = append(out.Basis.Evidence, "CDB lists not checked: "+errorText(listErr))
		out.AddNote("the Manager's CDB lists could not be read, so the verdict rests on alert sightings only: %s", errorText(listErr))
	}
	out.Basis.Method = fmt.Sprintf("One indexer aggregation over all alerts from %s to %s in which %s equals %s (exact term match; values looked for: %s); counts, first/last seen and max level are exact, distinct agents come from a cardinality aggregation. "+
		"CDB lists: %d lists read from GET /lists of the Manager API; a key matches when it is the same %s.",
		out.Sightings.Window.From, out.Sightings.Window.To, strings.Join(ind.fieldNames(), ", "), strings.TrimSpace(ind.algo+" "+ind.kind), quoteValues(ind.values), scanned, cdbMatchWords(ind))
	if out.Sightings.Count > 0 && len(out.Sightings.Fields) > 1 {
		out.AddNote("an alert can hold the indicator in several fields, so the per-field counts can add up to more than count")
	}
	if ind.kind == "url" {
		out.AddNote("web access logs record only the path in data.url, so a URL is found only where the whole URL was logged; search_security_events finds the path as text")
	}
	return out, alerts, nil
}

func quoteValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(parts, ", ")
}

func cdbMatchWords(ind iocIndicator) string {
	switch ind.kind {
	case "ip":
		return "address, or for IPv4 a partial key ending in \".\" that the address starts with (Wazuh address_match_key)"
	case "url":
		return "URL, byte for byte"
	}
	return ind.kind + ", ignoring case"
}

func iocAggs(ind iocIndicator, recent int) map[string]indexer.Agg {
	counted := ind.query(true)
	aggs := map[string]indexer.Agg{
		"first":     indexer.MinAgg{Field: indexer.FieldTimestamp},
		"last":      indexer.MaxAgg{Field: indexer.FieldTimestamp},
		"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
		"lvl12":     indexer.FilterAgg{Query: indexer.Bool{Filter: []indexer.Query{counted, indexer.Range{Field: indexer.FieldRuleLevel, GTE: 12}}}},
		"lvl7":      indexer.FilterAgg{Query: indexer.Bool{Filter: []indexer.Query{counted, indexer.Range{Field: indexer.FieldRuleLevel, GTE: 7}}}},
		"agents":    agentTermsAgg(10),
		"agents_n":  indexer.CardinalityAgg{Field: indexer.FieldAgentID, PrecisionThreshold: 40000},
		"rules":     ruleTermsAgg(10),
		"mitre":     indexer.TermsAgg{Field: indexer.FieldRuleMitreID, Size: 10},
	}
	for i, f := range ind.fields {
		aggs[fmt.Sprintf("f%d", i)] = indexer.FilterAgg{Query: indexer.Terms{Field: f.name, Values: ind.values}}
	}
	if recent > 0 {
		aggs["recent"] = indexer.TopHitsAgg{Size: recent, Sort: []indexer.SortField{{Field: indexer.FieldTimestamp, Desc: true}}}
	}
	return aggs
}

func iocSightings(ind iocIndicator, total int64, res indexer.AggResult) (IOCSightings, error) {
	s := IOCSightings{
		Count: total, FirstSeen: timeValue(res, "first"), LastSeen: timeValue(res, "last"), MaxLevel: intValue(res, "max_level"),
		TopAgents: []ThreatCount{}, TopRules: []ThreatRuleCount{}, MITRE: []ThreatCount{},
	}
	if res.NoIndex {
		return s, nil
	}
	var err error
	if s.Counted.Level12Plus, _, err = res.Filter("lvl12"); err != nil {
		return s, err
	}
	if s.Counted.Level7Plus, _, err = res.Filter("lvl7"); err != nil {
		return s, err
	}
	s.Agents, _ = res.Cardinality("agents_n")
	if s.TopAgents, _, err = termCounts(res, "agents", indexer.FieldAgentName, 16); err != nil {
		return s, err
	}
	if s.TopRules, _, err = ruleCounts(res, "rules"); err != nil {
		return s, err
	}
	if s.MITRE, _, err = termCounts(res, "mitre", "", 32); err != nil {
		return s, err
	}
	for i, f := range ind.fields {
		n, _, err := res.Filter(fmt.Sprintf("f%d", i))
		if err != nil {
			return s, err
		}
		if n > 0 {
			if s.Fields == nil {
				s.Fields = map[string]int64{}
			}
			s.Fields[f.name] = n
		}
	}
	return s, nil
}

// iocAssess applies iocVerdictRule and lists the facts it used.
func iocAssess(s IOCSightings, lists []IOCListMatch) (string, []string) {
	evidence := []string{}
	listed := false
	for _, m := range lists {
		if m.Counted {
			listed = true
			evidence = append(evidence, "key of CDB list "+m.List)
		} else {
			evidence = append(evidence, "key of CDB list "+m.List+", named as an allowlist: not counted")
		}
	}
	switch {
	case s.Counted.Level12Plus > 0:
		evidence = append(evidence, fmt.Sprintf("in a counted field of %d alerts of level >= 12", s.Counted.Level12Plus))
	case s.Counted.Level7Plus > 0:
		evidence = append(evidence, fmt.Sprintf("in a counted field of %d alerts of level >= 7, none of level >= 12", s.Counted.Level7Plus))
	case s.Count > 0:
		evidence = append(evidence, fmt.Sprintf("in %d alerts (max level %d), none counted at level >= 7", s.Count, s.MaxLevel))
	default:
		evidence = append(evidence, "in no alert of the window")
	}
	switch {
	case listed || s.Counted.Level12Plus > 0:
		return "malicious", evidence
	case s.Counted.Level7Plus > 0:
		return "suspicious", evidence
	}
	return "no_evidence", evidence
}

// maxListPages bounds the CDB list scan (500 lists a page).
const maxListPages = 20

// iocListMatches reads every CDB list from the Manager and returns the
// entries whose key is the indicator, and how many lists were read.
func (d Deps) iocListMatches(ctx context.Context, ind iocIndicator) ([]IOCListMatch, int, error) {
	out := []IOCListMatch{}
	scanned := 0
	for page, offset := 0, 0; page < maxListPages; page++ {
		p, err := d.Wazuh.Lists(ctx, wazuh.ListOptions{Offset: offset, Limit: 500})
		if err != nil {
			return out, scanned, fmt.Errorf("reading CDB lists: %w", err)
		}
		for _, l := range p.Items {
			scanned++
			path := policy.Fence(strings.Trim(l.RelativeDirname+"/"+l.Filename, "/"), 256)
			for _, it := range l.Items {
				if ind.cdbKeyMatches(it.Key) {
					out = append(out, IOCListMatch{List: path, Key: policy.Fence(it.Key, 256), Value: policy.Fence(it.Value, 256), Counted: !allowlistName(path)})
				}
			}
		}
		offset += len(p.Items)
		if len(p.Items) == 0 || offset >= p.Total {
			return out, scanned, nil
		}
	}
	return out, scanned, fmt.Errorf("more than %d CDB lists; only the first %d were read", maxListPages*500, scanned)
}

func allowlistName(path string) bool {
	p := strings.ToLower(path)
	for _, w := range []string{"allow", "white", "trust", "safe", "exclu", "benign"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// threatSummary restates the report's facts in one paragraph; it adds
// nothing the report does not hold, so it cannot contradict it.
func threatSummary(r *IOCReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s (%s).", r.Basis.Type, r.Basis.Indicator, r.Verdict, strings.Join(r.Basis.Evidence, "; "))
	s := r.Sightings
	if s.Count == 0 {
		fmt.Fprintf(&b, " No alert from %s to %s holds it.", s.Window.From, s.Window.To)
		return b.String()
	}
	fmt.Fprintf(&b, " Seen in %d alerts on %d agents from %s to %s, max level %d.", s.Count, s.Agents, s.FirstSeen, s.LastSeen, s.MaxLevel)
	if len(s.TopRules) > 0 {
		rules := make([]string, 0, 3)
		for _, rc := range s.TopRules[:min(3, len(s.TopRules))] {
			rules = append(rules, fmt.Sprintf("%s (level %d, %d alerts)", rc.ID, rc.Level, rc.Count))
		}
		fmt.Fprintf(&b, " Top rules: %s.", strings.Join(rules, ", "))
	}
	if len(s.MITRE) > 0 {
		ids := make([]string, 0, len(s.MITRE))
		for _, m := range s.MITRE {
			ids = append(ids, m.ID)
		}
		fmt.Fprintf(&b, " MITRE techniques: %s.", strings.Join(ids, ", "))
	}
	return b.String()
}

// --- get_top_security_threats ---

type topThreatsIn struct {
	Limit     args.Int    `json:"limit,omitempty" jsonschema:"1-50, default 10"`
	TimeRange args.String `json:"time_range,omitempty" jsonschema:"default 24h, max 90d"`
}

// TopThreats is the answer of get_top_security_threats.
type TopThreats struct {
	Result
	Window       Window       `json:"window"`
	Total        int64        `json:"total" jsonschema:"alerts in the window"`
	Threats      []ThreatRule `json:"threats" jsonschema:"rules by score, highest first"`
	ScoreFormula string       `json:"score_formula"`
	Method       string       `json:"method"`
}

// ThreatRule is one rule's activity in the window and its score.
type ThreatRule struct {
	Rank int `json:"rank"`
	RulePattern
	MITRE []string `json:"mitre,omitempty"`
	Score float64  `json:"score"`
}

const (
	threatScoreFormula = "score = level^2 * log2(1 + count) * (1 + log2(distinct agents)): severity dominates, volume counts with diminishing weight, spread across agents raises it; ties by count, then rule id"
	// threatRuleBuckets bounds the rules scored; they are the ones with the
	// highest max level (then most alerts), so a rule left out has a max
	// level no higher than every scored one.
	threatRuleBuckets = 500
)

func (d Deps) topThreats(ctx context.Context, in *topThreatsIn) (*TopThreats, error) {
	limit, err := args.Range("limit", in.Limit, 10, 1, 50)
	if err != nil {
		return nil, err
	}
	from, to, err := threatWindow(string(in.TimeRange), "24h", d.now())
	if err != nil {
		return nil, err
	}
	total, res, err := d.Indexer.AggregateAlerts(ctx, indexer.AlertFilter{From: from, To: to}, map[string]indexer.Agg{
		"rules": threatRulesAgg(),
	})
	if err != nil {
		return nil, alertError(err)
	}
	out := &TopThreats{Window: windowOf(from, to), Total: total, Threats: []ThreatRule{}, ScoreFormula: threatScoreFormula}
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	scored, other, err := threatRules(res)
	if err != nil {
		return nil, alertError(err)
	}
	for i := range scored[:min(limit, len(scored))] {
		scored[i].Rank = i + 1
		out.Threats = append(out.Threats, scored[i])
	}
	out.Method = fmt.Sprintf("One indexer aggregation over all %d alerts in the window: terms on rule.id (up to %d rules, highest level first) with the rule level, cardinality of agent.id and data.srcip (approximate above 3000), min/max timestamp and the top 5 rule.mitre.id; all %d rules returned were scored and the top %d are listed.", total, threatRuleBuckets, len(scored), limit)
	if other > 0 {
		lowest := scored[0].Level
		for _, r := range scored {
			lowest = min(lowest, r.Level)
		}
		out.AddNote("%d alerts belong to rules beyond the %d with the highest level; those rules were not scored (their level is at most %d)", other, threatRuleBuckets, lowest)
	}
	return out, nil
}

// threatRulesAgg is patternAggs' rule aggregation (read by rulePatterns)
// over every rule, highest max level first, with the rules' techniques.
func threatRulesAgg() indexer.TermsAgg {
	return indexer.TermsAgg{Field: indexer.FieldRuleID, Size: threatRuleBuckets,
		Order: []indexer.BucketOrder{{By: "max_level", Desc: true}, {By: "_count", Desc: true}},
		Aggs: map[string]indexer.Agg{
			"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
			"agents":    indexer.CardinalityAgg{Field: indexer.FieldAgentID},
			"sources":   indexer.CardinalityAgg{Field: indexer.FieldSrcIP},
			"first":     indexer.MinAgg{Field: indexer.FieldTimestamp},
			"last":      indexer.MaxAgg{Field: indexer.FieldTimestamp},
			"rule":      indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldRuleDesc, indexer.FieldRuleLevel}},
			"mitre":     indexer.TermsAgg{Field: indexer.FieldRuleMitreID, Size: 5},
		}}
}

// threatRules scores every rule of threatRulesAgg, highest score first.
func threatRules(res indexer.AggResult) ([]ThreatRule, int64, error) {
	if res.NoIndex {
		return []ThreatRule{}, 0, nil
	}
	pats, err := rulePatterns(res)
	if err != nil {
		return nil, 0, err
	}
	buckets, other, err := res.Terms("rules")
	if err != nil {
		return nil, 0, err
	}
	out := make([]ThreatRule, 0, len(pats))
	for i, p := range pats {
		r := ThreatRule{RulePattern: p, Score: threatScore(p.Level, p.Count, p.Agents)}
		if mb, _, err := buckets[i].Sub.Terms("mitre"); err == nil && len(mb) > 0 {
			r.MITRE = bucketKeys(mb, 32)
		}
		out = append(out, r)
	}
	sortThreats(out)
	return out, other, nil
}

// threatScore implements threatScoreFormula, rounded to 2 decimals.
func threatScore(level int, count, agents int64) float64 {
	spread := 1 + math.Log2(float64(max(agents, 1)))
	s := float64(level*level) * math.Log2(1+float64(count)) * spread
	return math.Round(s*100) / 100
}

func sortThreats(rs []ThreatRule) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.RuleID < b.RuleID
	})
}

// --- generate_security_report ---

type reportIn struct {
	ReportType             args.String `json:"report_type,omitempty" jsonschema:"daily (default), weekly, monthly, incident"`
	IncludeRecommendations *args.Bool  `json:"include_recommendations,omitempty" jsonschema:"default true"`
	IncludeIP              *args.Bool  `json:"include_ip,omitempty"`
}

// SecurityReport is the answer of generate_security_report.
type SecurityReport struct {
	Result
	Window          Window                 `json:"window"`
	Alerts          ReportAlerts           `json:"alerts"`
	Incidents       []ReportIncident       `json:"incidents,omitempty" jsonschema:"incident reports only"`
	Agents          *ReportAgents          `json:"agents,omitempty"`
	Vulnerabilities *ReportVulnerabilities `json:"vulnerabilities,omitempty"`
	Recommendations []ReportRecommendation `json:"recommendations,omitempty"`
	Method          string                 `json:"method"`
}

// ReportAlerts are the alert aggregations of a report.
type ReportAlerts struct {
	Total      int64             `json:"total"`
	ByLevel    []ReportLevel     `json:"by_level"`
	TopRules   []ThreatRuleCount `json:"top_rules"`
	TopAgents  []ThreatCount     `json:"top_agents"`
	TopSources []SourcePattern   `json:"top_sources"`
	Tactics    []ThreatCount     `json:"mitre_tactics"`
}

// ReportLevel is the alert count of one rule level.
type ReportLevel struct {
	Level int   `json:"level"`
	Count int64 `json:"count"`
}

// ReportIncident is a group of alerts of one agent and one source.
type ReportIncident struct {
	AgentID   string   `json:"agent_id"`
	AgentName string   `json:"agent_name,omitempty"`
	Source    string   `json:"source" jsonschema:"data.srcip, or - when the alerts have none"`
	Count     int64    `json:"count"`
	MaxLevel  int      `json:"max_level"`
	FirstSeen string   `json:"first_seen,omitempty"`
	LastSeen  string   `json:"last_seen,omitempty"`
	Rules     []string `json:"rules"`
	MITRE     []string `json:"mitre,omitempty"`
}

// ReportAgents are the Manager's agent counts by connection status.
type ReportAgents struct {
	Total          int `json:"total"`
	Active         int `json:"active"`
	Disconnected   int `json:"disconnected"`
	NeverConnected int `json:"never_connected"`
	Pending        int `json:"pending"`
}

// ReportVulnerabilities are the current vulnerability counts.
type ReportVulnerabilities struct {
	Total      int64            `json:"total"`
	BySeverity []ReportSeverity `json:"by_severity"`
}

// ReportSeverity is the count of one severity and how many of them were
// detected inside the report window.
type ReportSeverity struct {
	Severity    string `json:"severity"`
	Count       int64  `json:"count"`
	NewInWindow int64  `json:"new_in_window"`
}

// ReportRecommendation is derived by a fixed rule (When) from a fact of the
// report (Fact).
type ReportRecommendation struct {
	When   string `json:"when"`
	Fact   string `json:"fact"`
	Action string `json:"action"`
}

const (
	incidentMinLevel  = 10
	maxReportIncident = 50
	noSource          = "-"
)

// reportSpan is the window of each report type.
func reportSpan(kind string) time.Duration {
	switch kind {
	case "weekly":
		return 7 * 24 * time.Hour
	case "monthly":
		return 30 * 24 * time.Hour
	}
	return 24 * time.Hour
}

func (d Deps) securityReport(ctx context.Context, in *reportIn) (*SecurityReport, error) {
	kind, err := args.OneOf("report_type", string(in.ReportType), "daily", "daily", "weekly", "monthly", "incident")
	if err != nil {
		return nil, err
	}
	to := d.now()
	from := to.Add(-reportSpan(kind))
	f := indexer.AlertFilter{From: from, To: to}
	out := &SecurityReport{Window: windowOf(from, to)}
	scope := fmt.Sprintf("Scope: all alerts of the %s window.", kind)
	aggs := reportAggs()
	if kind == "incident" {
		f.MinLevel = incidentMinLevel
		scope = fmt.Sprintf("Scope: alerts of level >= %d in the last 24h; an incident is the group of those alerts with the same agent (agent.id) and source address (data.srcip, \"-\" when absent), not split by time.", incidentMinLevel)
		aggs["incidents"] = incidentAgg()
	}
	total, res, err := d.Indexer.AggregateAlerts(ctx, f, aggs)
	if err != nil {
		return nil, alertError(err)
	}
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	includeIP := includeIPs(in.IncludeIP, d)
	if out.Alerts, err = reportAlerts(total, res, includeIP); err != nil {
		return nil, alertError(err)
	}
	if kind == "incident" {
		if out.Incidents, err = reportIncidents(&out.Result, res, includeIP); err != nil {
			return nil, alertError(err)
		}
	}
	out.Agents = d.reportAgents(ctx, &out.Result)
	out.Vulnerabilities = d.reportVulnerabilities(ctx, &out.Result, from)
	out.Method = scope + " One indexer aggregation over every alert in scope (exact totals and per-level counts; top 10 rules, agents and source IPs by alert count; MITRE tactics from rule.mitre.tactic), " +
		"agent counts from GET /agents/summary/status of the Manager API, and current vulnerability counts by severity from the vulnerability index (new_in_window: vulnerability.detected_at inside the window)."
	if in.IncludeRecommendations == nil || bool(*in.IncludeRecommendations) {
		out.Recommendations = recommend(out, kind)
		out.AddNote("recommendations come from fixed rules (when), each applied to a fact of this report (fact); no recommendation means no rule matched")
	}
	return out, nil
}

func reportAggs() map[string]indexer.Agg {
	return map[string]indexer.Agg{
		"levels": indexer.TermsAgg{Field: indexer.FieldRuleLevel, Size: 17, Order: []indexer.BucketOrder{{By: "_key", Desc: true}}},
		"rules":  ruleTermsAgg(10),
		"agents": agentTermsAgg(10),
		"sources": indexer.TermsAgg{Field: indexer.FieldSrcIP, Size: 10, Aggs: map[string]indexer.Agg{ // read by sourcePatterns
			"agents":    indexer.CardinalityAgg{Field: indexer.FieldAgentID},
			"rules":     indexer.CardinalityAgg{Field: indexer.FieldRuleID},
			"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
		}},
		"tactics": indexer.TermsAgg{Field: indexer.FieldRuleMitreTact, Size: 20},
	}
}

func incidentAgg() indexer.TermsAgg {
	return indexer.TermsAgg{Field: indexer.FieldAgentID, Size: 100, Aggs: map[string]indexer.Agg{
		"label": indexer.TopHitsAgg{Size: 1, Source: []string{indexer.FieldAgentName}},
		"sources": indexer.TermsAgg{Field: indexer.FieldSrcIP, Size: 20, Missing: noSource, Aggs: map[string]indexer.Agg{
			"max_level": indexer.MaxAgg{Field: indexer.FieldRuleLevel},
			"first":     indexer.MinAgg{Field: indexer.FieldTimestamp},
			"last":      indexer.MaxAgg{Field: indexer.FieldTimestamp},
			"rules":     indexer.TermsAgg{Field: indexer.FieldRuleID, Size: 5},
			"mitre":     indexer.TermsAgg{Field: indexer.FieldRuleMitreID, Size: 5},
		}},
	}}
}

func reportAlerts(total int64, res indexer.AggResult, includeIP bool) (ReportAlerts, error) {
	a := ReportAlerts{Total: total, ByLevel: []ReportLevel{}, TopRules: []ThreatRuleCount{}, TopAgents: []ThreatCount{}, TopSources: []SourcePattern{}, Tactics: []ThreatCount{}}
	if res.NoIndex {
		return a, nil
	}
	levels, _, err := res.Terms("levels")
	if err != nil {
		return a, err
	}
	for _, b := range levels {
		var lv int
		fmt.Sscan(b.Key, &lv)
		a.ByLevel = append(a.ByLevel, ReportLevel{Level: lv, Count: b.DocCount})
	}
	if a.TopRules, _, err = ruleCounts(res, "rules"); err != nil {
		return a, err
	}
	if a.TopAgents, _, err = termCounts(res, "agents", indexer.FieldAgentName, 16); err != nil {
		return a, err
	}
	if a.Tactics, _, err = termCounts(res, "tactics", "", 64); err != nil {
		return a, err
	}
	a.TopSources, _, err = sourcePatterns(res, includeIP)
	return a, err
}

func reportIncidents(r *Result, res indexer.AggResult, includeIP bool) ([]ReportIncident, error) {
	out := []ReportIncident{}
	if res.NoIndex {
		return out, nil
	}
	agents, otherAgents, err := res.Terms("incidents")
	if err != nil {
		return nil, err
	}
	var otherSources int64
	for _, ab := range agents {
		sources, other, err := ab.Sub.Terms("sources")
		if err != nil {
			return nil, err
		}
		otherSources += other
		for _, sb := range sources {
			inc := ReportIncident{AgentID: policy.Fence(ab.Key, 16), AgentName: bucketLabel(ab, indexer.FieldAgentName),
				Source: policy.IP(policy.Fence(sb.Key, 64), includeIP), Count: sb.DocCount, MaxLevel: intValue(sb.Sub, "max_level"),
				FirstSeen: timeValue(sb.Sub, "first"), LastSeen: timeValue(sb.Sub, "last"), Rules: []string{}}
			if rb, _, err := sb.Sub.Terms("rules"); err == nil {
				inc.Rules = bucketKeys(rb, 16)
			}
			if mb, _, err := sb.Sub.Terms("mitre"); err == nil && len(mb) > 0 {
				inc.MITRE = bucketKeys(mb, 32)
			}
			out = append(out, inc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].MaxLevel != out[j].MaxLevel {
			return out[i].MaxLevel > out[j].MaxLevel
		}
		return out[i].Count > out[j].Count
	})
	if len(out) > maxReportIncident {
		r.AddNote("%d incidents found, the %d with the highest max level (then most alerts) are listed", len(out), maxReportIncident)
		out = out[:maxReportIncident]
	}
	if otherAgents > 0 || otherSources > 0 {
		r.AddNote("%d alerts belong to agents beyond the 100 with most alerts and %d to sources beyond the 20 per agent with most alerts; they are in the totals but not in incidents", otherAgents, otherSources)
	}
	return out, nil
}

// reportAgents reads the agent counts; a failure becomes a note.
func (d Deps) reportAgents(ctx context.Context, r *Result) *ReportAgents {
	s, err := d.Wazuh.AgentsSummary(ctx)
	if err != nil {
		r.AddNote("agent status counts unavailable: %s", errorText(err))
		return nil
	}
	c := s.Connection
	return &ReportAgents{Total: c.Total, Active: c.Active, Disconnected: c.Disconnected, NeverConnected: c.NeverConnected, Pending: c.Pending}
}

// reportVulnerabilities counts current vulnerabilities by severity; a
// missing index or a failure becomes a note.
func (d Deps) reportVulnerabilities(ctx context.Context, r *Result, from time.Time) *ReportVulnerabilities {
	total, res, err := d.Indexer.AggregateVulnerabilities(ctx, indexer.VulnFilter{}, map[string]indexer.Agg{
		"severity": indexer.TermsAgg{Field: indexer.FieldVulnSeverity, Size: 10, Aggs: map[string]indexer.Agg{
			"new": indexer.FilterAgg{Query: indexer.Range{Field: indexer.FieldVulnDetectedAt, GTE: from, Format: "strict_date_optional_time"}},
		}},
	})
	if err != nil {
		r.AddNote("vulnerability counts unavailable: %s", errorText(err))
		return nil
	}
	if res.NoIndex {
		r.AddNote("no vulnerability index matched (wazuh-states-vulnerabilities-*): vulnerability detection may be off, so the report has no vulnerability counts")
		return nil
	}
	buckets, _, err := res.Terms("severity")
	if err != nil {
		r.AddNote("vulnerability counts unavailable: %s", errorText(err))
		return nil
	}
	if s := partialText(res.TimedOut, res.FailedShards); s != "" {
		r.AddNote("vulnerability counts: %s", s)
	}
	v := &ReportVulnerabilities{Total: total, BySeverity: make([]ReportSeverity, 0, len(buckets))}
	for _, b := range buckets {
		n, _, _ := b.Sub.Filter("new")
		v.BySeverity = append(v.BySeverity, ReportSeverity{Severity: policy.Fence(b.Key, 32), Count: b.DocCount, NewInWindow: n})
	}
	return v
}

// postCompromiseTactics are the MITRE tactics that follow a foothold.
func postCompromiseTactics() []string {
	return []string{"Persistence", "Privilege Escalation", "Credential Access", "Lateral Movement", "Command and Control", "Exfiltration", "Impact"}
}

// recommend applies the recommendation rules to the report's facts.
func recommend(r *SecurityReport, kind string) []ReportRecommendation {
	out := []ReportRecommendation{}
	add := func(when, fact, action string) {
		out = append(out, ReportRecommendation{When: when, Fact: fact, Action: action})
	}
	var high int64
	for _, l := range r.Alerts.ByLevel {
		if l.Level >= 12 {
			high += l.Count
		}
	}
	if high > 0 {
		add("alerts of level >= 12 in scope", fmt.Sprintf("%d alerts of level >= 12", high),
			"Triage them first: get_wazuh_alerts with level 12+ lists them.")
	}
	for _, s := range r.Alerts.TopSources {
		if s.Agents >= 2 && s.MaxLevel >= incidentMinLevel {
			add("a top source reached 2+ agents with alerts of level >= 10", fmt.Sprintf("source %s: %d alerts on %d agents, max level %d", s.SrcIP, s.Count, s.Agents, s.MaxLevel),
				"Check it with check_ioc_reputation and, if hostile, block it.")
		}
	}
	var tactics []string
	for _, t := range r.Alerts.Tactics {
		for _, p := range postCompromiseTactics() {
			if t.ID == p {
				tactics = append(tactics, fmt.Sprintf("%s: %d", t.ID, t.Count))
			}
		}
	}
	if len(tactics) > 0 {
		add("alerts map to post-compromise MITRE tactics", strings.Join(tactics, ", "),
			"Hunt for follow-on activity on the agents involved.")
	}
	if n := highIncidents(r.Incidents); len(n) > 0 {
		i := n[0]
		add("an incident reached level >= 12", fmt.Sprintf("%d incidents; highest: agent %s from source %s, %d alerts, max level %d", len(n), i.AgentID, i.Source, i.Count, i.MaxLevel),
			"Contain and investigate that agent first.")
	}
	if a := r.Agents; a != nil {
		if a.Disconnected > 0 {
			add("agents are disconnected", fmt.Sprintf("%d of %d agents disconnected", a.Disconnected, a.Total),
				"Restore them: their events are not being collected.")
		}
		if a.NeverConnected > 0 {
			add("agents never connected", fmt.Sprintf("%d of %d agents never connected", a.NeverConnected, a.Total),
				"Finish their enrolment or remove them.")
		}
	}
	if v := r.Vulnerabilities; v != nil {
		for _, s := range v.BySeverity {
			if s.Severity == "Critical" && s.Count > 0 {
				add("critical vulnerabilities are open", fmt.Sprintf("%d critical vulnerabilities, %d detected in the window", s.Count, s.NewInWindow),
					"Patch them: get_wazuh_critical_vulnerabilities lists them.")
			}
		}
	}
	if kind != "incident" && r.Alerts.Total == 0 {
		add("no alerts in the window", "0 alerts from "+r.Window.From+" to "+r.Window.To,
			"Check that agents forward events and the indexer receives alerts.")
	}
	return out
}

func highIncidents(in []ReportIncident) []ReportIncident {
	var out []ReportIncident
	for _, i := range in {
		if i.MaxLevel >= 12 {
			out = append(out, i)
		}
	}
	return out
}

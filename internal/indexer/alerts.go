package indexer

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode"

	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

// Alert fields used by the filters, named as in the Wazuh alerts template
// (wazuh-alerts-4.x-*). All are keyword fields except timestamp (date),
// rule.level (long) and full_log (text).
const (
	FieldTimestamp      = "timestamp"
	FieldAlertID        = "id" // keyword, unique per alert: the sort tie-breaker
	FieldRuleID         = "rule.id"
	FieldRuleLevel      = "rule.level"
	FieldRuleGroups     = "rule.groups"
	FieldRuleDesc       = "rule.description"
	FieldRuleMitreID    = "rule.mitre.id"
	FieldRuleMitreTech  = "rule.mitre.technique"
	FieldRuleMitreTact  = "rule.mitre.tactic"
	FieldAgentID        = "agent.id"
	FieldAgentName      = "agent.name"
	FieldAgentIP        = "agent.ip"
	FieldSrcIP          = "data.srcip"
	FieldDstIP          = "data.dstip"
	FieldSrcUser        = "data.srcuser"
	FieldDstUser        = "data.dstuser"
	FieldFullLog        = "full_log"
	FieldLocation       = "location"
	FieldManagerName    = "manager.name"
	FieldSyscheckPath   = "syscheck.path"
	FieldDecoderName    = "decoder.name"
	maxFilterTextLength = 256
)

// alertsDefaultSort is newest first; alertsTieBreakers makes the order total.
var (
	alertsDefaultSort = []SortField{{Field: FieldTimestamp, Desc: true}}
	alertsTieBreakers = []SortField{{Field: FieldAlertID, Desc: true}}
)

// textKeywordFields are the keyword fields free text is looked for in, as a
// case-insensitive "contains". full_log, the only analyzed field that
// matters, gets a match query instead.
var textKeywordFields = []string{
	FieldRuleDesc, FieldRuleGroups, FieldRuleMitreTech, FieldAgentName,
	FieldSrcUser, FieldDstUser, FieldSrcIP, FieldDstIP, "data.url", FieldSyscheckPath, FieldLocation,
}

// AlertFilter is the filter every alert tool uses. Zero values mean "no
// condition". Query validates every value and builds a bool filter; values
// only ever become JSON values.
type AlertFilter struct {
	From, To   time.Time // zero = unbounded; inclusive; sent as RFC 3339 with millis on "timestamp"
	MinLevel   int       // 0 = unset; 1..16
	MaxLevel   int       // 0 = unset; 1..16
	RuleIDs    []string  // digits only
	RuleGroups []string
	AgentIDs   []string // digits; shorter ids are zero-padded to 3 ("1" → "001")
	AgentNames []string
	// SrcIPs and DstIPs are single addresses: data.srcip and data.dstip are
	// keyword fields in the Wazuh template, so CIDR ranges cannot be
	// matched and are refused (a /32 or /128 is taken as its address).
	SrcIPs, DstIPs []string
	// Text is free text, matched literally: a match query with operator
	// "and" on full_log, or a case-insensitive "contains" on the fields in
	// textKeywordFields. No query syntax is interpreted.
	Text  string
	IDs   []string // alert ids: the document _id or the alert's "id" field
	Extra []Query  // more typed conditions, ANDed
}

// Query validates the filter and builds its OpenSearch query.
func (f AlertFilter) Query() (Query, error) {
	var b filterBuilder
	b.timeRange(FieldTimestamp, f.From, f.To)
	b.levels(f.MinLevel, f.MaxLevel)
	b.terms(FieldRuleID, f.RuleIDs, normRuleID)
	b.terms(FieldRuleGroups, f.RuleGroups, normName("rule group", 128))
	b.terms(FieldAgentID, f.AgentIDs, normAgentID)
	b.terms(FieldAgentName, f.AgentNames, normName("agent name", 256))
	b.terms(FieldSrcIP, f.SrcIPs, normIP(FieldSrcIP))
	b.terms(FieldDstIP, f.DstIPs, normIP(FieldDstIP))
	b.alertIDs(f.IDs)
	b.text(f.Text)
	b.extra(f.Extra)
	return b.query()
}

// filterBuilder collects filter clauses and the first validation error.
type filterBuilder struct {
	filters []Query
	err     error
}

func (b *filterBuilder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *filterBuilder) query() (Query, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.filters) == 0 {
		return MatchAll{}, nil
	}
	return Bool{Filter: b.filters}, nil
}

func (b *filterBuilder) timeRange(field string, from, to time.Time) {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		b.fail(invalidf("time range: from (%s) is after to (%s)", from.UTC().Format(TimeFormat), to.UTC().Format(TimeFormat)))
		return
	}
	r := Range{Field: field, Format: "strict_date_optional_time"}
	if !from.IsZero() {
		r.GTE = from
	}
	if !to.IsZero() {
		r.LTE = to
	}
	if r.GTE != nil || r.LTE != nil {
		b.filters = append(b.filters, r)
	}
}

func (b *filterBuilder) levels(minLevel, maxLevel int) {
	for _, l := range []int{minLevel, maxLevel} {
		if l < 0 || l > 16 {
			b.fail(invalidf("rule level must be 0..16, got %d", l))
			return
		}
	}
	if minLevel > 0 && maxLevel > 0 && maxLevel < minLevel {
		b.fail(invalidf("min level %d is above max level %d", minLevel, maxLevel))
		return
	}
	r := Range{Field: FieldRuleLevel}
	if minLevel > 0 {
		r.GTE = minLevel
	}
	if maxLevel > 0 {
		r.LTE = maxLevel
	}
	if r.GTE != nil || r.LTE != nil {
		b.filters = append(b.filters, r)
	}
}

// terms adds a terms clause after normalising and validating each value.
func (b *filterBuilder) terms(field string, values []string, norm func(string) (string, error)) {
	if len(values) == 0 {
		return
	}
	if len(values) > maxListLen {
		b.fail(invalidf("%s: too many values (%d, max %d)", field, len(values), maxListLen))
		return
	}
	vals := make([]any, 0, len(values))
	for _, v := range values {
		n, err := norm(v)
		if err != nil {
			b.fail(err)
			return
		}
		vals = append(vals, n)
	}
	b.filters = append(b.filters, Terms{Field: field, Values: vals})
}

// alertIDs matches either the document _id or the alert's own "id" field:
// tools show the _id, users paste whichever they have.
func (b *filterBuilder) alertIDs(ids []string) {
	if len(ids) == 0 {
		return
	}
	if len(ids) > maxListLen {
		b.fail(invalidf("too many alert ids (%d, max %d)", len(ids), maxListLen))
		return
	}
	vals := make([]any, 0, len(ids))
	strs := make([]string, 0, len(ids))
	for _, id := range ids {
		n, err := normDocID(id)
		if err != nil {
			b.fail(err)
			return
		}
		vals = append(vals, n)
		strs = append(strs, n)
	}
	b.filters = append(b.filters, Bool{
		Should:             []Query{IDs{Values: strs}, Terms{Field: FieldAlertID, Values: vals}},
		MinimumShouldMatch: 1,
	})
}

// text adds the literal free-text clause. The structure is fixed (the same
// fields whatever the text), only values vary.
func (b *filterBuilder) text(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	if err := validateText("search text", text, maxFilterTextLength); err != nil {
		b.fail(err)
		return
	}
	if hasControl(text) {
		b.fail(invalidf("search text contains control characters"))
		return
	}
	should := []Query{Match{Field: FieldFullLog, Query: text, Operator: "and"}}
	for _, f := range textKeywordFields {
		should = append(should, Contains(f, text))
	}
	b.filters = append(b.filters, Bool{Should: should, MinimumShouldMatch: 1})
}

func (b *filterBuilder) extra(qs []Query) {
	for i, q := range qs {
		if q == nil {
			b.fail(invalidf("extra[%d] is nil", i))
			return
		}
		b.filters = append(b.filters, q)
	}
}

func normRuleID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 10 || !isDigits(s) {
		return "", invalidf("invalid rule id %q: digits only (e.g. 5712)", truncate(s, 40))
	}
	return s, nil
}

// normAgentID accepts "1", "01" or "001" and returns the 3+ digit form the
// Manager and the alerts use.
func normAgentID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 8 || !isDigits(s) {
		return "", invalidf("invalid agent id %q: digits only (e.g. 001)", truncate(s, 40))
	}
	if len(s) < 3 {
		s = strings.Repeat("0", 3-len(s)) + s
	}
	return s, nil
}

func normName(what string, max int) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", invalidf("empty %s", what)
		}
		if err := validateText(what, s, max); err != nil {
			return "", err
		}
		if hasControl(s) {
			return "", invalidf("%s %q contains control characters", what, truncate(s, 40))
		}
		return s, nil
	}
}

// normIP validates one address. field is a keyword field, so a CIDR cannot
// be matched; a full-length prefix is accepted as its address.
func normIP(field string) func(string) (string, error) {
	return func(s string) (string, error) {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return "", invalidf("invalid IP address %q", truncate(s, 60))
			}
			if p.Bits() != p.Addr().BitLen() {
				return "", invalidf("%s is a keyword field in the Wazuh alerts index, so CIDR ranges like %q cannot be searched: give single addresses", field, s)
			}
			return p.Addr().String(), nil
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return "", invalidf("invalid IP address %q", truncate(s, 60))
		}
		return a.String(), nil
	}
}

func normDocID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalidf("empty alert id")
	}
	if err := validateText("alert id", s, 512); err != nil {
		return "", err
	}
	if hasControl(s) || strings.ContainsAny(s, " \t") {
		return "", invalidf("invalid alert id %q", truncate(s, 60))
	}
	return s, nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseTimeRange resolves the from/to arguments of alert tools: ISO-8601
// timestamps or date math ("now-24h", "now-7d/d"), resolved against now so
// every page of a paged search uses the same absolute bounds. Empty means
// unbounded.
func ParseTimeRange(from, to string, now time.Time) (time.Time, time.Time, error) {
	var f, t time.Time
	var err error
	if strings.TrimSpace(from) != "" {
		if f, err = timeexpr.Parse(from, now); err != nil {
			return f, t, invalidf("from: %v", err)
		}
	}
	if strings.TrimSpace(to) != "" {
		if t, err = timeexpr.Parse(to, now); err != nil {
			return f, t, invalidf("to: %v", err)
		}
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		return f, t, invalidf("time range: from %s is after to %s", from, to)
	}
	return f, t, nil
}

// SearchRequest is one page of alerts.
type SearchRequest struct {
	Filter AlertFilter
	Size   int         // 0 = DefaultPageSize; max MaxPageSize
	Sort   []SortField // nil = newest first; the "id" tie-breaker is always appended
	After  Cursor      // Next of the previous page
	Source []string    // _source includes (wildcards allowed); nil = whole alert
	// TrackTotalHits asks for an exact Total; otherwise OpenSearch stops
	// counting at 10000 and TotalRelation is "gte".
	TrackTotalHits bool
}

// SearchAlerts returns one page of alerts matching the filter.
func (c *Client) SearchAlerts(ctx context.Context, req SearchRequest) (SearchResult, error) {
	const op = "search alerts"
	q, err := req.Filter.Query()
	if err != nil {
		return SearchResult{}, fmt.Errorf("%s: %w", op, err)
	}
	return c.search(ctx, searchSpec{
		op:         op,
		index:      c.alertsIndex,
		query:      q,
		size:       req.Size,
		sort:       withTieBreakers(req.Sort, alertsDefaultSort, alertsTieBreakers),
		after:      req.After,
		source:     req.Source,
		trackTotal: req.TrackTotalHits,
	})
}

// AggregateAlerts runs aggregations over every alert matching the filter
// (size 0, exact total). With no alerts index, total is 0 and the result's
// NoIndex is set.
func (c *Client) AggregateAlerts(ctx context.Context, f AlertFilter, aggs map[string]Agg) (int64, AggResult, error) {
	const op = "aggregate alerts"
	q, err := f.Query()
	if err != nil {
		return 0, AggResult{}, fmt.Errorf("%s: %w", op, err)
	}
	return c.aggregate(ctx, op, c.alertsIndex, q, aggs)
}

// GetAlert fetches one alert by document _id or by its "id" field. It
// returns an error matching ErrNotFound when there is no such alert (or no
// alerts index at all).
func (c *Client) GetAlert(ctx context.Context, id string) (Hit, error) {
	const op = "get alert"
	if strings.TrimSpace(id) == "" {
		return Hit{}, fmt.Errorf("%s: %w", op, invalidf("empty alert id"))
	}
	res, err := c.SearchAlerts(ctx, SearchRequest{Filter: AlertFilter{IDs: []string{id}}, Size: 1})
	if err != nil {
		return Hit{}, err
	}
	if len(res.Hits) == 0 {
		if res.NoIndex {
			return Hit{}, fmt.Errorf("alert %q: %w (no alerts index found)", truncate(id, 80), ErrNotFound)
		}
		return Hit{}, fmt.Errorf("alert %q: %w", truncate(id, 80), ErrNotFound)
	}
	return res.Hits[0], nil
}

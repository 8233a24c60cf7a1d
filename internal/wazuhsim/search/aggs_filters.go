package search

import (
	"strconv"
	"time"
)

type filterAgg struct{ q Query }

func parseFilterAgg(p *queryParser, _ string, body object) (aggregator, error) {
	q, err := p.parse(body)
	return filterAgg{q: q}, err
}

func filterRefs(q Query, refs []ref) []ref {
	var out []ref
	for _, r := range refs {
		if ok, _ := q.eval(r.doc); ok {
			out = append(out, r)
		}
	}
	return out
}

func (a filterAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	matched := filterRefs(a.q, refs)
	return bucket(c, matched, subs, map[string]any{"doc_count": len(matched)})
}

type namedFilter struct {
	name string
	q    Query
}

type filtersAgg struct {
	filters   []namedFilter
	anonymous bool
	otherKey  string // "" when no other bucket
}

func parseFiltersAgg(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "filters", "filters", "other_bucket", "other_bucket_key", "keyed"); err != nil {
		return nil, err
	}
	a := filtersAgg{}
	switch fv, _ := body.get("filters"); x := fv.(type) {
	case object:
		for _, m := range x {
			q, err := p.parse(m.Val)
			if err != nil {
				return nil, err
			}
			a.filters = append(a.filters, namedFilter{m.Key, q})
		}
	case []any:
		a.anonymous = true
		for i, el := range x {
			q, err := p.parse(el)
			if err != nil {
				return nil, err
			}
			a.filters = append(a.filters, namedFilter{strconv.Itoa(i), q})
		}
	default:
		return nil, parsingError("[filters] aggregation [%s] requires a [filters] object or array", name)
	}
	other := false
	if v, ok := body.get("other_bucket"); ok {
		var err error
		if other, err = boolOf(v, "other_bucket"); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("other_bucket_key"); ok {
		a.otherKey, _ = stringOf(v)
		other = true
	}
	if other && a.otherKey == "" {
		a.otherKey = "_other_"
	}
	return a, nil
}

func (a filtersAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	if err := c.addBuckets(len(a.filters)); err != nil {
		return nil, err
	}
	keyed := map[string]any{}
	var list []any
	matchedAny := make([]bool, len(refs))
	for _, f := range a.filters {
		var matched []ref
		for i, r := range refs {
			if ok, _ := f.q.eval(r.doc); ok {
				matched = append(matched, r)
				matchedAny[i] = true
			}
		}
		out, err := bucket(c, matched, subs, map[string]any{"doc_count": len(matched)})
		if err != nil {
			return nil, err
		}
		keyed[f.name] = out
		list = append(list, out)
	}
	if a.otherKey != "" {
		var rest []ref
		for i, r := range refs {
			if !matchedAny[i] {
				rest = append(rest, r)
			}
		}
		out, err := bucket(c, rest, subs, map[string]any{"doc_count": len(rest)})
		if err != nil {
			return nil, err
		}
		keyed[a.otherKey] = out
		list = append(list, out)
	}
	if a.anonymous {
		return map[string]any{"buckets": list}, nil
	}
	return map[string]any{"buckets": keyed}, nil
}

// rangeAgg serves range (numbers) and date_range (dates with date math).
type rangeAgg struct {
	field  string
	ranges []aggRange
	keyed  bool
	dates  bool
	format string
}

type aggRange struct {
	key      string
	from, to *float64
}

func parseRangeAgg(p *queryParser, name string, body object) (aggregator, error) {
	return parseRanges(p, name, body, false)
}

func parseDateRangeAgg(p *queryParser, name string, body object) (aggregator, error) {
	return parseRanges(p, name, body, true)
}

func parseRanges(p *queryParser, name string, body object, dates bool) (aggregator, error) {
	if err := checkAggKeys(body, "range", "field", "ranges", "keyed", "format", "time_zone", "missing"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "range", name)
	if err != nil {
		return nil, err
	}
	a := &rangeAgg{field: field, dates: dates}
	if v, ok := body.get("format"); ok {
		a.format, _ = stringOf(v)
	}
	if v, ok := body.get("keyed"); ok {
		if a.keyed, err = boolOf(v, "keyed"); err != nil {
			return nil, err
		}
	}
	rv, _ := body.get("ranges")
	list, ok := rv.([]any)
	if !ok || len(list) == 0 {
		return nil, illegalArgument("No [ranges] specified for the [%s] aggregation", name)
	}
	for _, el := range list {
		o, ok := el.(object)
		if !ok {
			return nil, parsingError("[ranges] must be an array of objects")
		}
		r, err := a.parseOne(o, p.now)
		if err != nil {
			return nil, err
		}
		a.ranges = append(a.ranges, r)
	}
	return a, nil
}

func (a *rangeAgg) parseOne(o object, now time.Time) (aggRange, error) {
	var r aggRange
	read := func(name string) (*float64, error) {
		v, ok := o.get(name)
		if !ok || v == nil {
			return nil, nil
		}
		if a.dates {
			ms, ok := dateMillis(v, now, false)
			if !ok {
				return nil, parsingError("[date_range] cannot parse [%v] as a date", v)
			}
			f := float64(ms)
			return &f, nil
		}
		f, err := floatOf(v, "range."+name)
		return &f, err
	}
	var err error
	if r.from, err = read("from"); err != nil {
		return r, err
	}
	if r.to, err = read("to"); err != nil {
		return r, err
	}
	if k, ok := o.get("key"); ok {
		r.key, _ = stringOf(k)
	} else {
		r.key = a.bound(r.from) + "-" + a.bound(r.to)
	}
	return r, nil
}

// bound renders a range end as OpenSearch does in generated keys ("*",
// "10.0", or a formatted date).
func (a *rangeAgg) bound(f *float64) string {
	if f == nil {
		return "*"
	}
	if a.dates {
		return formatDate(int64(*f), time.UTC, a.format)
	}
	s := strconv.FormatFloat(*f, 'f', -1, 64)
	if *f == float64(int64(*f)) {
		s += ".0"
	}
	return s
}

func (a *rangeAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	if err := c.addBuckets(len(a.ranges)); err != nil {
		return nil, err
	}
	keyed := map[string]any{}
	var list []any
	for _, rg := range a.ranges {
		var matched []ref
		for _, r := range refs {
			for _, v := range r.doc.Values(a.field) {
				f, ok := millisOrNumber(v)
				if ok && (rg.from == nil || f >= *rg.from) && (rg.to == nil || f < *rg.to) {
					matched = append(matched, r)
					break
				}
			}
		}
		out := map[string]any{"key": rg.key, "doc_count": len(matched)}
		a.putBound(out, "from", rg.from)
		a.putBound(out, "to", rg.to)
		out, err := bucket(c, matched, subs, out)
		if err != nil {
			return nil, err
		}
		keyed[rg.key] = out
		list = append(list, out)
	}
	if a.keyed {
		return map[string]any{"buckets": keyed}, nil
	}
	return map[string]any{"buckets": list}, nil
}

func (a *rangeAgg) putBound(out map[string]any, name string, f *float64) {
	if f == nil {
		return
	}
	out[name] = *f
	if a.dates {
		out[name+"_as_string"] = formatDate(int64(*f), time.UTC, a.format)
	}
}

func millisOrNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case time.Time:
		return float64(x.UnixMilli()), true
	}
	return 0, false
}

type missingAgg struct{ field string }

func parseMissingAgg(_ *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "missing", "field"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "missing", name)
	return missingAgg{field: field}, err
}

func (a missingAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	var matched []ref
	for _, r := range refs {
		if len(r.doc.Values(a.field)) == 0 {
			matched = append(matched, r)
		}
	}
	return bucket(c, matched, subs, map[string]any{"doc_count": len(matched)})
}

// topHitsAgg returns the best documents of its bucket.
type topHitsAgg struct {
	from, size int
	sort       []sortKey
	explicit   bool
	source     sourceFilter
}

func parseTopHits(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "top_hits", "from", "size", "sort", "_source", "version", "explain",
		"seq_no_primary_term", "track_scores", "stored_fields", "docvalue_fields", "highlight", "script_fields"); err != nil {
		return nil, err
	}
	a := &topHitsAgg{size: 3, sort: defaultSort()}
	var err error
	if v, ok := body.get("size"); ok {
		if a.size, err = intOf(v, "size"); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("from"); ok {
		if a.from, err = intOf(v, "from"); err != nil {
			return nil, err
		}
	}
	if a.size < 0 || a.from < 0 || a.from+a.size > 100 {
		return nil, illegalArgument("Top hits result window is too large, the top hits aggregator [%s]'s from + size must be less "+
			"than or equal to: [100] but was [%d]. This limit can be set by changing the [index.max_inner_result_window] index level setting.", name, a.from+a.size)
	}
	if v, ok := body.get("sort"); ok {
		if a.sort, err = parseSort(v, p.now); err != nil {
			return nil, err
		}
		a.explicit = true
	}
	if v, ok := body.get("_source"); ok {
		if a.source, err = parseSourceFilter(v); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *topHitsAgg) collect(c *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	req := &Request{Size: a.size, From: a.from, Sort: a.sort, explicitSort: a.explicit, noTiebreak: true, Source: a.source}
	hits, maxScore, err := pageHits(c.indices, refs, req)
	if err != nil {
		return nil, err
	}
	return map[string]any{"hits": map[string]any{
		"total":     map[string]any{"value": len(refs), "relation": "eq"},
		"max_score": maxScore,
		"hits":      hits,
	}}, nil
}

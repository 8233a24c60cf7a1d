package search

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// queryParser turns the decoded query DSL into a Query tree. Date math is
// resolved against now once, at parse time.
type queryParser struct {
	now time.Time
}

// ParseQuery parses a JSON query clause such as {"bool":{...}}. It is
// exported for callers that only need matching (and for fuzzing).
func ParseQuery(data []byte, now time.Time) (Query, error) {
	v, err := decodeJSON(data, maxJSONDepth)
	if err != nil {
		return nil, parsingError("failed to parse query: %s", err.Error())
	}
	return (&queryParser{now: now}).parse(v)
}

// Matches reports whether d matches q.
func Matches(q Query, d Doc) bool {
	ok, _ := q.eval(d)
	return ok
}

func (p *queryParser) parse(v any) (Query, error) {
	o, ok := v.(object)
	if !ok {
		return nil, parsingError("query malformed, must start with start_object")
	}
	if len(o) == 0 {
		return matchAllQuery{boost: 1}, nil
	}
	if len(o) > 1 {
		return nil, parsingError("[%s] malformed query, expected [END_OBJECT] but found [FIELD_NAME]", o[0].Key)
	}
	name, body := o[0].Key, o[0].Val
	build, ok := p.builders()[name]
	if !ok {
		return nil, parsingError("unknown query [%s]", name)
	}
	return build(body)
}

func (p *queryParser) builders() map[string]func(any) (Query, error) {
	return map[string]func(any) (Query, error){
		"match_all":           p.matchAll,
		"match_none":          p.matchNone,
		"bool":                p.boolQ,
		"term":                p.term,
		"terms":               p.terms,
		"range":               p.rangeQ,
		"exists":              p.exists,
		"ids":                 p.ids,
		"prefix":              p.prefix,
		"wildcard":            p.wildcard,
		"regexp":              p.regexpQ,
		"match":               p.match,
		"match_phrase":        func(v any) (Query, error) { return p.phrase(v, "match_phrase", false) },
		"match_phrase_prefix": func(v any) (Query, error) { return p.phrase(v, "match_phrase_prefix", true) },
		"multi_match":         p.multiMatch,
		"query_string":        p.queryString,
		"simple_query_string": p.simpleQueryString,
		"constant_score":      p.constantScore,
		"dis_max":             p.disMax,
	}
}

// checkKeys rejects parameters a query does not know, with OpenSearch's
// wording, so typos surface instead of silently matching everything.
func checkKeys(o object, qname string, allowed ...string) error {
	for _, m := range o {
		known := false
		for _, a := range allowed {
			if m.Key == a {
				known = true
				break
			}
		}
		if !known {
			return parsingError("[%s] query does not support [%s]", qname, m.Key)
		}
	}
	return nil
}

func optBoost(o object, qname string) (float64, error) {
	v, ok := o.get("boost")
	if !ok {
		return 1, nil
	}
	return floatOf(v, qname+".boost")
}

func (p *queryParser) matchAll(v any) (Query, error) {
	o, err := asObject(v, "match_all")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "match_all", "boost", "_name"); err != nil {
		return nil, err
	}
	b, err := optBoost(o, "match_all")
	return matchAllQuery{boost: b}, err
}

func (p *queryParser) matchNone(v any) (Query, error) {
	o, err := asObject(v, "match_none")
	if err != nil {
		return nil, err
	}
	return matchNoneQuery{}, checkKeys(o, "match_none", "boost", "_name")
}

func (p *queryParser) boolQ(v any) (Query, error) {
	o, err := asObject(v, "bool")
	if err != nil {
		return nil, err
	}
	q := &boolQuery{boost: 1}
	var msm any
	for _, m := range o {
		var dst *[]Query
		switch m.Key {
		case "must":
			dst = &q.must
		case "filter":
			dst = &q.filter
		case "should":
			dst = &q.should
		case "must_not", "mustNot":
			dst = &q.mustNot
		case "minimum_should_match":
			msm = m.Val
			continue
		case "boost":
			if q.boost, err = floatOf(m.Val, "bool.boost"); err != nil {
				return nil, err
			}
			continue
		case "adjust_pure_negative", "_name", "disable_coord":
			continue
		default:
			return nil, parsingError("[bool] query does not support [%s]", m.Key)
		}
		clauses, err := p.clauses(m.Val, m.Key)
		if err != nil {
			return nil, err
		}
		*dst = append(*dst, clauses...)
	}
	switch {
	case msm != nil:
		if q.minShould, err = minimumShouldMatch(msm, len(q.should)); err != nil {
			return nil, err
		}
	case len(q.should) > 0 && len(q.must) == 0 && len(q.filter) == 0:
		q.minShould = 1
	}
	return q, nil
}

// clauses accepts both a single clause object and an array of them.
func (p *queryParser) clauses(v any, where string) ([]Query, error) {
	list, isArr := v.([]any)
	if !isArr {
		if _, ok := v.(object); !ok {
			return nil, parsingError("[bool] query does not support [%s] as [%s]", tokenName(v), where)
		}
		list = []any{v}
	}
	out := make([]Query, 0, len(list))
	for _, el := range list {
		q, err := p.parse(el)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// minimumShouldMatch resolves an integer, negative integer or percentage
// against the number of optional clauses; the result is clamped to [0, n].
func minimumShouldMatch(v any, n int) (int, error) {
	s, ok := stringOf(v)
	if !ok {
		return 0, parsingError("[minimum_should_match] expected a number or percentage, found [%s]", tokenName(v))
	}
	s = strings.TrimSpace(s)
	var k int
	if strings.HasSuffix(s, "%") {
		pct, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
		if err != nil {
			return 0, parsingError("failed to parse minimum_should_match [%s]", s)
		}
		k = n * pct / 100
		if pct < 0 {
			k = n + n*pct/100
		}
	} else {
		i, err := strconv.Atoi(s)
		if err != nil {
			return 0, parsingError("failed to parse minimum_should_match [%s]", s)
		}
		k = i
		if i < 0 {
			k = n + i
		}
	}
	return max(0, min(k, n)), nil
}

// singleField unpacks {"field": value} with optional top-level boost/_name,
// the shape shared by term, prefix, wildcard, regexp, range and match.
func singleField(v any, qname string) (string, any, float64, error) {
	o, err := asObject(v, qname)
	if err != nil {
		return "", nil, 0, err
	}
	field, boost := "", 1.0
	var val any
	for _, m := range o {
		switch m.Key {
		case "boost":
			if boost, err = floatOf(m.Val, qname+".boost"); err != nil {
				return "", nil, 0, err
			}
		case "_name":
		default:
			if field != "" {
				return "", nil, 0, parsingError("[%s] query doesn't support multiple fields, found [%s] and [%s]", qname, field, m.Key)
			}
			field, val = m.Key, m.Val
		}
	}
	if field == "" {
		return "", nil, 0, parsingError("[%s] query requires a field", qname)
	}
	return field, val, boost, nil
}

func single(field string, l leaf, boost float64) Query {
	return &fieldQuery{fields: []fieldSpec{{name: field, boost: 1}}, leaf: l, boost: boost}
}

// valueParams splits a field's value into the main value and its params
// object for the {"field": {"value": ...}} form.
func valueParams(val any, qname string, valueKeys []string, allowed ...string) (any, object, error) {
	o, ok := val.(object)
	if !ok {
		return val, nil, nil
	}
	if err := checkKeys(o, qname, append(valueKeys, allowed...)...); err != nil {
		return nil, nil, err
	}
	for _, k := range valueKeys {
		if v, ok := o.get(k); ok {
			return v, o, nil
		}
	}
	return nil, nil, parsingError("[%s] query requires a value", qname)
}

func (p *queryParser) term(v any) (Query, error) {
	field, val, boost, err := singleField(v, "term")
	if err != nil {
		return nil, err
	}
	raw, params, err := valueParams(val, "term", []string{"value"}, "boost", "case_insensitive", "_name")
	if err != nil {
		return nil, err
	}
	sc, ok := newScalar(raw, p.now)
	if !ok {
		return nil, parsingError("[term] query does not support [%s] values", tokenName(raw))
	}
	fold := false
	if fv, ok := params.get("case_insensitive"); ok {
		if fold, err = boolOf(fv, "case_insensitive"); err != nil {
			return nil, err
		}
	}
	if bv, ok := params.get("boost"); ok {
		if boost, err = floatOf(bv, "term.boost"); err != nil {
			return nil, err
		}
	}
	return single(field, termLeaf{v: sc, fold: fold}, boost), nil
}

func (p *queryParser) terms(v any) (Query, error) {
	field, val, boost, err := singleField(v, "terms")
	if err != nil {
		return nil, err
	}
	list, ok := val.([]any)
	if !ok {
		return nil, parsingError("[terms] query does not support [%s] (terms lookup is not available)", field)
	}
	l := termsLeaf{keywords: make(map[string]struct{}, len(list))}
	for _, el := range list {
		sc, ok := newScalar(el, p.now)
		if !ok {
			return nil, parsingError("[terms] query does not support [%s] values", tokenName(el))
		}
		l.keywords[sc.s] = struct{}{}
		if sc.isNum || sc.isBool || sc.isDate {
			l.others = append(l.others, sc)
		}
	}
	return single(field, l, boost), nil
}

func (p *queryParser) rangeQ(v any) (Query, error) {
	field, val, boost, err := singleField(v, "range")
	if err != nil {
		return nil, err
	}
	o, err := asObject(val, "range")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "range", "gt", "gte", "lt", "lte", "from", "to", "include_lower",
		"include_upper", "format", "time_zone", "boost", "relation", "_name"); err != nil {
		return nil, err
	}
	l, err := p.rangeLeaf(field, o)
	if err != nil {
		return nil, err
	}
	if bv, ok := o.get("boost"); ok {
		if boost, err = floatOf(bv, "range.boost"); err != nil {
			return nil, err
		}
	}
	return single(field, l, boost), nil
}

func (p *queryParser) rangeLeaf(field string, o object) (rangeLeaf, error) {
	format := ""
	if f, ok := o.get("format"); ok {
		format, _ = stringOf(f)
	}
	inclLower, inclUpper := true, true
	var err error
	if v, ok := o.get("include_lower"); ok {
		if inclLower, err = boolOf(v, "include_lower"); err != nil {
			return rangeLeaf{}, err
		}
	}
	if v, ok := o.get("include_upper"); ok {
		if inclUpper, err = boolOf(v, "include_upper"); err != nil {
			return rangeLeaf{}, err
		}
	}
	var l rangeLeaf
	for _, m := range o {
		var dst *bound
		var incl, roundUp bool
		switch m.Key {
		case "gte":
			dst, incl = &l.lo, true
		case "gt":
			dst, roundUp = &l.lo, true
		case "from":
			dst, incl, roundUp = &l.lo, inclLower, !inclLower
		case "lte":
			dst, incl, roundUp = &l.hi, true, true
		case "lt":
			dst = &l.hi
		case "to":
			dst, incl, roundUp = &l.hi, inclUpper, inclUpper
		default:
			continue
		}
		b, err := p.bound(field, m.Val, incl, roundUp, format)
		if err != nil {
			return rangeLeaf{}, err
		}
		*dst = b
	}
	return l, nil
}

// bound pre-parses one range bound for numbers, dates and keywords.
func (p *queryParser) bound(field string, v any, inclusive, roundUp bool, format string) (bound, error) {
	if v == nil {
		return bound{}, nil
	}
	s, ok := stringOf(v)
	if !ok {
		return bound{}, parsingError("[range] query does not support [%s] as a bound of [%s]", tokenName(v), field)
	}
	b := bound{set: true, inclusive: inclusive, s: s}
	b.f, b.isNum = numberOf(v)
	if b.isNum && strings.Contains(format, "epoch_second") {
		b.ms, b.isDate = int64(b.f*1000), true
		return b, nil
	}
	b.ms, b.isDate = dateMillis(v, p.now, roundUp)
	if !b.isDate && (strings.HasPrefix(s, "now") || strings.Contains(s, "||")) {
		e := newError(http.StatusBadRequest, "parse_exception",
			"failed to parse date field [%s] with format [strict_date_optional_time||epoch_millis]", s)
		return bound{}, e
	}
	return b, nil
}

func (p *queryParser) exists(v any) (Query, error) {
	o, err := asObject(v, "exists")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "exists", "field", "boost", "_name"); err != nil {
		return nil, err
	}
	f, ok := o.get("field")
	field, isStr := f.(string)
	if !ok || !isStr || field == "" {
		return nil, parsingError("[exists] must be provided with a [field]")
	}
	boost, err := optBoost(o, "exists")
	return existsQuery{field: field, boost: boost}, err
}

func (p *queryParser) ids(v any) (Query, error) {
	o, err := asObject(v, "ids")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "ids", "values", "type", "boost", "_name"); err != nil {
		return nil, err
	}
	q := idsQuery{ids: map[string]struct{}{}}
	if vals, ok := o.get("values"); ok {
		list, ok := vals.([]any)
		if !ok {
			return nil, parsingError("[ids] query [values] must be an array")
		}
		for _, el := range list {
			s, ok := stringOf(el)
			if !ok {
				return nil, parsingError("[ids] query values must be strings")
			}
			q.ids[s] = struct{}{}
		}
	}
	q.boost, err = optBoost(o, "ids")
	return q, err
}

// patternQuery parses prefix, wildcard and regexp, which share a shape.
func (p *queryParser) patternQuery(v any, qname string, valueKeys []string, compile func(string) (func(string) bool, error)) (Query, error) {
	field, val, boost, err := singleField(v, qname)
	if err != nil {
		return nil, err
	}
	raw, params, err := valueParams(val, qname, valueKeys, "boost", "case_insensitive", "rewrite", "flags", "max_determinized_states", "_name")
	if err != nil {
		return nil, err
	}
	pat, ok := stringOf(raw)
	if !ok {
		return nil, parsingError("[%s] query requires a string value", qname)
	}
	fold := false
	if fv, ok := params.get("case_insensitive"); ok {
		if fold, err = boolOf(fv, "case_insensitive"); err != nil {
			return nil, err
		}
	}
	if bv, ok := params.get("boost"); ok {
		if boost, err = floatOf(bv, qname+".boost"); err != nil {
			return nil, err
		}
	}
	l, err := newPatternLeaf(pat, fold, compile)
	if err != nil {
		return nil, err
	}
	return single(field, l, boost), nil
}

func newPatternLeaf(pat string, fold bool, compile func(string) (func(string) bool, error)) (patternLeaf, error) {
	kwPat := pat
	if fold {
		kwPat = strings.ToLower(pat)
	}
	kw, err := compile(kwPat)
	if err != nil {
		return patternLeaf{}, err
	}
	txt, err := compile(strings.ToLower(pat))
	if err != nil {
		return patternLeaf{}, err
	}
	return patternLeaf{keyword: kw, text: txt, fold: fold}, nil
}

func (p *queryParser) prefix(v any) (Query, error) {
	return p.patternQuery(v, "prefix", []string{"value", "prefix"}, func(s string) (func(string) bool, error) {
		return prefixMatcher(s), nil
	})
}

func (p *queryParser) wildcard(v any) (Query, error) {
	return p.patternQuery(v, "wildcard", []string{"value", "wildcard"}, func(s string) (func(string) bool, error) {
		return globMatcher(s), nil
	})
}

// maxRegexpLength mirrors index.max_regex_length.
const maxRegexpLength = 1000

func (p *queryParser) regexpQ(v any) (Query, error) {
	return p.patternQuery(v, "regexp", []string{"value"}, func(s string) (func(string) bool, error) {
		if len(s) > maxRegexpLength {
			return nil, illegalArgument("The length of regex [%d] used in the Regexp Query request has exceeded the allowed maximum of [%d].", len(s), maxRegexpLength)
		}
		// Lucene regexps are anchored to the whole term.
		re, err := regexp.Compile("^(?:" + s + ")$")
		if err != nil {
			return nil, parsingError("[regexp] invalid regular expression [%s]: %s", s, err.Error())
		}
		return regexpMatcher(re), nil
	})
}

// matchParams is what match and multi_match share.
type matchParams struct {
	query    any
	operator string
	msm      any
}

func (mp matchParams) leaf(now time.Time) (matchLeaf, error) {
	text, ok := stringOf(mp.query)
	if !ok {
		return matchLeaf{}, parsingError("[match] query requires a string, number or boolean [query]")
	}
	raw, _ := newScalar(mp.query, now)
	l := matchLeaf{tokens: dedupe(analyze(text)), raw: raw, required: 1}
	switch strings.ToLower(mp.operator) {
	case "", "or":
	case "and":
		l.required = len(l.tokens)
	default:
		return matchLeaf{}, parsingError("[match] query does not support operator [%s]", mp.operator)
	}
	if mp.msm != nil {
		n, err := minimumShouldMatch(mp.msm, len(l.tokens))
		if err != nil {
			return matchLeaf{}, err
		}
		l.required = max(l.required, n)
	}
	return l, nil
}

func dedupe(toks []string) []string {
	out := toks[:0]
	for i, t := range toks {
		dup := false
		for _, u := range toks[:i] {
			if u == t {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

var matchOptionKeys = []string{"query", "operator", "minimum_should_match", "fuzziness", "analyzer",
	"zero_terms_query", "lenient", "boost", "auto_generate_synonyms_phrase_query", "prefix_length",
	"max_expansions", "fuzzy_transpositions", "fuzzy_rewrite", "cutoff_frequency", "slop", "_name"}

func (p *queryParser) match(v any) (Query, error) {
	field, val, boost, err := singleField(v, "match")
	if err != nil {
		return nil, err
	}
	mp := matchParams{query: val}
	if o, ok := val.(object); ok {
		if err := checkKeys(o, "match", matchOptionKeys...); err != nil {
			return nil, err
		}
		if mp, boost, err = readMatchParams(o, "match", boost); err != nil {
			return nil, err
		}
	}
	l, err := mp.leaf(p.now)
	if err != nil {
		return nil, err
	}
	return single(field, l, boost), nil
}

func readMatchParams(o object, qname string, boost float64) (matchParams, float64, error) {
	var mp matchParams
	var ok bool
	if mp.query, ok = o.get("query"); !ok {
		return mp, 0, parsingError("[%s] requires query value", qname)
	}
	if op, ok := o.get("operator"); ok {
		mp.operator, _ = stringOf(op)
	}
	mp.msm, _ = o.get("minimum_should_match")
	if bv, ok := o.get("boost"); ok {
		b, err := floatOf(bv, qname+".boost")
		if err != nil {
			return mp, 0, err
		}
		boost = b
	}
	return mp, boost, nil
}

func (p *queryParser) phrase(v any, qname string, prefix bool) (Query, error) {
	field, val, boost, err := singleField(v, qname)
	if err != nil {
		return nil, err
	}
	query := val
	if o, ok := val.(object); ok {
		if err := checkKeys(o, qname, "query", "slop", "analyzer", "boost", "zero_terms_query", "max_expansions", "_name"); err != nil {
			return nil, err
		}
		if query, ok = o.get("query"); !ok {
			return nil, parsingError("[%s] requires query value", qname)
		}
		if bv, ok := o.get("boost"); ok {
			if boost, err = floatOf(bv, qname+".boost"); err != nil {
				return nil, err
			}
		}
	}
	l, err := newPhraseLeaf(query, prefix, p.now)
	if err != nil {
		return nil, err
	}
	return single(field, l, boost), nil
}

func newPhraseLeaf(query any, prefix bool, now time.Time) (phraseLeaf, error) {
	text, ok := stringOf(query)
	if !ok {
		return phraseLeaf{}, parsingError("[match_phrase] requires a string query")
	}
	raw, _ := newScalar(query, now)
	return phraseLeaf{tokens: analyze(text), raw: raw, prefix: prefix}, nil
}

// parseFieldSpecs reads "fields": ["a", "b^2", "data.*"].
func parseFieldSpecs(v any, qname string) ([]fieldSpec, error) {
	list, ok := v.([]any)
	if !ok {
		if s, isStr := v.(string); isStr {
			list = []any{s}
		} else {
			return nil, parsingError("[%s] [fields] must be an array of strings", qname)
		}
	}
	specs := make([]fieldSpec, 0, len(list))
	for _, el := range list {
		s, ok := el.(string)
		if !ok {
			return nil, parsingError("[%s] [fields] must be an array of strings", qname)
		}
		specs = append(specs, fieldSpecOf(s))
	}
	return specs, nil
}

func fieldSpecOf(s string) fieldSpec {
	fs := fieldSpec{name: s, boost: 1}
	if i := strings.LastIndexByte(s, '^'); i > 0 {
		if b, err := strconv.ParseFloat(s[i+1:], 64); err == nil {
			fs.name, fs.boost = s[:i], b
		}
	}
	fs.wildcard = hasWildcard(fs.name)
	return fs
}

func (p *queryParser) multiMatch(v any) (Query, error) {
	o, err := asObject(v, "multi_match")
	if err != nil {
		return nil, err
	}
	allowed := append([]string{"fields", "type", "tie_breaker", "max_expansions"}, matchOptionKeys...)
	if err := checkKeys(o, "multi_match", allowed...); err != nil {
		return nil, err
	}
	mp, boost, err := readMatchParams(o, "multi_match", 1)
	if err != nil {
		return nil, err
	}
	specs := []fieldSpec{{name: "*", boost: 1, wildcard: true}}
	if fv, ok := o.get("fields"); ok {
		if specs, err = parseFieldSpecs(fv, "multi_match"); err != nil {
			return nil, err
		}
	}
	typ := "best_fields"
	if tv, ok := o.get("type"); ok {
		typ, _ = stringOf(tv)
	}
	var l leaf
	switch typ {
	case "best_fields", "most_fields", "cross_fields", "bool_prefix":
		l, err = mp.leaf(p.now)
	case "phrase", "phrase_prefix":
		l, err = newPhraseLeaf(mp.query, typ == "phrase_prefix", p.now)
	default:
		return nil, parsingError("failed to parse [multi_match] query type [%s]. unknown type.", typ)
	}
	if err != nil {
		return nil, err
	}
	return &fieldQuery{fields: specs, leaf: l, boost: boost}, nil
}

func (p *queryParser) constantScore(v any) (Query, error) {
	o, err := asObject(v, "constant_score")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "constant_score", "filter", "boost", "_name"); err != nil {
		return nil, err
	}
	fv, ok := o.get("filter")
	if !ok {
		return nil, parsingError("[constant_score] requires a 'filter' element")
	}
	f, err := p.parse(fv)
	if err != nil {
		return nil, err
	}
	boost, err := optBoost(o, "constant_score")
	return constantScoreQuery{filter: f, boost: boost}, err
}

type disMaxQuery struct {
	queries []Query
	boost   float64
}

func (q disMaxQuery) eval(d Doc) (bool, float64) {
	matched, best := false, 0.0
	for _, c := range q.queries {
		if ok, s := c.eval(d); ok {
			matched = true
			best = max(best, s)
		}
	}
	return matched, best * q.boost
}

func (p *queryParser) disMax(v any) (Query, error) {
	o, err := asObject(v, "dis_max")
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, "dis_max", "queries", "tie_breaker", "boost", "_name"); err != nil {
		return nil, err
	}
	qv, _ := o.get("queries")
	qs, err := p.clauses(qv, "queries")
	if err != nil {
		return nil, err
	}
	boost, err := optBoost(o, "dis_max")
	return disMaxQuery{queries: qs, boost: boost}, err
}

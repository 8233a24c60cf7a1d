package search

import (
	"regexp"
	"strings"
	"time"
)

// Query is a parsed query node. eval reports whether d matches and its score
// (a simple relevance: 1 per matching clause, matched-term counts for text).
type Query interface {
	eval(d Doc) (bool, float64)
}

type matchAllQuery struct{ boost float64 }

func (q matchAllQuery) eval(Doc) (bool, float64) { return true, q.boost }

type matchNoneQuery struct{}

func (matchNoneQuery) eval(Doc) (bool, float64) { return false, 0 }

// boolQuery follows OpenSearch: must and filter all match (filter does not
// score), must_not none, and should needs minShould matches.
type boolQuery struct {
	must, filter, should, mustNot []Query
	minShould                     int
	boost                         float64
}

func (q *boolQuery) eval(d Doc) (bool, float64) {
	score := 0.0
	for _, c := range q.filter {
		if ok, _ := c.eval(d); !ok {
			return false, 0
		}
	}
	for _, c := range q.must {
		ok, s := c.eval(d)
		if !ok {
			return false, 0
		}
		score += s
	}
	for _, c := range q.mustNot {
		if ok, _ := c.eval(d); ok {
			return false, 0
		}
	}
	matched := 0
	for _, c := range q.should {
		if ok, s := c.eval(d); ok {
			matched++
			score += s
		}
	}
	if matched < q.minShould {
		return false, 0
	}
	if len(q.must) == 0 && len(q.should) == 0 {
		score = 0 // filter-only context does not score
	}
	return true, score * q.boost
}

type constantScoreQuery struct {
	filter Query
	boost  float64
}

func (q constantScoreQuery) eval(d Doc) (bool, float64) {
	ok, _ := q.filter.eval(d)
	return ok, q.boost
}

type idsQuery struct {
	ids   map[string]struct{}
	boost float64
}

func (q idsQuery) eval(d Doc) (bool, float64) {
	_, ok := q.ids[d.ID()]
	return ok, q.boost
}

// fieldSpec is one target field, possibly a wildcard pattern with a boost
// ("rule.description^2", "data.*").
type fieldSpec struct {
	name     string
	boost    float64
	wildcard bool
}

// leaf decides a match from the values of one field.
type leaf interface {
	matchValues(vals []any) (bool, float64)
}

// fieldQuery applies a leaf to one or several fields and keeps the best
// score, which is multi_match's best_fields behaviour.
type fieldQuery struct {
	fields []fieldSpec
	leaf   leaf
	boost  float64
}

func (q *fieldQuery) eval(d Doc) (bool, float64) {
	if len(q.fields) == 1 && !q.fields[0].wildcard {
		ok, s := q.leaf.matchValues(fieldValues(d, q.fields[0].name))
		return ok, s * q.fields[0].boost * q.boost
	}
	matched, best := false, 0.0
	visit := func(name string, boost float64) {
		if ok, s := q.leaf.matchValues(fieldValues(d, name)); ok {
			matched = true
			if s*boost > best {
				best = s * boost
			}
		}
	}
	for _, f := range q.fields {
		if !f.wildcard {
			visit(f.name, f.boost)
			continue
		}
		if fl, ok := d.(FieldLister); ok {
			for _, name := range fl.Fields() {
				if globMatch(f.name, name) {
					visit(name, f.boost)
				}
			}
		}
	}
	return matched, best * q.boost
}

// fieldValues resolves metadata fields before asking the document.
func fieldValues(d Doc, name string) []any {
	if name == "_id" {
		return []any{d.ID()}
	}
	return d.Values(name)
}

// existsQuery matches a field with at least one value; for an object path
// ("data") any sub-field counts, as in OpenSearch.
type existsQuery struct {
	field string
	boost float64
}

func (q existsQuery) eval(d Doc) (bool, float64) {
	if !hasWildcard(q.field) && len(fieldValues(d, q.field)) > 0 {
		return true, q.boost
	}
	fl, ok := d.(FieldLister)
	if !ok {
		return false, 0
	}
	prefix := q.field + "."
	for _, name := range fl.Fields() {
		if strings.HasPrefix(name, prefix) || (hasWildcard(q.field) && globMatch(q.field, name)) {
			if len(d.Values(name)) > 0 {
				return true, q.boost
			}
		}
	}
	return false, 0
}

// termLeaf is term semantics (see scalar.equals).
type termLeaf struct {
	v    scalar
	fold bool
}

func (l termLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		if l.v.equals(v, l.fold) {
			return true, 1
		}
	}
	return false, 0
}

// termsLeaf keeps keyword values in a set so large terms lists stay cheap.
type termsLeaf struct {
	keywords map[string]struct{}
	others   []scalar
}

func (l termsLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		if s, ok := v.(string); ok {
			if _, hit := l.keywords[s]; hit {
				return true, 1
			}
			continue
		}
		for i := range l.others {
			if l.others[i].equals(v, false) {
				return true, 1
			}
		}
	}
	return false, 0
}

// bound is one side of a range, pre-parsed for each value type.
type bound struct {
	set       bool
	inclusive bool
	s         string
	f         float64
	isNum     bool
	ms        int64
	isDate    bool
}

type rangeLeaf struct{ lo, hi bound }

func (l rangeLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		if l.inRange(v) {
			return true, 1
		}
	}
	return false, 0
}

func (l rangeLeaf) inRange(v any) bool {
	switch x := v.(type) {
	case float64:
		return checkBound(l.lo, l.lo.isNum, cmpFloat(x, l.lo.f), true) &&
			checkBound(l.hi, l.hi.isNum, cmpFloat(x, l.hi.f), false)
	case time.Time:
		ms := x.UnixMilli()
		return checkBound(l.lo, l.lo.isDate, cmpInt(ms, l.lo.ms), true) &&
			checkBound(l.hi, l.hi.isDate, cmpInt(ms, l.hi.ms), false)
	case string:
		return checkBound(l.lo, true, strings.Compare(x, l.lo.s), true) &&
			checkBound(l.hi, true, strings.Compare(x, l.hi.s), false)
	}
	return false
}

// checkBound applies one bound given the comparison of value to bound; a
// bound that cannot be read as the value's type excludes the value.
func checkBound(b bound, comparable bool, c int, lower bool) bool {
	if !b.set {
		return true
	}
	if !comparable {
		return false
	}
	if lower {
		return c > 0 || (c == 0 && b.inclusive)
	}
	return c < 0 || (c == 0 && b.inclusive)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// matchLeaf is match semantics: analyzed text matches by tokens (or/and,
// minimum_should_match), any other value type like a term on the raw query.
type matchLeaf struct {
	tokens   []string // lowercased query tokens
	raw      scalar
	required int // how many tokens must be present in text
}

func (l matchLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		t, ok := v.(Text)
		if !ok {
			if l.raw.equals(v, false) {
				return true, 1
			}
			continue
		}
		if n := countTokens(string(t), l.tokens); n >= l.required && n > 0 {
			return true, float64(n)
		}
	}
	return false, 0
}

// countTokens counts how many distinct query tokens occur in text.
func countTokens(text string, want []string) int {
	if len(want) == 1 {
		found := 0
		forEachToken(text, func(tok string) bool {
			if strings.EqualFold(tok, want[0]) {
				found = 1
				return false
			}
			return true
		})
		return found
	}
	seen := make([]bool, len(want))
	n := 0
	forEachToken(text, func(tok string) bool {
		for i, w := range want {
			if !seen[i] && strings.EqualFold(tok, w) {
				seen[i] = true
				n++
			}
		}
		return n < len(want)
	})
	return n
}

// phraseLeaf matches consecutive tokens in text (the last one as a prefix for
// match_phrase_prefix); on other value types it is exact equality.
type phraseLeaf struct {
	tokens []string
	raw    scalar
	prefix bool
}

func (l phraseLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		t, ok := v.(Text)
		if !ok {
			if l.raw.equals(v, false) || (l.prefix && isPrefixOf(v, l.raw.s)) {
				return true, 1
			}
			continue
		}
		if len(l.tokens) == 0 {
			continue
		}
		if l.phraseIn(tokensOf(string(t))) {
			return true, float64(len(l.tokens))
		}
	}
	return false, 0
}

func isPrefixOf(v any, p string) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, p)
}

func (l phraseLeaf) phraseIn(toks []string) bool {
	n := len(l.tokens)
	for start := 0; start+n <= len(toks); start++ {
		ok := true
		for i, w := range l.tokens {
			tok := toks[start+i]
			last := i == n-1
			if !(strings.EqualFold(tok, w) || (last && l.prefix && hasPrefixFold(tok, w))) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// patternLeaf covers prefix, wildcard and regexp: keywords match as a whole
// value (lowercased first when case_insensitive), text by any token
// (lowercased, as the text field's normalizer does).
type patternLeaf struct {
	keyword func(s string) bool
	text    func(s string) bool
	fold    bool
}

func (l patternLeaf) matchValues(vals []any) (bool, float64) {
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			s := x
			if l.fold {
				s = strings.ToLower(s)
			}
			if l.keyword(s) {
				return true, 1
			}
		case Text:
			hit := false
			forEachToken(string(x), func(tok string) bool {
				hit = l.text(strings.ToLower(tok))
				return !hit
			})
			if hit {
				return true, 1
			}
		}
	}
	return false, 0
}

func prefixMatcher(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}

func globMatcher(p string) func(string) bool {
	return func(s string) bool { return globMatch(p, s) }
}

func regexpMatcher(re *regexp.Regexp) func(string) bool {
	return re.MatchString
}

// anyValueLeaf matches any present value (query_string "field:*").
type anyValueLeaf struct{}

func (anyValueLeaf) matchValues(vals []any) (bool, float64) { return len(vals) > 0, 1 }

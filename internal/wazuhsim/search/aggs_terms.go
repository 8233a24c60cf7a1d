package search

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// termKey is a bucket key of a terms aggregation.
type termKey struct {
	kind uint8 // keyStr, keyNum, keyDate, keyBool
	s    string
	f    float64
}

const (
	keyStr uint8 = iota + 1
	keyNum
	keyDate
	keyBool
)

// keyOf converts a doc value; text reports an analyzed text value.
func keyOf(v any) (k termKey, ok, text bool) {
	switch x := v.(type) {
	case string:
		return termKey{kind: keyStr, s: x}, true, false
	case float64:
		return termKey{kind: keyNum, f: x}, true, false
	case time.Time:
		return termKey{kind: keyDate, f: float64(x.UnixMilli())}, true, false
	case bool:
		if x {
			return termKey{kind: keyBool, f: 1}, true, false
		}
		return termKey{kind: keyBool}, true, false
	case Text:
		return termKey{}, false, true
	}
	return termKey{}, false, false
}

// json renders the key the way OpenSearch does: longs as integers, dates and
// booleans with key_as_string.
func (k termKey) put(b map[string]any) {
	switch k.kind {
	case keyStr:
		b["key"] = k.s
	case keyNum:
		b["key"] = numberJSON(k.f)
	case keyDate:
		b["key"] = int64(k.f)
		b["key_as_string"] = formatDate(int64(k.f), time.UTC, "")
	case keyBool:
		b["key"] = int64(k.f)
		b["key_as_string"] = boolText(k.f == 1)
	}
}

// numberJSON renders integral values as integers (long fields) and others as
// floats.
func numberJSON(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

func cmpKeys(a, b termKey) int {
	if a.kind == keyStr && b.kind == keyStr {
		return strings.Compare(a.s, b.s)
	}
	if a.kind == keyStr {
		return 1
	}
	if b.kind == keyStr {
		return -1
	}
	return cmpFloat(a.f, b.f)
}

type termsOrder struct {
	by   string // "_count", "_key", or a sub-aggregation path
	desc bool
}

type termsAgg struct {
	name        string
	field       string
	size        int
	minDocCount int
	order       []termsOrder
	missing     *termKey
	include     func(string) bool
	exclude     func(string) bool
}

func parseTermsAgg(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "terms", "field", "size", "shard_size", "min_doc_count", "shard_min_doc_count",
		"order", "missing", "include", "exclude", "execution_hint", "collect_mode", "show_term_doc_count_error",
		"value_type", "format", "script"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "terms", name)
	if err != nil {
		return nil, err
	}
	a := &termsAgg{name: name, field: field, size: 10, minDocCount: 1,
		order: []termsOrder{{by: "_count", desc: true}, {by: "_key"}}}
	if v, ok := body.get("size"); ok {
		if a.size, err = intOf(v, "size"); err != nil {
			return nil, err
		}
		if a.size <= 0 {
			return nil, illegalArgument("[size] must be greater than 0. Found [%d] in [%s]", a.size, name)
		}
	}
	if v, ok := body.get("min_doc_count"); ok {
		if a.minDocCount, err = intOf(v, "min_doc_count"); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("order"); ok {
		if a.order, err = parseTermsOrder(v); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("missing"); ok {
		k, err := missingKey(v)
		if err != nil {
			return nil, err
		}
		a.missing = &k
	}
	if a.include, err = termFilter(body, "include"); err != nil {
		return nil, err
	}
	if a.exclude, err = termFilter(body, "exclude"); err != nil {
		return nil, err
	}
	return a, nil
}

func missingKey(v any) (termKey, error) {
	switch x := v.(type) {
	case string:
		return termKey{kind: keyStr, s: x}, nil
	case bool:
		k, _, _ := keyOf(x)
		return k, nil
	}
	if f, ok := numberOf(v); ok {
		return termKey{kind: keyNum, f: f}, nil
	}
	return termKey{}, parsingError("[terms] [missing] must be a string, number or boolean")
}

func parseTermsOrder(v any) ([]termsOrder, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []termsOrder
	for _, el := range list {
		o, ok := el.(object)
		if !ok {
			return nil, parsingError("[terms] [order] must be an object or an array of objects")
		}
		for _, m := range o {
			dir, _ := stringOf(m.Val)
			dir = strings.ToLower(dir)
			if dir != "asc" && dir != "desc" {
				return nil, parsingError("Unknown terms order direction [%v]", m.Val)
			}
			by := m.Key
			if by == "_term" {
				by = "_key"
			}
			out = append(out, termsOrder{by: by, desc: dir == "desc"})
		}
	}
	// OpenSearch breaks count ties by key so results are deterministic.
	if len(out) == 0 || out[len(out)-1].by != "_key" {
		out = append(out, termsOrder{by: "_key"})
	}
	return out, nil
}

// termFilter parses include/exclude: a regexp string or an array of values.
func termFilter(body object, key string) (func(string) bool, error) {
	v, ok := body.get(key)
	if !ok {
		return nil, nil
	}
	switch x := v.(type) {
	case string:
		if len(x) > maxRegexpLength {
			return nil, illegalArgument("[terms] [%s] regexp is longer than %d characters", key, maxRegexpLength)
		}
		re, err := regexp.Compile("^(?:" + x + ")$")
		if err != nil {
			return nil, parsingError("[terms] invalid [%s] regexp [%s]", key, x)
		}
		return re.MatchString, nil
	case []any:
		set := map[string]bool{}
		for _, el := range x {
			s, ok := stringOf(el)
			if !ok {
				return nil, parsingError("[terms] [%s] values must be scalars", key)
			}
			set[s] = true
		}
		return func(s string) bool { return set[s] }, nil
	}
	return nil, parsingError("[terms] [%s] partitions are not supported", key)
}

type termBucket struct {
	key   termKey
	count int
	refs  []ref
	subs  map[string]any // computed early when ordering by a sub-aggregation
}

func (a *termsAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	keepRefs := len(subs) > 0
	strs := map[string]*termBucket{}
	others := map[termKey]*termBucket{}
	add := func(k termKey, r ref) {
		var b *termBucket
		if k.kind == keyStr {
			if b = strs[k.s]; b == nil {
				b = &termBucket{key: k}
				strs[k.s] = b
			}
		} else if b = others[k]; b == nil {
			b = &termBucket{key: k}
			others[k] = b
		}
		b.count++
		if keepRefs {
			b.refs = append(b.refs, r)
		}
	}
	for _, r := range refs {
		vals := r.doc.Values(a.field)
		if len(vals) == 0 && a.missing != nil {
			add(*a.missing, r)
		}
		for i, v := range vals {
			k, ok, text := keyOf(v)
			if text {
				return nil, errTextField(a.field)
			}
			if !ok || !a.accept(k) || seenBefore(vals[:i], v) {
				continue
			}
			add(k, r)
		}
	}
	all := make([]*termBucket, 0, len(strs)+len(others))
	for _, b := range strs {
		all = append(all, b)
	}
	for _, b := range others {
		all = append(all, b)
	}
	return a.result(c, all, subs)
}

func (a *termsAgg) accept(k termKey) bool {
	if a.include == nil && a.exclude == nil {
		return true
	}
	s := k.s
	if k.kind != keyStr {
		s = formatNumber(k.f)
	}
	return (a.include == nil || a.include(s)) && (a.exclude == nil || !a.exclude(s))
}

// seenBefore dedupes repeated values within one multi-valued doc, which
// counts once per bucket.
func seenBefore(prev []any, v any) bool {
	for _, p := range prev {
		if p == v {
			return true
		}
	}
	return false
}

func (a *termsAgg) result(c *aggCtx, all []*termBucket, subs []*aggSpec) (map[string]any, error) {
	kept := all[:0]
	for _, b := range all {
		if b.count >= a.minDocCount {
			kept = append(kept, b)
		}
	}
	if a.ordersBySubAgg() {
		for _, b := range kept {
			res, err := runAggs(c, b.refs, subs)
			if err != nil {
				return nil, err
			}
			b.subs = res
		}
	}
	sort.Slice(kept, func(i, j int) bool { return a.less(kept[i], kept[j]) })
	top := kept[:min(a.size, len(kept))]
	other := 0
	for _, b := range kept[len(top):] {
		other += b.count
	}
	if err := c.addBuckets(len(top)); err != nil {
		return nil, err
	}
	buckets := make([]any, 0, len(top))
	for _, b := range top {
		out := map[string]any{"doc_count": b.count}
		b.key.put(out)
		if b.subs != nil {
			for k, v := range b.subs {
				out[k] = v
			}
		} else if _, err := bucket(c, b.refs, subs, out); err != nil {
			return nil, err
		}
		buckets = append(buckets, out)
	}
	return map[string]any{"doc_count_error_upper_bound": 0, "sum_other_doc_count": other, "buckets": buckets}, nil
}

func (a *termsAgg) ordersBySubAgg() bool {
	for _, o := range a.order {
		if o.by != "_count" && o.by != "_key" {
			return true
		}
	}
	return false
}

func (a *termsAgg) less(x, y *termBucket) bool {
	for _, o := range a.order {
		var c int
		switch o.by {
		case "_count":
			c = x.count - y.count
		case "_key":
			c = cmpKeys(x.key, y.key)
		default:
			c = cmpFloat(metricAt(x.subs, o.by), metricAt(y.subs, o.by))
		}
		if c != 0 {
			return (c < 0) != o.desc
		}
	}
	return false
}

// metricAt resolves an order path such as "max_level", "stats.avg" or
// "by_day>_count" against computed sub-aggregation results.
func metricAt(subs map[string]any, path string) float64 {
	name, metric, _ := strings.Cut(path, ".")
	if n, rest, ok := strings.Cut(path, ">"); ok {
		name, metric = n, rest
	}
	res, _ := subs[name].(map[string]any)
	if res == nil {
		return math.Inf(-1)
	}
	if metric == "" || metric == "_count" {
		if metric == "_count" {
			metric = "doc_count"
		} else if _, ok := res["value"]; ok {
			metric = "value"
		} else {
			metric = "doc_count"
		}
	}
	switch v := res[metric].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	}
	return math.Inf(-1)
}

package search

import (
	"encoding/json"
	"math"
	"sort"
	"strings"
	"time"
)

type sortKind uint8

const (
	sortField sortKind = iota
	sortScore
	sortDoc
	sortID
)

// sortKey is one element of the request's sort.
type sortKey struct {
	kind    sortKind
	field   string
	desc    bool
	missing int // +1: missing values sort last (default), -1: first
	// missingVal replaces absent values when "missing" is a value.
	missingVal *sortVal
	mode       string // min, max, avg, sum, median
}

func defaultSort() []sortKey { return []sortKey{{kind: sortScore, desc: true, missing: 1}} }

type svKind uint8

const (
	svMissing svKind = iota
	svNum
	svStr
)

// sortVal is a doc's value for one sort key. Dates are epoch millis, as
// OpenSearch returns them in hit.sort.
type sortVal struct {
	kind   svKind
	f      float64
	s      string
	hasNum bool // a string search_after value that also reads as a number or date
	isInt  bool // render as an integer (dates, longs, _doc)
}

func parseSort(v any, now time.Time) ([]sortKey, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var keys []sortKey
	for _, el := range list {
		switch x := el.(type) {
		case string:
			keys = append(keys, newSortKey(x, ""))
		case object:
			for _, m := range x {
				k, err := parseSortObject(m.Key, m.Val, now)
				if err != nil {
					return nil, err
				}
				keys = append(keys, k)
			}
		default:
			return nil, parsingError("[sort] expected a string or an object but found [%s]", tokenName(el))
		}
	}
	return keys, nil
}

func newSortKey(field, order string) sortKey {
	k := sortKey{kind: sortField, field: field, missing: 1}
	switch field {
	case "_score":
		k.kind, k.desc = sortScore, true
	case "_doc":
		k.kind = sortDoc
	case "_id":
		k.kind = sortID
	}
	switch strings.ToLower(order) {
	case "desc":
		k.desc = true
	case "asc":
		k.desc = false
	}
	return k
}

func parseSortObject(field string, v any, now time.Time) (sortKey, error) {
	if strings.HasPrefix(field, "_geo") || field == "_script" {
		return sortKey{}, parsingError("[sort] [%s] is not supported by this indexer", field)
	}
	if s, ok := v.(string); ok {
		if o := strings.ToLower(s); o != "asc" && o != "desc" {
			return sortKey{}, illegalArgument("Unknown SortOrder [%s]", s)
		}
		return newSortKey(field, s), nil
	}
	o, ok := v.(object)
	if !ok {
		return sortKey{}, parsingError("[sort] expected an order or an object for [%s]", field)
	}
	order := ""
	if ov, ok := o.get("order"); ok {
		order, _ = stringOf(ov)
		if lo := strings.ToLower(order); lo != "asc" && lo != "desc" {
			return sortKey{}, illegalArgument("Unknown SortOrder [%s]", order)
		}
	}
	k := newSortKey(field, order)
	for _, m := range o {
		switch m.Key {
		case "order", "unmapped_type", "format", "numeric_type", "nested":
		case "mode":
			k.mode, _ = stringOf(m.Val)
		case "missing":
			if err := k.setMissing(m.Val, now); err != nil {
				return sortKey{}, err
			}
		default:
			return sortKey{}, parsingError("[field_sort] unknown field [%s]", m.Key)
		}
	}
	return k, nil
}

func (k *sortKey) setMissing(v any, now time.Time) error {
	switch v {
	case "_last":
		k.missing = 1
	case "_first":
		k.missing = -1
	default:
		sv, ok := afterValue(v, now)
		if !ok || sv.kind == svMissing {
			return parsingError("[sort] invalid missing value [%v]", v)
		}
		k.missingVal = &sv
	}
	return nil
}

// afterValue converts a search_after (or missing) JSON value.
func afterValue(v any, now time.Time) (sortVal, bool) {
	switch x := v.(type) {
	case nil:
		return sortVal{}, true
	case json.Number:
		f, ok := numberOf(x)
		return sortVal{kind: svNum, f: f}, ok
	case bool:
		if x {
			return sortVal{kind: svNum, f: 1}, true
		}
		return sortVal{kind: svNum, f: 0}, true
	case string:
		sv := sortVal{kind: svStr, s: x}
		if f, ok := numberOf(x); ok {
			sv.f, sv.hasNum = f, true
		} else if ms, ok := dateMillis(x, now, false); ok {
			sv.f, sv.hasNum = float64(ms), true
		}
		return sv, true
	}
	return sortVal{}, false
}

// errTextSort is reported when sorting on an analyzed text field.
func errTextField(field string) *Error {
	return shardFailure(illegalArgument("Text fields are not optimised for operations that require per-document field data "+
		"like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. "+
		"Alternatively, set fielddata=true on [%s] in order to load field data by uninverting the inverted index. "+
		"Note that this can use significant memory.", field))
}

// value extracts a doc's sort value for k; textField is set when the field
// holds analyzed text.
func (k sortKey) value(r ref, score float64, ordinal int) (sv sortVal, textField bool) {
	switch k.kind {
	case sortScore:
		return sortVal{kind: svNum, f: score}, false
	case sortDoc:
		return sortVal{kind: svNum, f: float64(ordinal), isInt: true}, false
	case sortID:
		return sortVal{kind: svStr, s: r.doc.ID()}, false
	}
	sum, n := 0.0, 0
	for _, v := range r.doc.Values(k.field) {
		var cand sortVal
		switch x := v.(type) {
		case float64:
			cand = sortVal{kind: svNum, f: x, isInt: x == math.Trunc(x) && math.Abs(x) < 1<<53}
		case time.Time:
			cand = sortVal{kind: svNum, f: float64(x.UnixMilli()), isInt: true}
		case bool:
			cand = sortVal{kind: svNum, isInt: true}
			if x {
				cand.f = 1
			}
		case string:
			cand = sortVal{kind: svStr, s: x}
		case Text:
			return sortVal{}, true
		default:
			continue
		}
		if cand.kind == svNum {
			sum += cand.f
			n++
		}
		if sv.kind == svMissing || k.better(cand, sv) {
			sv = cand
		}
	}
	if n > 0 && (k.mode == "avg" || k.mode == "sum") {
		sv = sortVal{kind: svNum, f: sum}
		if k.mode == "avg" {
			sv.f = sum / float64(n)
		}
	}
	if sv.kind == svMissing && k.missingVal != nil {
		sv = *k.missingVal
	}
	return sv, false
}

// better picks the representative of a multi-valued field: the minimum for
// ascending sorts and the maximum for descending, unless mode says otherwise.
func (k sortKey) better(cand, cur sortVal) bool {
	c := cmpVals(cand, cur)
	switch k.mode {
	case "min":
		return c < 0
	case "max":
		return c > 0
	}
	if k.desc {
		return c > 0
	}
	return c < 0
}

// cmpVals orders two present values: numbers before strings; a string that
// reads as a number compares numerically with numbers.
func cmpVals(a, b sortVal) int {
	switch {
	case a.kind == svNum && b.kind == svNum:
		return cmpFloat(a.f, b.f)
	case a.kind == svStr && b.kind == svStr:
		return strings.Compare(a.s, b.s)
	case a.kind == svNum && b.hasNum:
		return cmpFloat(a.f, b.f)
	case a.hasNum && b.kind == svNum:
		return cmpFloat(a.f, b.f)
	case a.kind == svNum:
		return -1
	}
	return 1
}

// compare orders a before b (<0) in the key's final order.
func (k sortKey) compare(a, b sortVal) int {
	am, bm := a.kind == svMissing, b.kind == svMissing
	if am || bm {
		switch {
		case am && bm:
			return 0
		case am:
			return k.missing
		}
		return -k.missing
	}
	c := cmpVals(a, b)
	if k.desc {
		return -c
	}
	return c
}

// json renders a sort value as OpenSearch puts it in hit.sort.
func (sv sortVal) json() any {
	switch sv.kind {
	case svNum:
		if sv.isInt {
			return int64(sv.f)
		}
		return sv.f
	case svStr:
		return sv.s
	}
	return nil
}

// needsTiebreak says whether hit.sort carries a trailing _id so that
// search_after paging visits every document exactly once even when sort
// values tie (OpenSearch does the same with its implicit _shard_doc).
func (req *Request) needsTiebreak() bool {
	if !req.explicitSort || req.noTiebreak || len(req.Sort) == 0 {
		return false
	}
	last := req.Sort[len(req.Sort)-1].kind
	return last != sortID && last != sortDoc
}

// candidate is a matching doc with its sort values.
type candidate struct {
	r       ref
	score   float64
	ordinal int
	vals    []sortVal
}

// sorter orders candidates by the request's keys, then the _id tiebreak,
// then index order.
type sorter struct {
	keys     []sortKey
	tiebreak bool
}

func (s sorter) less(a, b *candidate) bool { return s.cmp(a, b) < 0 }

func (s sorter) cmp(a, b *candidate) int {
	for i, k := range s.keys {
		if c := k.compare(a.vals[i], b.vals[i]); c != 0 {
			return c
		}
	}
	if s.tiebreak {
		if c := strings.Compare(a.r.doc.ID(), b.r.doc.ID()); c != 0 {
			return c
		}
	}
	return a.ordinal - b.ordinal
}

// afterPoint reports whether c sorts strictly after the search_after values.
func (s sorter) afterPoint(c *candidate, after []sortVal) bool {
	for i, k := range s.keys {
		if cmp := k.compare(c.vals[i], after[i]); cmp != 0 {
			return cmp > 0
		}
	}
	if len(after) > len(s.keys) {
		a := after[len(s.keys)]
		return strings.Compare(c.r.doc.ID(), a.s) > 0
	}
	return false
}

// topN returns the first n candidates in order. It selects with
// quickselect over an index permutation (expected O(len)) and sorts only the
// selected page, so the newest 100 of 200k time-ascending matches cost one
// pass rather than a heap update per document.
func (s sorter) topN(cands []candidate, n int) []candidate {
	if n <= 0 || len(cands) == 0 {
		return nil
	}
	idx := make([]int32, len(cands))
	for i := range idx {
		idx[i] = int32(i)
	}
	less := func(a, b int32) bool { return s.less(&cands[a], &cands[b]) }
	if len(idx) > n {
		quickselect(idx, n, less)
		idx = idx[:n]
	}
	sort.Slice(idx, func(i, j int) bool { return less(idx[i], idx[j]) })
	out := make([]candidate, len(idx))
	for i, j := range idx {
		out[i] = cands[j]
	}
	return out
}

// quickselect reorders idx so that its first k elements are the k smallest
// under less (a strict total order: candidates never tie thanks to their
// ordinal).
func quickselect(idx []int32, k int, less func(a, b int32) bool) {
	lo, hi := 0, len(idx)-1
	for lo < hi {
		p := partition(idx, lo, hi, less)
		switch {
		case p == k:
			return
		case p < k:
			lo = p + 1
		default:
			hi = p - 1
		}
	}
}

// partition is Lomuto's scheme with a median-of-three pivot, which keeps
// already sorted input (the common case: time-ordered indices) linear.
func partition(idx []int32, lo, hi int, less func(a, b int32) bool) int {
	mid := lo + (hi-lo)/2
	if less(idx[mid], idx[lo]) {
		idx[mid], idx[lo] = idx[lo], idx[mid]
	}
	if less(idx[hi], idx[lo]) {
		idx[hi], idx[lo] = idx[lo], idx[hi]
	}
	if less(idx[mid], idx[hi]) {
		idx[mid], idx[hi] = idx[hi], idx[mid]
	}
	pivot := idx[hi]
	i := lo
	for j := lo; j < hi; j++ {
		if less(idx[j], pivot) {
			idx[i], idx[j] = idx[j], idx[i]
			i++
		}
	}
	idx[i], idx[hi] = idx[hi], idx[i]
	return i
}

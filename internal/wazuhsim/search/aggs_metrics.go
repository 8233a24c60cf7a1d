package search

import (
	"math"
	"sort"
	"strconv"
	"time"
)

// numericValues feeds every numeric value of field (dates as epoch millis,
// booleans as 0/1) to fn; isDate reports whether dates were seen so results
// can carry value_as_string.
type numericSource struct {
	typ     string
	field   string
	missing *float64
}

func (s numericSource) each(refs []ref, fn func(f float64)) (isDate bool, err error) {
	for _, r := range refs {
		vals := r.doc.Values(s.field)
		if len(vals) == 0 && s.missing != nil {
			fn(*s.missing)
		}
		for _, v := range vals {
			switch x := v.(type) {
			case float64:
				fn(x)
			case time.Time:
				isDate = true
				fn(float64(x.UnixMilli()))
			case bool:
				if x {
					fn(1)
				} else {
					fn(0)
				}
			case Text:
				return false, errTextField(s.field)
			case string:
				return false, shardFailure(illegalArgument("Field [%s] of type [keyword] is not supported for aggregation [%s]", s.field, s.typ))
			}
		}
	}
	return isDate, nil
}

type metricFunc func(src numericSource) aggregator

// metricParser builds the parser of a single-field metric aggregation.
func metricParser(mk metricFunc) func(p *queryParser, name string, body object) (aggregator, error) {
	return func(p *queryParser, name string, body object) (aggregator, error) {
		if err := checkAggKeys(body, "metric", "field", "missing", "format", "script", "precision_threshold",
			"rehash", "execution_hint"); err != nil {
			return nil, err
		}
		field, err := aggField(body, "metric", name)
		if err != nil {
			return nil, err
		}
		src := numericSource{field: field}
		if v, ok := body.get("missing"); ok {
			if f, ok := numberOf(v); ok {
				src.missing = &f
			} else if ms, ok := dateMillis(v, p.now, false); ok {
				f := float64(ms)
				src.missing = &f
			}
		}
		return mk(src), nil
	}
}

// singleValue is min, max, avg and sum.
type singleValue struct {
	src    numericSource
	reduce func(vals []float64) (float64, bool)
}

func (a singleValue) collect(_ *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	var vals []float64
	isDate, err := a.src.each(refs, func(f float64) { vals = append(vals, f) })
	if err != nil {
		return nil, err
	}
	v, ok := a.reduce(vals)
	if !ok {
		return map[string]any{"value": nil}, nil
	}
	out := map[string]any{"value": v}
	if isDate {
		out["value_as_string"] = formatDate(int64(v), time.UTC, "")
	}
	return out, nil
}

func newMin(src numericSource) aggregator {
	src.typ = "min"
	return singleValue{src: src, reduce: func(v []float64) (float64, bool) {
		if len(v) == 0 {
			return 0, false
		}
		m := v[0]
		for _, f := range v[1:] {
			m = math.Min(m, f)
		}
		return m, true
	}}
}

func newMax(src numericSource) aggregator {
	src.typ = "max"
	return singleValue{src: src, reduce: func(v []float64) (float64, bool) {
		if len(v) == 0 {
			return 0, false
		}
		m := v[0]
		for _, f := range v[1:] {
			m = math.Max(m, f)
		}
		return m, true
	}}
}

func newSum(src numericSource) aggregator {
	src.typ = "sum"
	return singleValue{src: src, reduce: func(v []float64) (float64, bool) {
		s := 0.0
		for _, f := range v {
			s += f
		}
		return s, true
	}}
}

func newAvg(src numericSource) aggregator {
	src.typ = "avg"
	return singleValue{src: src, reduce: func(v []float64) (float64, bool) {
		if len(v) == 0 {
			return 0, false
		}
		s := 0.0
		for _, f := range v {
			s += f
		}
		return s / float64(len(v)), true
	}}
}

type statsAgg struct{ src numericSource }

func newStats(src numericSource) aggregator {
	src.typ = "stats"
	return statsAgg{src: src}
}

func (a statsAgg) collect(_ *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	n, sum, lo, hi := 0, 0.0, math.Inf(1), math.Inf(-1)
	isDate, err := a.src.each(refs, func(f float64) {
		n++
		sum += f
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return map[string]any{"count": 0, "min": nil, "max": nil, "avg": nil, "sum": 0.0}, nil
	}
	out := map[string]any{"count": n, "min": lo, "max": hi, "avg": sum / float64(n), "sum": sum}
	if isDate {
		out["min_as_string"] = formatDate(int64(lo), time.UTC, "")
		out["max_as_string"] = formatDate(int64(hi), time.UTC, "")
	}
	return out, nil
}

// cardinality is exact (OpenSearch's HyperLogLog is exact below its
// precision threshold anyway).
type cardinalityAgg struct{ field string }

func newCardinality(src numericSource) aggregator { return cardinalityAgg{field: src.field} }

func (a cardinalityAgg) collect(_ *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	strs := map[string]struct{}{}
	others := map[termKey]struct{}{}
	for _, r := range refs {
		for _, v := range r.doc.Values(a.field) {
			k, ok, text := keyOf(v)
			if text {
				return nil, errTextField(a.field)
			}
			switch {
			case !ok:
			case k.kind == keyStr:
				strs[k.s] = struct{}{}
			default:
				others[k] = struct{}{}
			}
		}
	}
	return map[string]any{"value": len(strs) + len(others)}, nil
}

type valueCountAgg struct{ field string }

func newValueCount(src numericSource) aggregator { return valueCountAgg{field: src.field} }

func (a valueCountAgg) collect(_ *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	n := 0
	for _, r := range refs {
		n += len(r.doc.Values(a.field))
	}
	return map[string]any{"value": n}, nil
}

type percentilesAgg struct {
	src      numericSource
	percents []float64
	keyed    bool
}

func parsePercentiles(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "percentiles", "field", "percents", "keyed", "missing", "tdigest", "hdr", "format"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "percentiles", name)
	if err != nil {
		return nil, err
	}
	a := percentilesAgg{src: numericSource{typ: "percentiles", field: field}, percents: []float64{1, 5, 25, 50, 75, 95, 99}, keyed: true}
	if v, ok := body.get("percents"); ok {
		list, ok := v.([]any)
		if !ok {
			return nil, parsingError("[percents] must be an array of numbers")
		}
		a.percents = a.percents[:0]
		for _, el := range list {
			f, err := floatOf(el, "percents")
			if err != nil || f < 0 || f > 100 {
				return nil, illegalArgument("[percents] must be in the range [0, 100]")
			}
			a.percents = append(a.percents, f)
		}
	}
	if v, ok := body.get("keyed"); ok {
		if a.keyed, err = boolOf(v, "keyed"); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// collect computes exact percentiles with linear interpolation between
// closest ranks.
func (a percentilesAgg) collect(_ *aggCtx, refs []ref, _ []*aggSpec) (map[string]any, error) {
	var vals []float64
	if _, err := a.src.each(refs, func(f float64) { vals = append(vals, f) }); err != nil {
		return nil, err
	}
	sort.Float64s(vals)
	keyed := map[string]any{}
	var list []any
	for _, pct := range a.percents {
		var v any
		if len(vals) > 0 {
			pos := pct / 100 * float64(len(vals)-1)
			lo := int(math.Floor(pos))
			hi := min(lo+1, len(vals)-1)
			v = vals[lo] + (vals[hi]-vals[lo])*(pos-float64(lo))
		}
		key := strconv.FormatFloat(pct, 'f', -1, 64)
		if pct == math.Trunc(pct) {
			key += ".0"
		}
		keyed[key] = v
		list = append(list, map[string]any{"key": pct, "value": v})
	}
	if a.keyed {
		return map[string]any{"values": keyed}, nil
	}
	return map[string]any{"values": list}, nil
}

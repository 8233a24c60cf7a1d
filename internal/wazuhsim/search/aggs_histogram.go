package search

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// interval is a date_histogram bucket width: calendar units follow the
// calendar in the time zone; fixed ones are exact durations.
type interval struct {
	calendar byte  // 'm','h','d','w','M','q','y' or 0 for fixed
	fixed    int64 // millis
}

var calendarNames = map[string]byte{
	"minute": 'm', "1m": 'm', "hour": 'h', "1h": 'h', "day": 'd', "1d": 'd', "week": 'w', "1w": 'w',
	"month": 'M', "1M": 'M', "quarter": 'q', "1q": 'q', "year": 'y', "1y": 'y',
}

func parseFixedInterval(s string) (int64, bool) {
	units := []struct {
		suffix string
		ms     int64
	}{{"ms", 1}, {"s", 1000}, {"m", 60_000}, {"h", 3_600_000}, {"d", 86_400_000}}
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok && isAllDigits(n) && len(n) < 10 {
			v, _ := strconv.ParseInt(n, 10, 64)
			if v > 0 {
				return v * u.ms, true
			}
		}
	}
	return 0, false
}

func parseInterval(body object) (interval, error) {
	if v, ok := body.get("calendar_interval"); ok {
		s, _ := stringOf(v)
		if c, ok := calendarNames[s]; ok {
			return interval{calendar: c}, nil
		}
		return interval{}, illegalArgument("The supplied interval [%s] could not be parsed as a calendar interval.", s)
	}
	if v, ok := body.get("fixed_interval"); ok {
		s, _ := stringOf(v)
		if ms, ok := parseFixedInterval(s); ok {
			return interval{fixed: ms}, nil
		}
		return interval{}, illegalArgument("failed to parse setting [date_histogram.fixedInterval] with value [%s] as a time value: unit is missing or unrecognized", s)
	}
	if v, ok := body.get("interval"); ok { // deprecated: either kind
		s, _ := stringOf(v)
		if c, ok := calendarNames[s]; ok {
			return interval{calendar: c}, nil
		}
		if ms, ok := parseFixedInterval(s); ok {
			return interval{fixed: ms}, nil
		}
		if f, ok := numberOf(v); ok && f > 0 {
			return interval{fixed: int64(f)}, nil
		}
		return interval{}, illegalArgument("Unable to parse interval [%s]", s)
	}
	return interval{}, illegalArgument("Invalid interval specified, must be non-null and non-empty")
}

// floor returns the key of the bucket containing ms.
func (iv interval) floor(ms int64, loc *time.Location) int64 {
	if iv.calendar == 0 {
		_, off := time.UnixMilli(ms).In(loc).Zone()
		local := ms + int64(off)*1000
		return floorDiv(local, iv.fixed)*iv.fixed - int64(off)*1000
	}
	t := time.UnixMilli(ms).In(loc)
	y, mo, d := t.Date()
	var k time.Time
	switch iv.calendar {
	case 'm':
		k = time.Date(y, mo, d, t.Hour(), t.Minute(), 0, 0, loc)
	case 'h':
		k = time.Date(y, mo, d, t.Hour(), 0, 0, 0, loc)
	case 'd':
		k = time.Date(y, mo, d, 0, 0, 0, 0, loc)
	case 'w':
		k = time.Date(y, mo, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, loc)
	case 'M':
		k = time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	case 'q':
		k = time.Date(y, mo-(mo-1)%3, 1, 0, 0, 0, 0, loc)
	default:
		k = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	}
	return k.UnixMilli()
}

// next returns the key of the bucket after the one keyed k.
func (iv interval) next(k int64, loc *time.Location) int64 {
	if iv.calendar == 0 {
		return k + iv.fixed
	}
	t := time.UnixMilli(k).In(loc)
	switch iv.calendar {
	case 'm':
		return iv.floor(t.Add(time.Minute).UnixMilli(), loc)
	case 'h':
		return iv.floor(t.Add(time.Hour).UnixMilli(), loc)
	case 'd':
		return t.AddDate(0, 0, 1).UnixMilli()
	case 'w':
		return t.AddDate(0, 0, 7).UnixMilli()
	case 'M':
		return t.AddDate(0, 1, 0).UnixMilli()
	case 'q':
		return t.AddDate(0, 3, 0).UnixMilli()
	}
	return t.AddDate(1, 0, 0).UnixMilli()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

type dateHistogramAgg struct {
	field       string
	iv          interval
	loc         *time.Location
	format      string
	minDocCount int
	extMin      *int64
	extMax      *int64
	hardMin     *int64
	hardMax     *int64
	desc        bool
	keyed       bool
}

func parseDateHistogram(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "date_histogram", "field", "calendar_interval", "fixed_interval", "interval",
		"min_doc_count", "extended_bounds", "hard_bounds", "time_zone", "format", "order", "keyed", "offset",
		"missing", "script"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "date_histogram", name)
	if err != nil {
		return nil, err
	}
	a := &dateHistogramAgg{field: field, loc: time.UTC}
	if a.iv, err = parseInterval(body); err != nil {
		return nil, err
	}
	if v, ok := body.get("time_zone"); ok {
		s, _ := stringOf(v)
		if a.loc, err = parseTimeZone(s); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("format"); ok {
		a.format, _ = stringOf(v)
	}
	if v, ok := body.get("min_doc_count"); ok {
		if a.minDocCount, err = intOf(v, "min_doc_count"); err != nil {
			return nil, err
		}
	}
	if a.extMin, a.extMax, err = parseBounds(body, "extended_bounds", p.now); err != nil {
		return nil, err
	}
	if a.hardMin, a.hardMax, err = parseBounds(body, "hard_bounds", p.now); err != nil {
		return nil, err
	}
	if v, ok := body.get("keyed"); ok {
		if a.keyed, err = boolOf(v, "keyed"); err != nil {
			return nil, err
		}
	}
	if v, ok := body.get("order"); ok {
		orders, err := parseTermsOrder(v)
		if err != nil {
			return nil, err
		}
		a.desc = orders[0].by == "_key" && orders[0].desc
	}
	return a, nil
}

func parseBounds(body object, key string, now time.Time) (*int64, *int64, error) {
	v, ok := body.get(key)
	if !ok {
		return nil, nil, nil
	}
	o, ok := v.(object)
	if !ok {
		return nil, nil, parsingError("[%s] must be an object", key)
	}
	read := func(name string, roundUp bool) (*int64, error) {
		bv, ok := o.get(name)
		if !ok || bv == nil {
			return nil, nil
		}
		ms, ok := dateMillis(bv, now, roundUp)
		if !ok {
			return nil, parsingError("[%s.%s] cannot parse [%v] as a date", key, name, bv)
		}
		return &ms, nil
	}
	lo, err := read("min", false)
	if err != nil {
		return nil, nil, err
	}
	hi, err := read("max", true)
	return lo, hi, err
}

// millisOf reads a date-ish doc value: dates, or numbers as epoch millis.
func millisOf(v any) (int64, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UnixMilli(), true
	case float64:
		return int64(x), true
	}
	return 0, false
}

func (a *dateHistogramAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	counts := map[int64]*termBucket{}
	keepRefs := len(subs) > 0
	for _, r := range refs {
		vals := r.doc.Values(a.field)
		for i, v := range vals {
			if _, text := v.(Text); text {
				return nil, errTextField(a.field)
			}
			ms, ok := millisOf(v)
			if !ok || a.outsideHard(ms) {
				continue
			}
			k := a.iv.floor(ms, a.loc)
			if i > 0 && a.keyAlreadyCounted(vals[:i], k) {
				continue
			}
			b := counts[k]
			if b == nil {
				b = &termBucket{}
				counts[k] = b
			}
			b.count++
			if keepRefs {
				b.refs = append(b.refs, r)
			}
		}
	}
	keys, err := a.bucketKeys(c, counts)
	if err != nil {
		return nil, err
	}
	return a.render(c, keys, counts, subs)
}

func (a *dateHistogramAgg) outsideHard(ms int64) bool {
	return (a.hardMin != nil && ms < *a.hardMin) || (a.hardMax != nil && ms > *a.hardMax)
}

func (a *dateHistogramAgg) keyAlreadyCounted(prev []any, k int64) bool {
	for _, p := range prev {
		if ms, ok := millisOf(p); ok && a.iv.floor(ms, a.loc) == k {
			return true
		}
	}
	return false
}

// bucketKeys lists the keys to return: those with enough docs, or with
// min_doc_count 0 every key between the first and last (extended) bucket.
func (a *dateHistogramAgg) bucketKeys(c *aggCtx, counts map[int64]*termBucket) ([]int64, error) {
	var keys []int64
	if a.minDocCount > 0 {
		for k, b := range counts {
			if b.count >= a.minDocCount {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		return keys, c.addBuckets(len(keys))
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for k := range counts {
		lo, hi = min(lo, k), max(hi, k)
	}
	if a.extMin != nil {
		lo = min(lo, a.iv.floor(*a.extMin, a.loc))
	}
	if a.extMax != nil {
		hi = max(hi, a.iv.floor(*a.extMax, a.loc))
	}
	if a.hardMin != nil {
		lo = max(lo, a.iv.floor(*a.hardMin, a.loc))
	}
	if a.hardMax != nil {
		hi = min(hi, a.iv.floor(*a.hardMax, a.loc))
	}
	for k := lo; k <= hi; k = a.iv.next(k, a.loc) {
		keys = append(keys, k)
		if err := c.addBuckets(1); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

func (a *dateHistogramAgg) render(c *aggCtx, keys []int64, counts map[int64]*termBucket, subs []*aggSpec) (map[string]any, error) {
	if a.desc {
		sort.Slice(keys, func(i, j int) bool { return keys[i] > keys[j] })
	}
	list := make([]any, 0, len(keys))
	keyed := map[string]any{}
	for _, k := range keys {
		b := counts[k]
		if b == nil {
			b = &termBucket{}
		}
		ks := formatDate(k, a.loc, a.format)
		out, err := bucket(c, b.refs, subs, map[string]any{"key_as_string": ks, "key": k, "doc_count": b.count})
		if err != nil {
			return nil, err
		}
		list = append(list, out)
		keyed[ks] = out
	}
	if a.keyed {
		return map[string]any{"buckets": keyed}, nil
	}
	return map[string]any{"buckets": list}, nil
}

// histogramAgg is the numeric histogram (fixed interval over numbers).
type histogramAgg struct {
	field       string
	interval    float64
	minDocCount int
}

func parseHistogram(p *queryParser, name string, body object) (aggregator, error) {
	if err := checkAggKeys(body, "histogram", "field", "interval", "min_doc_count", "offset", "order",
		"keyed", "missing", "extended_bounds", "hard_bounds", "format"); err != nil {
		return nil, err
	}
	field, err := aggField(body, "histogram", name)
	if err != nil {
		return nil, err
	}
	a := &histogramAgg{field: field}
	iv, _ := body.get("interval")
	if a.interval, err = floatOf(iv, "interval"); err != nil || a.interval <= 0 {
		return nil, illegalArgument("[interval] must be >0 for histogram aggregation [%s]", name)
	}
	if v, ok := body.get("min_doc_count"); ok {
		if a.minDocCount, err = intOf(v, "min_doc_count"); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *histogramAgg) collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error) {
	counts := map[float64]*termBucket{}
	for _, r := range refs {
		for _, v := range r.doc.Values(a.field) {
			f, ok := v.(float64)
			if !ok {
				continue
			}
			k := math.Floor(f/a.interval) * a.interval
			b := counts[k]
			if b == nil {
				b = &termBucket{}
				counts[k] = b
			}
			b.count++
			b.refs = append(b.refs, r)
		}
	}
	var keys []float64
	if a.minDocCount == 0 && len(counts) > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := range counts {
			lo, hi = math.Min(lo, k), math.Max(hi, k)
		}
		for k := lo; k <= hi && len(keys) <= maxBuckets; k += a.interval {
			keys = append(keys, k)
		}
	} else {
		for k, b := range counts {
			if b.count >= max(1, a.minDocCount) {
				keys = append(keys, k)
			}
		}
		sort.Float64s(keys)
	}
	if err := c.addBuckets(len(keys)); err != nil {
		return nil, err
	}
	list := make([]any, 0, len(keys))
	for _, k := range keys {
		b := counts[k]
		if b == nil {
			b = &termBucket{}
		}
		out, err := bucket(c, b.refs, subs, map[string]any{"key": k, "doc_count": b.count})
		if err != nil {
			return nil, err
		}
		list = append(list, out)
	}
	return map[string]any{"buckets": list}, nil
}

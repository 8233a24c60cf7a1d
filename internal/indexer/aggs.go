package indexer

import (
	"encoding/json"
	"regexp"
	"time"
)

// This file is the typed aggregation DSL, built like query.go: structs whose
// MarshalJSON validates and emits OpenSearch JSON. Results are decoded by
// AggResult (results.go).

// Agg is one aggregation. The set is closed: only the types in this package
// implement it.
type Agg interface {
	json.Marshaler
	aggNode()
}

const (
	maxAggs        = 32
	maxBuckets     = 10000
	maxTopHits     = 100
	maxPrecision   = 40000 // OpenSearch's cap for cardinality precision_threshold
	maxAggNameLen  = 64
	maxOrderLength = 4
)

var (
	aggPathPattern   = regexp.MustCompile(`^[A-Za-z0-9_\-]+([>.][A-Za-z0-9_\-]+)*$`)
	fixedIntervalRe  = regexp.MustCompile(`^[1-9][0-9]{0,5}(ms|s|m|h|d)$`)
	calendarInterval = map[string]bool{
		"minute": true, "1m": true, "hour": true, "1h": true, "day": true, "1d": true,
		"week": true, "1w": true, "month": true, "1M": true, "quarter": true, "1q": true, "year": true, "1y": true,
	}
	timeZonePattern = regexp.MustCompile(`^([A-Za-z_]+(/[A-Za-z_+\-0-9]+)*|[+\-][0-9]{2}:[0-9]{2}|UTC|Z)$`)
)

// BucketOrder orders terms buckets. By is "_count", "_key" or the name (or
// path, "stats.max") of a single-value sub-aggregation.
type BucketOrder struct {
	By   string
	Desc bool
}

// TermsAgg groups documents by the values of a keyword, numeric or ip field.
type TermsAgg struct {
	Field       string
	Size        int  // 0 = OpenSearch default (10); max 10000
	MinDocCount *int // nil = OpenSearch default (1)
	Order       []BucketOrder
	// Missing puts documents without the field into a bucket with this key.
	Missing any
	Aggs    map[string]Agg
}

func (TermsAgg) aggNode() {}

// MarshalJSON emits {"terms":{"field":…,"size":…,"order":[…]},"aggs":{…}}.
func (a TermsAgg) MarshalJSON() ([]byte, error) {
	if err := ValidateField(a.Field); err != nil {
		return nil, err
	}
	body := map[string]any{"field": a.Field}
	if err := setSize(body, "terms "+a.Field, a.Size, maxBuckets); err != nil {
		return nil, err
	}
	if err := setMinDocCount(body, a.MinDocCount); err != nil {
		return nil, err
	}
	if len(a.Order) > 0 {
		order, err := bucketOrder(a.Order)
		if err != nil {
			return nil, err
		}
		body["order"] = order
	}
	if a.Missing != nil {
		v, err := scalar(a.Missing)
		if err != nil {
			return nil, prefixErr("terms "+a.Field+" missing", err)
		}
		body["missing"] = v
	}
	return marshalBucketAgg("terms", body, a.Aggs)
}

// Bounds are the extended_bounds of a date histogram: empty buckets are
// returned from Min to Max when MinDocCount is 0.
type Bounds struct {
	Min, Max time.Time
}

// DateHistogramAgg buckets documents by time. Exactly one of FixedInterval
// ("30m", "1h", "1d") and CalendarInterval ("day", "1w", "month") is set.
// Bucket keys come back as epoch milliseconds; DateHistogram decodes them
// to time.Time.
type DateHistogramAgg struct {
	Field            string
	FixedInterval    string
	CalendarInterval string
	MinDocCount      *int
	ExtendedBounds   *Bounds
	TimeZone         string // optional, e.g. "UTC", "+02:00", "Europe/Madrid"
	Aggs             map[string]Agg
}

func (DateHistogramAgg) aggNode() {}

// MarshalJSON emits {"date_histogram":{"field":…,"fixed_interval":…},"aggs":{…}}.
func (a DateHistogramAgg) MarshalJSON() ([]byte, error) {
	if err := ValidateField(a.Field); err != nil {
		return nil, err
	}
	body := map[string]any{"field": a.Field}
	switch {
	case a.FixedInterval != "" && a.CalendarInterval != "":
		return nil, invalidf("date_histogram %s: set fixed_interval or calendar_interval, not both", a.Field)
	case a.FixedInterval != "":
		if !fixedIntervalRe.MatchString(a.FixedInterval) {
			return nil, invalidf("date_histogram %s: invalid fixed_interval %q (e.g. 30m, 1h, 1d)", a.Field, a.FixedInterval)
		}
		body["fixed_interval"] = a.FixedInterval
	case a.CalendarInterval != "":
		if !calendarInterval[a.CalendarInterval] {
			return nil, invalidf("date_histogram %s: invalid calendar_interval %q (minute, hour, day, week, month, quarter, year)", a.Field, a.CalendarInterval)
		}
		body["calendar_interval"] = a.CalendarInterval
	default:
		return nil, invalidf("date_histogram %s: an interval is required", a.Field)
	}
	if err := setMinDocCount(body, a.MinDocCount); err != nil {
		return nil, err
	}
	if b := a.ExtendedBounds; b != nil {
		if b.Min.IsZero() || b.Max.IsZero() || b.Max.Before(b.Min) {
			return nil, invalidf("date_histogram %s: extended_bounds need min <= max", a.Field)
		}
		// Epoch milliseconds are unambiguous whatever the field's format.
		body["extended_bounds"] = map[string]int64{"min": b.Min.UnixMilli(), "max": b.Max.UnixMilli()}
	}
	if a.TimeZone != "" {
		if len(a.TimeZone) > 64 || !timeZonePattern.MatchString(a.TimeZone) {
			return nil, invalidf("date_histogram %s: invalid time_zone %q", a.Field, a.TimeZone)
		}
		body["time_zone"] = a.TimeZone
	}
	return marshalBucketAgg("date_histogram", body, a.Aggs)
}

// CardinalityAgg counts distinct values (approximate above the precision
// threshold, exact below it).
type CardinalityAgg struct {
	Field              string
	PrecisionThreshold int // 0 = OpenSearch default (3000); max 40000
}

func (CardinalityAgg) aggNode() {}

// MarshalJSON emits {"cardinality":{"field":…,"precision_threshold":…}}.
func (a CardinalityAgg) MarshalJSON() ([]byte, error) {
	if err := ValidateField(a.Field); err != nil {
		return nil, err
	}
	body := map[string]any{"field": a.Field}
	if a.PrecisionThreshold < 0 || a.PrecisionThreshold > maxPrecision {
		return nil, invalidf("cardinality %s: precision_threshold must be 0..%d", a.Field, maxPrecision)
	}
	if a.PrecisionThreshold > 0 {
		body["precision_threshold"] = a.PrecisionThreshold
	}
	return marshalNode("cardinality", body)
}

// ValueCountAgg counts values of a field. Decode with AggResult.Value.
type ValueCountAgg struct{ Field string }

// MinAgg is the minimum of a numeric or date field. Decode with AggResult.Value.
type MinAgg struct{ Field string }

// MaxAgg is the maximum of a numeric or date field. Decode with AggResult.Value.
type MaxAgg struct{ Field string }

// AvgAgg is the mean of a numeric field. Decode with AggResult.Value.
type AvgAgg struct{ Field string }

// SumAgg is the sum of a numeric field. Decode with AggResult.Value.
type SumAgg struct{ Field string }

func (ValueCountAgg) aggNode() {}
func (MinAgg) aggNode()        {}
func (MaxAgg) aggNode()        {}
func (AvgAgg) aggNode()        {}
func (SumAgg) aggNode()        {}

// MarshalJSON emits {"value_count":{"field":…}}.
func (a ValueCountAgg) MarshalJSON() ([]byte, error) { return fieldMetric("value_count", a.Field) }

// MarshalJSON emits {"min":{"field":…}}.
func (a MinAgg) MarshalJSON() ([]byte, error) { return fieldMetric("min", a.Field) }

// MarshalJSON emits {"max":{"field":…}}.
func (a MaxAgg) MarshalJSON() ([]byte, error) { return fieldMetric("max", a.Field) }

// MarshalJSON emits {"avg":{"field":…}}.
func (a AvgAgg) MarshalJSON() ([]byte, error) { return fieldMetric("avg", a.Field) }

// MarshalJSON emits {"sum":{"field":…}}.
func (a SumAgg) MarshalJSON() ([]byte, error) { return fieldMetric("sum", a.Field) }

func fieldMetric(kind, field string) ([]byte, error) {
	if err := ValidateField(field); err != nil {
		return nil, err
	}
	return marshalNode(kind, map[string]any{"field": field})
}

// TopHitsAgg returns the top documents of each bucket (e.g. the latest alert
// per agent). Decode with AggResult.TopHits.
type TopHitsAgg struct {
	Size   int // 0 = OpenSearch default (3); max 100
	Sort   []SortField
	Source []string // _source includes; nil = whole document
}

func (TopHitsAgg) aggNode() {}

// MarshalJSON emits {"top_hits":{"size":…,"sort":[…],"_source":{"includes":[…]}}}.
func (a TopHitsAgg) MarshalJSON() ([]byte, error) {
	body := map[string]any{}
	if err := setSize(body, "top_hits", a.Size, maxTopHits); err != nil {
		return nil, err
	}
	if len(a.Sort) > 0 {
		sort, err := marshalSort(a.Sort)
		if err != nil {
			return nil, err
		}
		body["sort"] = sort
	}
	if a.Source != nil {
		src, err := sourceFilter(a.Source)
		if err != nil {
			return nil, err
		}
		body["_source"] = src
	}
	return marshalNode("top_hits", body)
}

// FilterAgg narrows the documents of its sub-aggregations to Query. Decode
// with AggResult.Filter.
type FilterAgg struct {
	Query Query
	Aggs  map[string]Agg
}

func (FilterAgg) aggNode() {}

// MarshalJSON emits {"filter":<query>,"aggs":{…}}.
func (a FilterAgg) MarshalJSON() ([]byte, error) {
	if a.Query == nil {
		return nil, invalidf("filter aggregation: query is nil")
	}
	q, err := a.Query.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return marshalBucketAgg("filter", json.RawMessage(q), a.Aggs)
}

// marshalBucketAgg emits {kind: body, "aggs": subs} (aggs left out when empty).
func marshalBucketAgg(kind string, body any, subs map[string]Agg) ([]byte, error) {
	out := map[string]any{kind: body}
	if len(subs) > 0 {
		raw, err := marshalAggs(subs)
		if err != nil {
			return nil, err
		}
		out["aggs"] = raw
	}
	return json.Marshal(out)
}

// marshalAggs validates names and marshals each aggregation.
func marshalAggs(aggs map[string]Agg) (map[string]json.RawMessage, error) {
	if len(aggs) > maxAggs {
		return nil, invalidf("too many aggregations (%d, max %d)", len(aggs), maxAggs)
	}
	out := make(map[string]json.RawMessage, len(aggs))
	for name, a := range aggs {
		if err := validateAggName(name); err != nil {
			return nil, err
		}
		if a == nil {
			return nil, invalidf("aggregation %q is nil", name)
		}
		b, err := a.MarshalJSON()
		if err != nil {
			return nil, prefixErr("aggregation "+name, err)
		}
		out[name] = b
	}
	return out, nil
}

func validateAggName(name string) error {
	if name == "" || len(name) > maxAggNameLen || !onlyNameBytes(name, "_-") {
		return invalidf("invalid aggregation name %q: only letters, digits, _ and - are allowed (max %d)", name, maxAggNameLen)
	}
	return nil
}

func bucketOrder(order []BucketOrder) ([]map[string]string, error) {
	if len(order) > maxOrderLength {
		return nil, invalidf("too many order keys (%d, max %d)", len(order), maxOrderLength)
	}
	out := make([]map[string]string, 0, len(order))
	for _, o := range order {
		if o.By != "_count" && o.By != "_key" && (len(o.By) > maxFieldLen || !aggPathPattern.MatchString(o.By)) {
			return nil, invalidf("invalid bucket order %q: use _count, _key or a sub-aggregation name", o.By)
		}
		dir := "asc"
		if o.Desc {
			dir = "desc"
		}
		out = append(out, map[string]string{o.By: dir})
	}
	return out, nil
}

func setSize(body map[string]any, what string, size, max int) error {
	if size < 0 || size > max {
		return invalidf("%s: size must be 0..%d", what, max)
	}
	if size > 0 {
		body["size"] = size
	}
	return nil
}

func setMinDocCount(body map[string]any, n *int) error {
	if n == nil {
		return nil
	}
	if *n < 0 {
		return invalidf("min_doc_count must not be negative")
	}
	body["min_doc_count"] = *n
	return nil
}

// marshalSort validates and marshals sort keys.
func marshalSort(sort []SortField) ([]json.RawMessage, error) {
	if len(sort) > 8 {
		return nil, invalidf("too many sort fields (%d, max 8)", len(sort))
	}
	out := make([]json.RawMessage, 0, len(sort))
	for _, s := range sort {
		b, err := s.MarshalJSON()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// sourceFilter builds {"includes":[…]} after validating each pattern.
func sourceFilter(fields []string) (map[string][]string, error) {
	if len(fields) > 128 {
		return nil, invalidf("too many _source fields (%d, max 128)", len(fields))
	}
	for _, f := range fields {
		if err := validateSourceField(f); err != nil {
			return nil, err
		}
	}
	return map[string][]string{"includes": fields}, nil
}

// Int returns a pointer to n, for MinDocCount.
func Int(n int) *int { return &n }

package search

import (
	"net/http"
	"time"
)

// maxBuckets mirrors search.max_buckets.
const maxBuckets = 65535

// aggSpec is one named aggregation with its sub-aggregations.
type aggSpec struct {
	name string
	typ  string
	agg  aggregator
	subs []*aggSpec
	meta any
}

// aggregator computes one aggregation's result over the docs of its
// context (the query's matches or a parent bucket).
type aggregator interface {
	collect(c *aggCtx, refs []ref, subs []*aggSpec) (map[string]any, error)
}

// aggCtx is request-wide state shared by all aggregations.
type aggCtx struct {
	now     time.Time
	indices []Index
	buckets int // buckets created so far, bounded by maxBuckets
}

func (c *aggCtx) addBuckets(n int) error {
	c.buckets += n
	if c.buckets > maxBuckets {
		return shardFailure(newError(http.StatusBadRequest, "too_many_buckets_exception",
			"Trying to create too many buckets. Must be less than or equal to: [%d] but was [%d]. "+
				"This limit can be set by changing the [search.max_buckets] cluster level setting.", maxBuckets, c.buckets))
	}
	return nil
}

// runAggs computes every spec over refs.
func runAggs(c *aggCtx, refs []ref, specs []*aggSpec) (map[string]any, error) {
	out := make(map[string]any, len(specs))
	for _, s := range specs {
		res, err := s.agg.collect(c, refs, s.subs)
		if err != nil {
			return nil, err
		}
		if s.meta != nil {
			res["meta"] = plainJSON(s.meta)
		}
		out[s.name] = res
	}
	return out, nil
}

// bucket builds a bucket object with its sub-aggregation results merged in.
func bucket(c *aggCtx, refs []ref, subs []*aggSpec, base map[string]any) (map[string]any, error) {
	if len(subs) == 0 {
		return base, nil
	}
	res, err := runAggs(c, refs, subs)
	if err != nil {
		return nil, err
	}
	for k, v := range res {
		base[k] = v
	}
	return base, nil
}

// aggBuilder parses an aggregation body; bucketing says whether it may have
// sub-aggregations.
type aggBuilder struct {
	parse     func(p *queryParser, name string, body object) (aggregator, error)
	bucketing bool
}

func aggBuilders() map[string]aggBuilder {
	return map[string]aggBuilder{
		"terms":          {parseTermsAgg, true},
		"date_histogram": {parseDateHistogram, true},
		"histogram":      {parseHistogram, true},
		"filter":         {parseFilterAgg, true},
		"filters":        {parseFiltersAgg, true},
		"range":          {parseRangeAgg, true},
		"date_range":     {parseDateRangeAgg, true},
		"missing":        {parseMissingAgg, true},
		"cardinality":    {metricParser(newCardinality), false},
		"value_count":    {metricParser(newValueCount), false},
		"min":            {metricParser(newMin), false},
		"max":            {metricParser(newMax), false},
		"avg":            {metricParser(newAvg), false},
		"sum":            {metricParser(newSum), false},
		"stats":          {metricParser(newStats), false},
		"percentiles":    {parsePercentiles, false},
		"top_hits":       {parseTopHits, false},
	}
}

// parseAggs parses an "aggs" object.
func parseAggs(v any, p *queryParser) ([]*aggSpec, error) {
	o, ok := v.(object)
	if !ok {
		return nil, parsingError("Expected [START_OBJECT] under [aggregations], but got a [%s]", tokenName(v))
	}
	builders := aggBuilders()
	specs := make([]*aggSpec, 0, len(o))
	for _, m := range o {
		spec, err := parseAggSpec(p, builders, m.Key, m.Val)
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

func parseAggSpec(p *queryParser, builders map[string]aggBuilder, name string, v any) (*aggSpec, error) {
	body, ok := v.(object)
	if !ok {
		return nil, parsingError("Expected [START_OBJECT] under [%s], but got a [%s] in [%s]", name, tokenName(v), name)
	}
	spec := &aggSpec{name: name}
	var typBody any
	var subsRaw any
	for _, m := range body {
		switch m.Key {
		case "aggs", "aggregations":
			subsRaw = m.Val
		case "meta":
			spec.meta = m.Val
		default:
			if spec.typ != "" {
				return nil, parsingError("Found two aggregation type definitions in [%s]: [%s] and [%s]", name, spec.typ, m.Key)
			}
			spec.typ, typBody = m.Key, m.Val
		}
	}
	if spec.typ == "" {
		return nil, parsingError("Missing definition for aggregation [%s]", name)
	}
	b, ok := builders[spec.typ]
	if !ok {
		return nil, parsingError("Unknown aggregation type [%s] for aggregation [%s]", spec.typ, name)
	}
	typObj, ok := typBody.(object)
	if !ok {
		return nil, parsingError("Expected [START_OBJECT] under [%s], but got a [%s] in [%s]", spec.typ, tokenName(typBody), name)
	}
	var err error
	if spec.agg, err = b.parse(p, name, typObj); err != nil {
		return nil, err
	}
	if subsRaw != nil {
		if !b.bucketing {
			return nil, newError(http.StatusBadRequest, "aggregation_initialization_exception",
				"Aggregator [%s] of type [%s] cannot accept sub-aggregations", name, spec.typ)
		}
		if spec.subs, err = parseAggs(subsRaw, p); err != nil {
			return nil, err
		}
	}
	return spec, nil
}

// aggField reads the mandatory "field" parameter.
func aggField(body object, typ, name string) (string, error) {
	v, ok := body.get("field")
	s, isStr := v.(string)
	if !ok || !isStr || s == "" {
		if _, script := body.get("script"); script {
			return "", illegalArgument("[%s] scripts are not supported by this indexer (aggregation [%s])", typ, name)
		}
		return "", illegalArgument("Required one of fields [field, script], but none were specified. (aggregation [%s])", name)
	}
	return s, nil
}

func checkAggKeys(body object, typ string, allowed ...string) error {
	for _, m := range body {
		found := false
		for _, a := range allowed {
			if a == m.Key {
				found = true
				break
			}
		}
		if !found {
			return parsingError("[%s] unknown field [%s]", typ, m.Key)
		}
	}
	return nil
}

// plainJSON converts decoded request JSON (ordered objects) back into values
// encoding/json renders as objects, for echoing "meta".
func plainJSON(v any) any {
	switch x := v.(type) {
	case object:
		m := make(map[string]any, len(x))
		for _, mem := range x {
			m[mem.Key] = plainJSON(mem.Val)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = plainJSON(el)
		}
		return out
	}
	return v
}

package search

import (
	"encoding/json"
	"strings"
	"time"
)

// MaxResultWindow is index.max_result_window's default.
const MaxResultWindow = 10000

// defaultTrackTotalHits is OpenSearch's default exact-count threshold.
const defaultTrackTotalHits = 10000

// Request is a parsed _search body.
type Request struct {
	Query          Query
	From, Size     int
	Sort           []sortKey
	explicitSort   bool
	noTiebreak     bool // top_hits: never paged with search_after
	SearchAfter    []any
	TrackTotalHits int // -1: do not report; otherwise the exact-count threshold
	TrackScores    bool
	MinScore       *float64
	Source         sourceFilter
	Aggs           []*aggSpec
}

// trackAll is the threshold for track_total_hits: true.
const trackAll = int(^uint(0) >> 1)

// tolerated top-level keys that change nothing in the stand-in.
var toleratedSearchKeys = map[string]bool{
	"timeout": true, "version": true, "seq_no_primary_term": true, "explain": true,
	"stored_fields": true, "docvalue_fields": true, "highlight": true, "terminate_after": true,
	"profile": true, "stats": true, "ext": true, "fields": true, "script_fields": true,
	"indices_boost": true, "_source_includes": true, "_source_excludes": true, "pit": true,
}

// parseRequest parses a _search body (nil or empty means match_all).
func parseRequest(body []byte, now time.Time) (*Request, error) {
	req := &Request{Query: matchAllQuery{boost: 1}, Size: 10, TrackTotalHits: defaultTrackTotalHits,
		Sort: defaultSort()}
	if len(strings.TrimSpace(string(body))) == 0 {
		return req, nil
	}
	v, err := decodeJSON(body, maxJSONDepth)
	if err != nil {
		return nil, parsingError("Failed to parse request body: %s", err.Error())
	}
	o, ok := v.(object)
	if !ok {
		return nil, parsingError("Expected [START_OBJECT] but found [%s]", tokenName(v))
	}
	p := &queryParser{now: now}
	for _, m := range o {
		if err := req.apply(p, m); err != nil {
			return nil, err
		}
	}
	return req, req.validate()
}

func (req *Request) apply(p *queryParser, m member) error {
	var err error
	switch m.Key {
	case "query":
		req.Query, err = p.parse(m.Val)
	case "post_filter":
		var f Query
		if f, err = p.parse(m.Val); err == nil {
			req.Query = &boolQuery{must: []Query{req.Query}, filter: []Query{f}, boost: 1}
		}
	case "size":
		req.Size, err = intOf(m.Val, "size")
	case "from":
		req.From, err = intOf(m.Val, "from")
	case "sort":
		req.Sort, err = parseSort(m.Val, p.now)
		req.explicitSort = true
	case "search_after":
		list, ok := m.Val.([]any)
		if !ok {
			return parsingError("[search_after] must be an array")
		}
		req.SearchAfter = list
	case "track_total_hits":
		req.TrackTotalHits, err = parseTrackTotalHits(m.Val)
	case "track_scores":
		req.TrackScores, err = boolOf(m.Val, "track_scores")
	case "min_score":
		var f float64
		if f, err = floatOf(m.Val, "min_score"); err == nil {
			req.MinScore = &f
		}
	case "_source":
		req.Source, err = parseSourceFilter(m.Val)
	case "aggs", "aggregations":
		req.Aggs, err = parseAggs(m.Val, p)
	default:
		if !toleratedSearchKeys[m.Key] {
			return parsingError("Unknown key for a %s in [%s].", tokenName(m.Val), m.Key)
		}
	}
	return err
}

func parseTrackTotalHits(v any) (int, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return trackAll, nil
		}
		return -1, nil
	case json.Number:
		n, err := intOf(x, "track_total_hits")
		if err != nil {
			return 0, err
		}
		if n < -1 {
			return 0, illegalArgument("[track_total_hits] parameter must be positive or equals to -1, got %d", n)
		}
		return n, nil
	}
	return 0, parsingError("[track_total_hits] expected a boolean or an integer but found [%s]", tokenName(v))
}

func (req *Request) validate() error {
	if req.Size < 0 {
		return illegalArgument("[size] parameter cannot be negative, found [%d]", req.Size)
	}
	if req.From < 0 {
		return illegalArgument("[from] parameter cannot be negative, found [%d]", req.From)
	}
	if req.From+req.Size > MaxResultWindow {
		return shardFailure(illegalArgument("Result window is too large, from + size must be less than or equal to: [%d] but was [%d]. "+
			"See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "+
			"[index.max_result_window] index level setting.", MaxResultWindow, req.From+req.Size))
	}
	if req.SearchAfter != nil {
		if req.From > 0 {
			return illegalArgument("[from] parameter must be set to 0 when [search_after] is used")
		}
		n := len(req.Sort)
		if len(req.SearchAfter) != n && !(req.needsTiebreak() && len(req.SearchAfter) == n+1) {
			return illegalArgument("search_after has %d value(s) but sort has %d.", len(req.SearchAfter), n)
		}
	}
	return nil
}

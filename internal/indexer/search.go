package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Page sizes for SearchAlerts and SearchVulnerabilities.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// searchSpec is one paged search, shared by alerts and vulnerabilities.
type searchSpec struct {
	op         string
	index      string
	query      Query
	size       int
	sort       []SortField // already including the tie-breakers
	after      Cursor
	source     []string
	trackTotal bool
}

// searchBody is the request JSON. Query and sort are pre-marshalled so the
// bytes that are fingerprinted are the bytes that are sent.
type searchBody struct {
	Query          json.RawMessage            `json:"query"`
	Size           int                        `json:"size"`
	Sort           json.RawMessage            `json:"sort,omitempty"`
	SearchAfter    []any                      `json:"search_after,omitempty"`
	Source         map[string][]string        `json:"_source,omitempty"`
	TrackTotalHits *bool                      `json:"track_total_hits,omitempty"`
	Aggs           map[string]json.RawMessage `json:"aggs,omitempty"`
}

// search runs one page. It asks for size+1 hits so that Next is only set
// when another page really exists.
func (c *Client) search(ctx context.Context, s searchSpec) (SearchResult, error) {
	body, fp, err := buildSearchBody(s)
	if err != nil {
		return SearchResult{}, fmt.Errorf("%s: %w", s.op, err)
	}
	raw, noIndex, err := c.postSearch(ctx, s.op, s.index, body)
	if err != nil || noIndex {
		return SearchResult{NoIndex: noIndex, TotalRelation: "eq"}, err
	}
	return pageResult(raw, s.size, fp)
}

// buildSearchBody validates the spec and returns the JSON body and the
// query fingerprint used by cursors.
func buildSearchBody(s searchSpec) ([]byte, string, error) {
	size, err := pageSize(s.size)
	if err != nil {
		return nil, "", err
	}
	qJSON, err := marshalQuery(s.query)
	if err != nil {
		return nil, "", err
	}
	sorts, err := marshalSort(s.sort)
	if err != nil {
		return nil, "", err
	}
	sortJSON, err := json.Marshal(sorts)
	if err != nil {
		return nil, "", err
	}
	fp := fingerprint(s.index, qJSON, sortJSON)
	b := searchBody{Query: qJSON, Size: size + 1, Sort: sortJSON}
	if s.after != "" {
		if b.SearchAfter, err = decodeCursor(s.after, fp, len(s.sort)); err != nil {
			return nil, "", err
		}
	}
	if s.source != nil {
		if b.Source, err = sourceFilter(s.source); err != nil {
			return nil, "", err
		}
	}
	if s.trackTotal {
		b.TrackTotalHits = new(true)
	}
	out, err := json.Marshal(b)
	return out, fp, err
}

func pageSize(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, invalidf("page size must be 1..%d, got %d", MaxPageSize, n)
	}
	return n, nil
}

// pageResult turns a decoded response into a page and its Next cursor.
func pageResult(raw *rawSearchResponse, size int, fp string) (SearchResult, error) {
	size, _ = pageSize(size)
	res := SearchResult{
		Hits:          raw.Hits.hits(),
		TookMS:        raw.Took,
		TotalRelation: "eq",
		NoIndex:       raw.noIndex(),
		TimedOut:      raw.TimedOut,
		FailedShards:  raw.failedShards(),
	}
	if t := raw.Hits.Total; t != nil {
		res.Total, res.TotalRelation = t.Value, t.Relation
	}
	if len(res.Hits) > size {
		res.Hits = res.Hits[:size]
		next, err := encodeCursor(res.Hits[size-1].Sort, fp)
		if err != nil {
			return SearchResult{}, err
		}
		res.Next = next
	}
	return res, nil
}

// aggregate runs a size-0 search with exact totals and the given
// aggregations.
func (c *Client) aggregate(ctx context.Context, op, index string, q Query, aggs map[string]Agg) (int64, AggResult, error) {
	body, err := buildAggBody(q, aggs)
	if err != nil {
		return 0, AggResult{}, fmt.Errorf("%s: %w", op, err)
	}
	raw, noIndex, err := c.postSearch(ctx, op, index, body)
	if err != nil || noIndex {
		return 0, AggResult{NoIndex: noIndex}, err
	}
	res := AggResult{
		aggs:         raw.Aggregations,
		NoIndex:      raw.noIndex(),
		TimedOut:     raw.TimedOut,
		FailedShards: raw.failedShards(),
		TookMS:       raw.Took,
	}
	var total int64
	if raw.Hits.Total != nil {
		total = raw.Hits.Total.Value
	}
	return total, res, nil
}

func buildAggBody(q Query, aggs map[string]Agg) ([]byte, error) {
	qJSON, err := marshalQuery(q)
	if err != nil {
		return nil, err
	}
	aggJSON, err := marshalAggs(aggs)
	if err != nil {
		return nil, err
	}
	// size 0 and track_total_hits true: counts must be exact, never "10000+".
	return json.Marshal(searchBody{Query: qJSON, Size: 0, TrackTotalHits: new(true), Aggs: aggJSON})
}

// postSearch sends a _search. A missing index is not an error: with
// allow_no_indices a pattern that matches nothing answers with zero shards,
// and a 404 index_not_found (a concrete name) is treated the same; both set
// noIndex so callers can say "no alerts index found".
func (c *Client) postSearch(ctx context.Context, op, index string, body []byte) (*rawSearchResponse, bool, error) {
	params := url.Values{}
	params.Set("ignore_unavailable", "true")
	params.Set("allow_no_indices", "true")
	res, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "/" + index + "/_search", params: params, body: body})
	if errors.Is(err, ErrIndexNotFound) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	raw, err := decodeSearch(res.body)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	return raw, false, nil
}

// marshalQuery marshals q (nil = match_all) and returns validation errors
// as they are, not wrapped in json.MarshalerError.
func marshalQuery(q Query) (json.RawMessage, error) {
	if q == nil {
		q = MatchAll{}
	}
	return q.MarshalJSON()
}

// withTieBreakers appends the tie-breaker keys missing from sort, so every
// hit has a unique sort tuple and search_after never skips or repeats one.
func withTieBreakers(sort, defaults, tieBreakers []SortField) []SortField {
	if len(sort) == 0 {
		sort = defaults
	}
	out := append([]SortField(nil), sort...)
	for _, tb := range tieBreakers {
		found := false
		for _, s := range out {
			if s.Field == tb.Field {
				found = true
				break
			}
		}
		if !found {
			out = append(out, tb)
		}
	}
	return out
}

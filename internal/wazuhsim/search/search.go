package search

import (
	"context"
	"math"
	"sort"
	"time"
)

// ref is a matching document: its index (position in the searched list),
// its global index-order ordinal (for _doc and stable ties) and score.
type ref struct {
	doc   Doc
	score float64
	ord   int
	ix    int32
}

// SearchResponse is the _search answer, shaped exactly like OpenSearch 2.x.
type SearchResponse struct {
	Took         int64          `json:"took"`
	TimedOut     bool           `json:"timed_out"`
	Shards       ShardsInfo     `json:"_shards"`
	Hits         HitsInfo       `json:"hits"`
	Aggregations map[string]any `json:"aggregations,omitempty"`
}

// ShardsInfo is the _shards block; every stand-in index is one shard.
type ShardsInfo struct {
	Total      int `json:"total"`
	Successful int `json:"successful"`
	Skipped    int `json:"skipped"`
	Failed     int `json:"failed"`
}

// HitsInfo is the hits block. Total is omitted for track_total_hits: false.
type HitsInfo struct {
	Total    *TotalHits `json:"total,omitempty"`
	MaxScore *float64   `json:"max_score"`
	Hits     []Hit      `json:"hits"`
}

// TotalHits is hits.total; Relation is "eq" or "gte".
type TotalHits struct {
	Value    int    `json:"value"`
	Relation string `json:"relation"`
}

// Hit is one returned document.
type Hit struct {
	Index  string   `json:"_index"`
	ID     string   `json:"_id"`
	Score  *float64 `json:"_score"`
	Source any      `json:"_source,omitempty"`
	Sort   []any    `json:"sort,omitempty"`
}

// ctxCheckEvery is how many documents are evaluated between cancellation
// checks.
const ctxCheckEvery = 8192

// Search runs a _search body over indices; now anchors date math. Errors are
// *Error values carrying the HTTP status and OpenSearch error body.
func Search(ctx context.Context, indices []Index, body []byte, now time.Time) (*SearchResponse, error) {
	req, err := parseRequest(body, now)
	if err != nil {
		return nil, err
	}
	return execute(ctx, indices, req, now)
}

// execute runs a parsed request.
func execute(ctx context.Context, indices []Index, req *Request, now time.Time) (*SearchResponse, error) {
	start := time.Now()
	refs, timedOut := collect(ctx, indices, req.Query, req.MinScore)
	resp := &SearchResponse{
		TimedOut: timedOut,
		Shards:   ShardsInfo{Total: len(indices), Successful: len(indices)},
		Hits:     HitsInfo{Total: totalHits(len(refs), req.TrackTotalHits), Hits: []Hit{}},
	}
	var err error
	if len(req.Aggs) > 0 {
		c := &aggCtx{now: now, indices: indices}
		if resp.Aggregations, err = runAggs(c, refs, req.Aggs); err != nil {
			return nil, err
		}
	}
	if resp.Hits.Hits, resp.Hits.MaxScore, err = pageHits(indices, refs, req); err != nil {
		return nil, err
	}
	resp.Took = time.Since(start).Milliseconds()
	return resp, nil
}

// Count runs a _count body ({"query": ...} or empty) over indices.
func Count(ctx context.Context, indices []Index, body []byte, now time.Time) (int, error) {
	req, err := parseRequest(body, now)
	if err != nil {
		return 0, err
	}
	if req.Size != 10 || req.From != 0 || req.explicitSort || len(req.Aggs) > 0 {
		return 0, parsingError("request does not support [%s]", "size, from, sort or aggregations")
	}
	refs, _ := collect(ctx, indices, req.Query, nil)
	return len(refs), nil
}

func totalHits(n, track int) *TotalHits {
	switch {
	case track < 0:
		return nil
	case n > track:
		return &TotalHits{Value: track, Relation: "gte"}
	}
	return &TotalHits{Value: n, Relation: "eq"}
}

// collect evaluates q over every index, narrowing time-sorted indices to the
// query's top-level time range by binary search first.
func collect(ctx context.Context, indices []Index, q Query, minScore *float64) ([]ref, bool) {
	type plan struct {
		lo, hi int
		q      Query
	}
	plans := make([]plan, len(indices))
	narrowed := map[string]struct { // per time field: span and the query without it
		s  span
		q  Query
		ok bool
	}{}
	total := 0
	for ix, idx := range indices {
		plans[ix] = plan{0, len(idx.Docs), q}
		if idx.TimeField != "" && idx.TimeOf != nil {
			n, seen := narrowed[idx.TimeField]
			if !seen {
				n.s, n.q, n.ok = timeSpan(q, idx.TimeField)
				narrowed[idx.TimeField] = n
			}
			if n.ok {
				lo, hi := n.s.narrow(idx)
				plans[ix] = plan{lo, hi, n.q}
			}
		}
		total += plans[ix].hi - plans[ix].lo
	}
	refs := make([]ref, 0, min(total, 1<<16)) // bounded: a selective query over 1M docs keeps few
	base := 0
	for ix, idx := range indices {
		p := plans[ix]
		for pos := p.lo; pos < p.hi; pos++ {
			if (pos-p.lo)%ctxCheckEvery == ctxCheckEvery-1 && ctx.Err() != nil {
				return refs, true
			}
			d := idx.Docs[pos]
			ok, score := p.q.eval(d)
			if !ok || (minScore != nil && score < *minScore) {
				continue
			}
			refs = append(refs, ref{doc: d, score: score, ord: base + pos, ix: int32(ix)})
		}
		base += len(idx.Docs)
	}
	return refs, false
}

// span is a time interval in epoch millis; unset ends are open.
type span struct {
	lo, hi         int64
	loIncl, hiIncl bool
}

func openSpan() span { return span{lo: math.MinInt64, hi: math.MaxInt64, loIncl: true, hiIncl: true} }

// timeSpan derives the range every match must fall in from range clauses on
// field that are required at the top level (the query itself, or must and
// filter clauses of top-level bools, recursively). It also returns the query
// with those clauses replaced by match_all: binary search over the sorted
// index enforces them exactly, so evaluating them again per document (one
// Values call each) would only cost time.
func timeSpan(q Query, field string) (span, Query, bool) {
	s, found := openSpan(), false
	var strip func(q Query) Query
	strip = func(q Query) Query {
		switch x := q.(type) {
		case *boolQuery:
			c := *x
			c.must = stripAll(x.must, strip)
			c.filter = stripAll(x.filter, strip)
			return &c
		case constantScoreQuery:
			return constantScoreQuery{filter: strip(x.filter), boost: x.boost}
		case *fieldQuery:
			l, ok := x.leaf.(rangeLeaf)
			if ok && len(x.fields) == 1 && !x.fields[0].wildcard && x.fields[0].name == field && s.intersect(l) {
				found = true
				return matchAllQuery{boost: x.boost * x.fields[0].boost}
			}
		}
		return q
	}
	stripped := strip(q)
	return s, stripped, found
}

func stripAll(qs []Query, strip func(Query) Query) []Query {
	out := make([]Query, len(qs))
	for i, q := range qs {
		out[i] = strip(q)
	}
	return out
}

// intersect narrows s by a range leaf whose bounds parsed as dates.
func (s *span) intersect(l rangeLeaf) bool {
	if (l.lo.set && !l.lo.isDate) || (l.hi.set && !l.hi.isDate) {
		return false
	}
	if l.lo.set && (l.lo.ms > s.lo || (l.lo.ms == s.lo && !l.lo.inclusive)) {
		s.lo, s.loIncl = l.lo.ms, l.lo.inclusive
	}
	if l.hi.set && (l.hi.ms < s.hi || (l.hi.ms == s.hi && !l.hi.inclusive)) {
		s.hi, s.hiIncl = l.hi.ms, l.hi.inclusive
	}
	return l.lo.set || l.hi.set
}

// narrow returns the [lo, hi) slice of idx.Docs inside the span.
func (s span) narrow(idx Index) (int, int) {
	ms := func(i int) int64 { return idx.TimeOf(idx.Docs[i]).UnixMilli() }
	n := len(idx.Docs)
	lo := sort.Search(n, func(i int) bool {
		if s.loIncl {
			return ms(i) >= s.lo
		}
		return ms(i) > s.lo
	})
	hi := sort.Search(n, func(i int) bool {
		if s.hiIncl {
			return ms(i) > s.hi
		}
		return ms(i) >= s.hi
	})
	return lo, max(lo, hi)
}

// pageHits sorts the matches, applies search_after and from/size, and
// renders hits. The second result is max_score (nil when not scoring).
func pageHits(indices []Index, refs []ref, req *Request) ([]Hit, *float64, error) {
	scoring := req.TrackScores || sortsByScore(req.Sort)
	var maxScore *float64
	if scoring && len(refs) > 0 && req.Size > 0 {
		m := math.Inf(-1)
		for _, r := range refs {
			m = math.Max(m, r.score)
		}
		maxScore = &m
	}
	if req.Size == 0 || len(refs) == 0 {
		return []Hit{}, maxScore, nil
	}
	cands, err := candidates(refs, req)
	if err != nil {
		return nil, nil, err
	}
	s := sorter{keys: req.Sort, tiebreak: req.needsTiebreak()}
	if req.SearchAfter != nil {
		if cands, err = afterFilter(s, cands, req); err != nil {
			return nil, nil, err
		}
	}
	page := s.topN(cands, req.From+req.Size)
	if req.From >= len(page) {
		return []Hit{}, maxScore, nil
	}
	page = page[req.From:]
	hits := make([]Hit, 0, len(page))
	for i := range page {
		hits = append(hits, renderHit(indices, &page[i], req, scoring, s.tiebreak))
	}
	return hits, maxScore, nil
}

func sortsByScore(keys []sortKey) bool {
	for _, k := range keys {
		if k.kind == sortScore {
			return true
		}
	}
	return false
}

func candidates(refs []ref, req *Request) ([]candidate, error) {
	nk := len(req.Sort)
	flat := make([]sortVal, len(refs)*nk)
	cands := make([]candidate, len(refs))
	for i, r := range refs {
		vals := flat[i*nk : (i+1)*nk : (i+1)*nk]
		for j, k := range req.Sort {
			v, text := k.value(r, r.score, r.ord)
			if text {
				return nil, errTextField(k.field)
			}
			vals[j] = v
		}
		cands[i] = candidate{r: r, score: r.score, ordinal: r.ord, vals: vals}
	}
	return cands, nil
}

func afterFilter(s sorter, cands []candidate, req *Request) ([]candidate, error) {
	after := make([]sortVal, len(req.SearchAfter))
	for i, v := range req.SearchAfter {
		sv, ok := afterValue(v, time.Time{})
		if !ok {
			return nil, parsingError("[search_after] values must be scalars")
		}
		after[i] = sv
	}
	out := cands[:0]
	for i := range cands {
		if s.afterPoint(&cands[i], after) {
			out = append(out, cands[i])
		}
	}
	return out, nil
}

func renderHit(indices []Index, c *candidate, req *Request, scoring, tiebreak bool) Hit {
	h := Hit{Index: indices[c.r.ix].Name, ID: c.r.doc.ID(), Source: req.Source.apply(c.r.doc.Source())}
	if scoring {
		s := c.score
		h.Score = &s
	}
	if req.explicitSort {
		h.Sort = make([]any, 0, len(c.vals)+1)
		for _, v := range c.vals {
			h.Sort = append(h.Sort, v.json())
		}
		if tiebreak {
			h.Sort = append(h.Sort, c.r.doc.ID())
		}
	}
	return h
}

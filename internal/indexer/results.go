package indexer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Hit is one document of a search result.
type Hit struct {
	Index  string
	ID     string
	Source json.RawMessage
	// Sort are the hit's sort values as OpenSearch returned them; numbers
	// are json.Number so epoch-millisecond and long values stay exact.
	Sort []any
}

// SearchResult is one page of documents.
type SearchResult struct {
	Hits          []Hit
	Total         int64
	TotalRelation string // "eq", or "gte" when OpenSearch stopped counting (TrackTotalHits false)
	// Next is the cursor for the following page; empty when there is none.
	Next   Cursor
	TookMS int
	// NoIndex is set when no index matches the pattern (a fresh deployment
	// has no alerts index until the first alert): the result is empty and
	// callers should say "no alerts index found" rather than "no alerts".
	NoIndex bool
	// TimedOut and FailedShards report partial results: when either is set
	// the hits and totals cover only part of the data.
	TimedOut     bool
	FailedShards int
}

// Bucket is one terms bucket.
type Bucket struct {
	// Key is the bucket key as a string; numeric keys are formatted as
	// decimals without a trailing ".0" ("10", "6.5").
	Key string
	// KeyNum is set when the key is numeric (long, double, boolean fields).
	KeyNum *float64
	// KeyAsString is OpenSearch's formatted key when it sends one (booleans:
	// "true"/"false"; dates).
	KeyAsString string
	DocCount    int64
	Sub         AggResult
}

// DateBucket is one date_histogram bucket.
type DateBucket struct {
	Key         time.Time // bucket start, UTC
	KeyAsString string
	DocCount    int64
	Sub         AggResult
}

// AggResult holds decoded aggregations by name. Accessors decode lazily and
// fail when the named aggregation has another shape, so a typo surfaces as
// an error instead of as an empty chart.
type AggResult struct {
	aggs map[string]json.RawMessage
	// NoIndex, TimedOut and FailedShards mirror SearchResult; they are set on
	// the top-level result only. With NoIndex every accessor returns empty
	// values and no error.
	NoIndex      bool
	TimedOut     bool
	FailedShards int
	TookMS       int
}

// Names lists the aggregation names present, sorted.
func (r AggResult) Names() []string {
	names := make([]string, 0, len(r.aggs))
	for n := range r.aggs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Raw returns the undecoded JSON of an aggregation (nil when absent), for
// shapes this package has no accessor for.
func (r AggResult) Raw(name string) json.RawMessage { return r.aggs[name] }

// lookup returns the aggregation's JSON; ok=false with a nil error means
// "absent because there was no index", which accessors treat as empty.
func (r AggResult) lookup(name string) (json.RawMessage, bool, error) {
	raw, ok := r.aggs[name]
	if ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return raw, true, nil
	}
	if r.NoIndex {
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("aggregation %q is not in the indexer response", name)
}

// Terms decodes a terms aggregation: its buckets and sum_other_doc_count
// (documents in buckets beyond Size).
func (r AggResult) Terms(name string) ([]Bucket, int64, error) {
	raw, ok, err := r.lookup(name)
	if !ok {
		return nil, 0, err
	}
	var body struct {
		SumOther *int64            `json:"sum_other_doc_count"`
		Buckets  []json.RawMessage `json:"buckets"`
	}
	if err := decodeValue(raw, &body); err != nil || body.Buckets == nil {
		return nil, 0, fmt.Errorf("aggregation %q is not a terms aggregation", name)
	}
	out := make([]Bucket, 0, len(body.Buckets))
	for _, b := range body.Buckets {
		bucket, err := decodeBucket(b)
		if err != nil {
			return nil, 0, fmt.Errorf("aggregation %q: %w", name, err)
		}
		out = append(out, bucket)
	}
	var other int64
	if body.SumOther != nil {
		other = *body.SumOther
	}
	return out, other, nil
}

// DateHistogram decodes a date_histogram aggregation. Keys are epoch
// milliseconds in the response and become UTC times.
func (r AggResult) DateHistogram(name string) ([]DateBucket, error) {
	raw, ok, err := r.lookup(name)
	if !ok {
		return nil, err
	}
	var body struct {
		Buckets []json.RawMessage `json:"buckets"`
	}
	if err := decodeValue(raw, &body); err != nil || body.Buckets == nil {
		return nil, fmt.Errorf("aggregation %q is not a date_histogram aggregation", name)
	}
	out := make([]DateBucket, 0, len(body.Buckets))
	for _, b := range body.Buckets {
		bucket, err := decodeBucket(b)
		if err != nil {
			return nil, fmt.Errorf("aggregation %q: %w", name, err)
		}
		if bucket.KeyNum == nil {
			return nil, fmt.Errorf("aggregation %q: date bucket key %q is not epoch milliseconds", name, bucket.Key)
		}
		ms, err := strconv.ParseInt(bucket.Key, 10, 64)
		if err != nil {
			ms = int64(*bucket.KeyNum)
		}
		out = append(out, DateBucket{
			Key:         time.UnixMilli(ms).UTC(),
			KeyAsString: bucket.KeyAsString,
			DocCount:    bucket.DocCount,
			Sub:         bucket.Sub,
		})
	}
	return out, nil
}

// Cardinality decodes a cardinality aggregation.
func (r AggResult) Cardinality(name string) (int64, error) {
	v, err := r.Value(name)
	if err != nil || v == nil {
		return 0, err
	}
	return int64(*v), nil
}

// Value decodes a single-value metric (min, max, avg, sum, value_count,
// cardinality). It is nil when OpenSearch returned null (no documents).
func (r AggResult) Value(name string) (*float64, error) {
	raw, ok, err := r.lookup(name)
	if !ok {
		return nil, err
	}
	var body map[string]json.RawMessage
	if err := decodeValue(raw, &body); err != nil {
		return nil, fmt.Errorf("aggregation %q is not a single-value metric", name)
	}
	value, ok := body["value"]
	if !ok {
		return nil, fmt.Errorf("aggregation %q is not a single-value metric", name)
	}
	var n *json.Number
	if err := decodeValue(value, &n); err != nil {
		return nil, fmt.Errorf("aggregation %q: value is not a number", name)
	}
	if n == nil {
		return nil, nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil, fmt.Errorf("aggregation %q: value %q is not a number", name, n.String())
	}
	return &f, nil
}

// TopHits decodes a top_hits aggregation.
func (r AggResult) TopHits(name string) ([]Hit, error) {
	raw, ok, err := r.lookup(name)
	if !ok {
		return nil, err
	}
	var fast struct {
		Hits *fastHits `json:"hits"`
	}
	if decodeValue(raw, &fast) == nil && fast.Hits != nil {
		if h, ok := fast.Hits.rawHits(); ok {
			return h.hits(), nil
		}
	}
	var body struct {
		Hits *rawHits `json:"hits"`
	}
	if err := unmarshalNumber(raw, &body); err != nil || body.Hits == nil {
		return nil, fmt.Errorf("aggregation %q is not a top_hits aggregation", name)
	}
	return body.Hits.hits(), nil
}

// Filter decodes a filter aggregation: its document count and the
// sub-aggregations.
func (r AggResult) Filter(name string) (int64, AggResult, error) {
	raw, ok, err := r.lookup(name)
	if !ok {
		return 0, AggResult{NoIndex: r.NoIndex}, err
	}
	var fields map[string]json.RawMessage
	if err := decodeValue(raw, &fields); err != nil {
		return 0, AggResult{}, fmt.Errorf("aggregation %q is not a filter aggregation", name)
	}
	var count int64
	if err := json.Unmarshal(fields["doc_count"], &count); err != nil {
		return 0, AggResult{}, fmt.Errorf("aggregation %q is not a filter aggregation", name)
	}
	return count, AggResult{aggs: subAggs(fields)}, nil
}

// bucketKeys are the fields of a bucket that are not sub-aggregations.
var bucketKeys = map[string]bool{"key": true, "key_as_string": true, "doc_count": true, "doc_count_error_upper_bound": true}

// decodeBucket reads key, doc_count and the sub-aggregations of a bucket.
func decodeBucket(raw json.RawMessage) (Bucket, error) {
	var fields map[string]json.RawMessage
	if err := decodeValue(raw, &fields); err != nil {
		return Bucket{}, fmt.Errorf("bad bucket: %w", err)
	}
	var b Bucket
	if err := decodeKey(fields["key"], &b); err != nil {
		return Bucket{}, err
	}
	if ks, ok := fields["key_as_string"]; ok {
		_ = json.Unmarshal(ks, &b.KeyAsString)
	}
	if err := json.Unmarshal(fields["doc_count"], &b.DocCount); err != nil {
		return Bucket{}, fmt.Errorf("bucket %q: bad doc_count", b.Key)
	}
	b.Sub = AggResult{aggs: subAggs(fields)}
	return b, nil
}

// decodeKey fills Key (and KeyNum for numbers). Numbers keep their exact
// integer digits; fractional ones use the shortest decimal form.
func decodeKey(raw json.RawMessage, b *Bucket) error {
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '"' { // the common keyword key
		return decodeValue(t, &b.Key)
	}
	var key any
	if err := unmarshalNumber(raw, &key); err != nil {
		return fmt.Errorf("bad bucket key: %w", err)
	}
	switch k := key.(type) {
	case string:
		b.Key = k
	case json.Number:
		f, err := k.Float64()
		if err != nil {
			return fmt.Errorf("bad bucket key %q", k.String())
		}
		b.KeyNum = &f
		b.Key = formatNumber(k)
	case bool:
		b.Key = strconv.FormatBool(k)
	default:
		return fmt.Errorf("bucket key has unsupported type %T", key)
	}
	return nil
}

// formatNumber renders n as a plain decimal: "10" for 10 and 10.0, "6.5".
func formatNumber(n json.Number) string {
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return strconv.FormatInt(i, 10)
	}
	f, err := n.Float64()
	if err != nil {
		return n.String()
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// subAggs keeps the object-valued fields of a bucket: those are its
// sub-aggregations.
func subAggs(fields map[string]json.RawMessage) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range fields {
		if bucketKeys[k] {
			continue
		}
		if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '{' {
			continue
		}
		if out == nil {
			out = make(map[string]json.RawMessage)
		}
		out[k] = v
	}
	return out
}

// rawSearchResponse is the part of an OpenSearch search response we read.
type rawSearchResponse struct {
	Took     int  `json:"took"`
	TimedOut bool `json:"timed_out"`
	Shards   *struct {
		Total  int `json:"total"`
		Failed int `json:"failed"`
	} `json:"_shards"`
	Hits         rawHits                    `json:"hits"`
	Aggregations map[string]json.RawMessage `json:"aggregations"`
}

type rawHits struct {
	Total *rawTotal `json:"total"`
	Hits  []rawHit  `json:"hits"`
}

type rawHit struct {
	Index  string          `json:"_index"`
	ID     string          `json:"_id"`
	Source json.RawMessage `json:"_source"`
	Sort   []any           `json:"sort"`
}

// fastHits is rawHits with the sort values kept raw, so that the hits can
// be decoded with json.Unmarshal (no UseNumber, no Decoder buffer) and only
// the few sort values with UseNumber.
type fastHits struct {
	Total *rawTotal `json:"total"`
	Hits  []struct {
		Index  string            `json:"_index"`
		ID     string            `json:"_id"`
		Source json.RawMessage   `json:"_source"`
		Sort   []json.RawMessage `json:"sort"`
	} `json:"hits"`
}

// rawHits converts h, decoding each sort value as unmarshalNumber would have
// decoded it in place; ok is false when one does not decode.
func (h *fastHits) rawHits() (rawHits, bool) {
	out := rawHits{Total: h.Total}
	if h.Hits != nil {
		out.Hits = make([]rawHit, len(h.Hits))
	}
	for i, x := range h.Hits {
		out.Hits[i] = rawHit{Index: x.Index, ID: x.ID, Source: x.Source}
		if x.Sort == nil {
			continue
		}
		out.Hits[i].Sort = make([]any, len(x.Sort))
		for j, v := range x.Sort {
			val, ok := sortValue(v)
			if !ok {
				return rawHits{}, false
			}
			out.Hits[i].Sort[j] = val
		}
	}
	return out, true
}

func (h *rawHits) hits() []Hit {
	out := make([]Hit, 0, len(h.Hits))
	for _, x := range h.Hits {
		out = append(out, Hit{Index: x.Index, ID: x.ID, Source: x.Source, Sort: x.Sort})
	}
	return out
}

// sortValue decodes one sort value (a valid JSON value) as the UseNumber
// decoder does: numbers become json.Number with their exact digits.
func sortValue(v json.RawMessage) (any, bool) {
	if len(v) == 0 {
		return nil, false
	}
	switch c := v[0]; {
	case c == '-' || (c >= '0' && c <= '9'):
		return json.Number(v), true
	case c == '"':
		var s string
		return s, json.Unmarshal(v, &s) == nil
	case string(v) == "null":
		return nil, true
	case string(v) == "true":
		return true, true
	case string(v) == "false":
		return false, true
	}
	var x any
	return x, unmarshalNumber(v, &x) == nil
}

// rawTotal accepts both {"value":N,"relation":"eq"} and a bare number
// (rest_total_hits_as_int, older servers).
type rawTotal struct {
	Value    int64
	Relation string
}

func (t *rawTotal) UnmarshalJSON(b []byte) error {
	var n int64
	// An object (the usual form) is not tried as a number: building that
	// error cost more than decoding the object.
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] != '{' {
		if err := json.Unmarshal(b, &n); err == nil {
			t.Value, t.Relation = n, "eq"
			return nil
		}
	}
	var obj struct {
		Value    int64  `json:"value"`
		Relation string `json:"relation"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("bad hits.total: %w", err)
	}
	t.Value, t.Relation = obj.Value, obj.Relation
	if t.Relation == "" {
		t.Relation = "eq"
	}
	return nil
}

// noIndex reports whether the response searched zero shards: with
// allow_no_indices a pattern that matches nothing answers that way.
func (r *rawSearchResponse) noIndex() bool {
	return r.Shards != nil && r.Shards.Total == 0
}

func (r *rawSearchResponse) failedShards() int {
	if r.Shards == nil {
		return 0
	}
	return r.Shards.Failed
}

// fastSearchResponse is rawSearchResponse with fastHits.
type fastSearchResponse struct {
	Took     int  `json:"took"`
	TimedOut bool `json:"timed_out"`
	Shards   *struct {
		Total  int `json:"total"`
		Failed int `json:"failed"`
	} `json:"_shards"`
	Hits         fastHits                   `json:"hits"`
	Aggregations map[string]json.RawMessage `json:"aggregations"`
}

// decodeSearch parses a search response body, keeping numbers exact.
// A well-formed body is decoded in place (json.Unmarshal); anything it
// refuses (trailing data, a type mismatch) is decoded again by the
// UseNumber decoder, which decides what is accepted and what the error says.
func decodeSearch(body []byte) (*rawSearchResponse, error) {
	var f fastSearchResponse
	if json.Unmarshal(body, &f) == nil {
		if hits, ok := f.Hits.rawHits(); ok {
			return &rawSearchResponse{Took: f.Took, TimedOut: f.TimedOut, Shards: f.Shards, Hits: hits, Aggregations: f.Aggregations}, nil
		}
	}
	var r rawSearchResponse
	if err := unmarshalNumber(body, &r); err != nil {
		return nil, fmt.Errorf("decode indexer search response: %w", err)
	}
	return &r, nil
}

// decodeValue decodes one JSON value cut from an already decoded response
// into v, which holds no interface values: there UseNumber changes nothing
// and json.Unmarshal gives what unmarshalNumber gives, without copying the
// input into a decoder's buffer.
func decodeValue(raw []byte, v any) error {
	return json.Unmarshal(raw, v)
}

// unmarshalNumber is json.Unmarshal with UseNumber.
func unmarshalNumber(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

package indexer

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
)

// Cursor is an opaque page token: base64url of JSON holding the last hit's
// sort values and a fingerprint of the query it belongs to. Tools hand it to
// the model and take it back verbatim.
//
// A cursor is not an authorization token: anyone can build one. That is
// harmless because decoding only yields scalar sort values for search_after
// of the very query the caller is running (checked by the fingerprint); the
// checksum only catches corruption (truncated or edited tokens).
type Cursor string

const (
	cursorVersion   = 1
	maxCursorLen    = 4096
	maxCursorString = 1024
)

// cursorPayload is the JSON inside a Cursor. Short keys keep tokens small.
type cursorPayload struct {
	V int    `json:"v"`
	S []any  `json:"s"` // sort values of the last hit of the page
	F string `json:"f"` // fingerprint of index, query and sort
	C string `json:"c"` // checksum of S and F
}

// fingerprint identifies a query for cursor matching: the index pattern and
// the exact marshalled query and sort. Page size and _source are left out
// on purpose: changing them between pages is fine.
func fingerprint(index string, query, sort []byte) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(index), query, sort} {
		h.Write(part)
		h.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}

func checksum(sortJSON []byte, fp string) string {
	h := sha256.New()
	h.Write(sortJSON)
	h.Write([]byte{0})
	h.Write([]byte(fp))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:6])
}

// encodeCursor builds the cursor that resumes after a hit with sort values
// sortValues.
func encodeCursor(sortValues []any, fp string) (Cursor, error) {
	if len(sortValues) == 0 {
		return "", nil
	}
	sortJSON, err := json.Marshal(sortValues)
	if err != nil {
		return "", cursorErrorf("encode cursor: %v", err)
	}
	b, err := json.Marshal(cursorPayload{V: cursorVersion, S: sortValues, F: fp, C: checksum(sortJSON, fp)})
	if err != nil {
		return "", cursorErrorf("encode cursor: %v", err)
	}
	return Cursor(base64.RawURLEncoding.EncodeToString(b)), nil
}

// decodeCursor validates c and returns its sort values. fp is the
// fingerprint of the query being run and nSort its number of sort keys.
func decodeCursor(c Cursor, fp string, nSort int) ([]any, error) {
	if len(c) > maxCursorLen {
		return nil, cursorErrorf("invalid cursor: too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(string(c))
	if err != nil {
		return nil, cursorErrorf("invalid cursor: not a cursor from a previous page (bad encoding)")
	}
	p, err := parsePayload(raw)
	if err != nil {
		return nil, err
	}
	sortJSON, err := json.Marshal(p.S)
	if err != nil || p.C != checksum(sortJSON, p.F) {
		return nil, cursorErrorf("invalid cursor: it was modified or truncated")
	}
	if p.F != fp {
		return nil, cursorErrorf("cursor does not match this query: pass the same filters and sort as the call that returned it, or drop the cursor to start over")
	}
	// One extra value is accepted: servers that add an implicit tie-breaker
	// (OpenSearch's _shard_doc with a point in time, the stand-in's _id)
	// return it in hit.sort and expect it back in search_after.
	if len(p.S) != nSort && len(p.S) != nSort+1 {
		return nil, cursorErrorf("invalid cursor: it has %d sort values, this query sorts on %d fields", len(p.S), nSort)
	}
	return p.S, nil
}

// parsePayload decodes the cursor JSON strictly: known keys only, one value,
// version 1, and scalar sort values.
func parsePayload(raw []byte) (cursorPayload, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var p cursorPayload
	if err := dec.Decode(&p); err != nil {
		return p, cursorErrorf("invalid cursor: not a cursor from a previous page")
	}
	if _, err := dec.Token(); err != io.EOF {
		return p, cursorErrorf("invalid cursor: trailing data")
	}
	if p.V != cursorVersion {
		return p, cursorErrorf("invalid cursor: unsupported version %d", p.V)
	}
	if len(p.S) == 0 || len(p.S) > 9 {
		return p, cursorErrorf("invalid cursor: bad sort values")
	}
	for _, v := range p.S {
		if !cursorScalar(v) {
			return p, cursorErrorf("invalid cursor: bad sort value")
		}
	}
	return p, nil
}

// cursorScalar accepts what OpenSearch returns as sort values: numbers,
// strings (keyword fields), booleans and null (missing values).
func cursorScalar(v any) bool {
	switch x := v.(type) {
	case nil, bool, json.Number:
		return true
	case string:
		return len(x) <= maxCursorString
	}
	return false
}

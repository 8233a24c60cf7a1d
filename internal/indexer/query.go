package indexer

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the typed OpenSearch query DSL. Every node is a Go struct whose
// MarshalJSON validates it and emits the OpenSearch JSON through
// encoding/json, so a user value can only ever become a JSON value — never a
// key, never structure. Field names are the only strings that become JSON
// keys, and they are checked by ValidateField first.

// Query is one node of the query DSL. The set is closed: only the types in
// this package implement it.
type Query interface {
	json.Marshaler
	queryNode()
}

const (
	maxFieldLen  = 256
	maxValueLen  = 4096
	maxListLen   = 1024
	maxQueryText = 1024
)

// TimeFormat is how time.Time values are sent: RFC 3339 in UTC with
// milliseconds, which the alerts "timestamp" field (format
// date_optional_time||epoch_millis) and the vulnerability date fields accept.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

var (
	boostedFieldRegexp = regexp.MustCompile(`^[A-Za-z0-9_@.*\-]+(\^[0-9]{1,3}(\.[0-9]{1,3})?)?$`)
	dateFormatPattern  = regexp.MustCompile(`^[A-Za-z0-9_|:.\-' ]{1,64}$`)
)

// ValidateField reports whether name is an acceptable field name: letters,
// digits, _ @ . - only, at most 256 bytes.
func ValidateField(name string) error {
	if name == "" {
		return invalidf("empty field name")
	}
	if len(name) > maxFieldLen {
		return invalidf("field name too long (%d bytes, max %d)", len(name), maxFieldLen)
	}
	if !onlyNameBytes(name, "_@.-") {
		return invalidf("invalid field name %q: only letters, digits and _ @ . - are allowed", name)
	}
	return nil
}

// validateSourceField is ValidateField plus the * wildcard that _source
// filtering and multi_match field lists accept.
func validateSourceField(name string) error {
	if name == "" || len(name) > maxFieldLen || !onlyNameBytes(name, "_@.*-") {
		return invalidf("invalid field pattern %q: only letters, digits, * and _ @ . - are allowed", name)
	}
	return nil
}

// validateText checks a free string value: valid UTF-8, bounded, no NUL.
// Anything else is legal because it is sent as a JSON string.
func validateText(what, s string, max int) error {
	if len(s) > max {
		return invalidf("%s too long (%d bytes, max %d)", what, len(s), max)
	}
	if !utf8.ValidString(s) {
		return invalidf("%s is not valid UTF-8", what)
	}
	if strings.ContainsRune(s, 0) {
		return invalidf("%s contains a NUL character", what)
	}
	return nil
}

// scalar turns a Go value into a JSON-safe scalar: strings, booleans, finite
// numbers, json.Number and time.Time (formatted with TimeFormat). Maps,
// slices and structs are refused so no caller can smuggle structure into a
// value position.
func scalar(v any) (any, error) {
	switch x := v.(type) {
	case string:
		if err := validateText("value", x, maxValueLen); err != nil {
			return nil, err
		}
		return x, nil
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x, nil
	case float32:
		return finite(float64(x))
	case float64:
		return finite(x)
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			return nil, invalidf("invalid number %q", string(x))
		}
		return x, nil
	case time.Time:
		if x.IsZero() {
			return nil, invalidf("zero time value")
		}
		return x.UTC().Format(TimeFormat), nil
	case nil:
		return nil, invalidf("missing value")
	}
	return nil, invalidf("unsupported value type %T (use string, number, bool or time.Time)", v)
}

func finite(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, invalidf("number must be finite")
	}
	return f, nil
}

// onlyNameBytes reports whether s is non-empty and made of ASCII letters,
// digits and the bytes of punct only: the regular expression
// ^[A-Za-z0-9<punct>]+$ without its cost on every field of every query.
func onlyNameBytes(s, punct string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte(punct, c) >= 0 {
			continue
		}
		return false
	}
	return s != ""
}

// marshalNode emits {"name":body}: the bytes json.Marshal gives for a map
// with that one key (name is always a DSL keyword, which needs no
// escaping), without building and encoding the map.
func marshalNode(name string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(name)+len(b)+5)
	out = append(out, `{"`...)
	out = append(out, name...)
	out = append(out, `":`...)
	out = append(out, b...)
	return append(out, '}'), nil
}

// marshalQueries marshals a clause list, refusing nil entries.
func marshalQueries(what string, qs []Query) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(qs))
	for i, q := range qs {
		if q == nil {
			return nil, invalidf("bool.%s[%d] is nil", what, i)
		}
		b, err := q.MarshalJSON()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Bool combines clauses. Filter clauses do not score and are cached by
// OpenSearch, so builders in this package put every exact condition there.
type Bool struct {
	Must, Filter, Should, MustNot []Query
	// MinimumShouldMatch is sent when > 0. OpenSearch's default is 0 when
	// Must or Filter are present, so set it to 1 to make Should an OR group.
	MinimumShouldMatch int
}

func (Bool) queryNode() {}

// MarshalJSON emits {"bool":{…}} with empty clause lists left out.
func (q Bool) MarshalJSON() ([]byte, error) {
	body := map[string]any{}
	for _, c := range []struct {
		key string
		qs  []Query
	}{{"must", q.Must}, {"filter", q.Filter}, {"should", q.Should}, {"must_not", q.MustNot}} {
		if len(c.qs) == 0 {
			continue
		}
		raw, err := marshalQueries(c.key, c.qs)
		if err != nil {
			return nil, err
		}
		body[c.key] = raw
	}
	if q.MinimumShouldMatch < 0 {
		return nil, invalidf("bool.minimum_should_match must not be negative")
	}
	if q.MinimumShouldMatch > 0 {
		body["minimum_should_match"] = q.MinimumShouldMatch
	}
	return marshalNode("bool", body)
}

// Term matches an exact value of a keyword, numeric, boolean, ip or date field.
type Term struct {
	Field string
	Value any
}

func (Term) queryNode() {}

// MarshalJSON emits {"term":{field:{"value":v}}}.
func (q Term) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	v, err := scalar(q.Value)
	if err != nil {
		return nil, prefixErr("term "+q.Field, err)
	}
	return marshalNode("term", map[string]any{q.Field: map[string]any{"value": v}})
}

// Terms matches any of several exact values.
type Terms struct {
	Field  string
	Values []any
}

func (Terms) queryNode() {}

// MarshalJSON emits {"terms":{field:[v…]}}. An empty list is refused: it
// would silently match nothing.
func (q Terms) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	if len(q.Values) == 0 {
		return nil, invalidf("terms %s: no values", q.Field)
	}
	if len(q.Values) > maxListLen {
		return nil, invalidf("terms %s: too many values (%d, max %d)", q.Field, len(q.Values), maxListLen)
	}
	vals := make([]any, len(q.Values))
	for i, v := range q.Values {
		s, err := scalar(v)
		if err != nil {
			return nil, prefixErr("terms "+q.Field, err)
		}
		vals[i] = s
	}
	return marshalNode("terms", map[string]any{q.Field: vals})
}

// Range bounds a numeric or date field. Nil bounds are left out; string
// bounds on date fields may use date math ("now-24h").
type Range struct {
	Field            string
	GTE, GT, LTE, LT any
	Format           string // optional date format, e.g. "strict_date_optional_time"
}

func (Range) queryNode() {}

// MarshalJSON emits {"range":{field:{"gte":…,"lte":…}}}.
func (q Range) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	body := map[string]any{}
	for _, b := range []struct {
		key string
		v   any
	}{{"gte", q.GTE}, {"gt", q.GT}, {"lte", q.LTE}, {"lt", q.LT}} {
		if b.v == nil {
			continue
		}
		v, err := scalar(b.v)
		if err != nil {
			return nil, prefixErr("range "+q.Field, err)
		}
		body[b.key] = v
	}
	if len(body) == 0 {
		return nil, invalidf("range %s: no bounds", q.Field)
	}
	if q.Format != "" {
		if !dateFormatPattern.MatchString(q.Format) {
			return nil, invalidf("range %s: invalid date format %q", q.Field, q.Format)
		}
		body["format"] = q.Format
	}
	return marshalNode("range", map[string]any{q.Field: body})
}

// Match is a full-text query on an analyzed field (full_log).
type Match struct {
	Field, Query string
	Operator     string // "", "and" or "or"
}

func (Match) queryNode() {}

// MarshalJSON emits {"match":{field:{"query":…,"operator":…}}}.
func (q Match) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	if err := validateQueryText(q.Query); err != nil {
		return nil, err
	}
	body := map[string]any{"query": q.Query}
	if err := setOperator(body, "operator", q.Operator); err != nil {
		return nil, err
	}
	return marshalNode("match", map[string]any{q.Field: body})
}

// MultiMatch runs one text query over several fields. Fields may carry
// wildcards ("data.*") and boosts ("rule.description^2").
type MultiMatch struct {
	Query    string
	Fields   []string
	Operator string // "", "and" or "or"
	Type     string // "", best_fields, most_fields, cross_fields, phrase, phrase_prefix
	// Lenient ignores format errors, needed when Fields mix text with numeric
	// or ip fields.
	Lenient bool
}

func (MultiMatch) queryNode() {}

var multiMatchTypes = map[string]bool{"": true, "best_fields": true, "most_fields": true, "cross_fields": true, "phrase": true, "phrase_prefix": true}

// MarshalJSON emits {"multi_match":{"query":…,"fields":[…],…}}.
func (q MultiMatch) MarshalJSON() ([]byte, error) {
	if err := validateQueryText(q.Query); err != nil {
		return nil, err
	}
	fields, err := boostedFields(q.Fields)
	if err != nil {
		return nil, err
	}
	if !multiMatchTypes[q.Type] {
		return nil, invalidf("invalid multi_match type %q", q.Type)
	}
	body := map[string]any{"query": q.Query}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	if q.Type != "" {
		body["type"] = q.Type
	}
	if q.Lenient {
		body["lenient"] = true
	}
	if err := setOperator(body, "operator", q.Operator); err != nil {
		return nil, err
	}
	return marshalNode("multi_match", body)
}

// SimpleQueryString passes Query through OpenSearch's simple query syntax
// (+ | - " * ( ) ~ are operators). Use it only for text the caller means as
// a query; AlertFilter.Text does not use it, so user text stays literal.
type SimpleQueryString struct {
	Query           string
	Fields          []string
	DefaultOperator string // "", "and" or "or"
}

func (SimpleQueryString) queryNode() {}

// MarshalJSON emits {"simple_query_string":{"query":…,"fields":[…],…}}.
func (q SimpleQueryString) MarshalJSON() ([]byte, error) {
	if err := validateQueryText(q.Query); err != nil {
		return nil, err
	}
	fields, err := boostedFields(q.Fields)
	if err != nil {
		return nil, err
	}
	body := map[string]any{"query": q.Query}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	if err := setOperator(body, "default_operator", q.DefaultOperator); err != nil {
		return nil, err
	}
	return marshalNode("simple_query_string", body)
}

// IDs matches documents by _id.
type IDs struct {
	Values []string
}

func (IDs) queryNode() {}

// MarshalJSON emits {"ids":{"values":[…]}}.
func (q IDs) MarshalJSON() ([]byte, error) {
	if len(q.Values) == 0 {
		return nil, invalidf("ids: no values")
	}
	if len(q.Values) > maxListLen {
		return nil, invalidf("ids: too many values (%d, max %d)", len(q.Values), maxListLen)
	}
	for _, v := range q.Values {
		if err := validateText("document id", v, 512); err != nil {
			return nil, err
		}
	}
	return marshalNode("ids", map[string]any{"values": q.Values})
}

// Exists matches documents that have a value in Field.
type Exists struct {
	Field string
}

func (Exists) queryNode() {}

// MarshalJSON emits {"exists":{"field":…}}.
func (q Exists) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	return marshalNode("exists", map[string]any{"field": q.Field})
}

// MatchAll matches every document.
type MatchAll struct{}

func (MatchAll) queryNode() {}

// MarshalJSON emits {"match_all":{}}.
func (MatchAll) MarshalJSON() ([]byte, error) {
	return marshalNode("match_all", map[string]any{})
}

// Wildcard matches a keyword field against a pattern where * and ? are
// wildcards and \ escapes. Build literal "contains" patterns with Contains.
type Wildcard struct {
	Field, Value    string
	CaseInsensitive bool
}

func (Wildcard) queryNode() {}

// MarshalJSON emits {"wildcard":{field:{"value":…,"case_insensitive":true}}}.
func (q Wildcard) MarshalJSON() ([]byte, error) {
	if err := ValidateField(q.Field); err != nil {
		return nil, err
	}
	if q.Value == "" {
		return nil, invalidf("wildcard %s: empty pattern", q.Field)
	}
	if err := validateText("wildcard pattern", q.Value, maxQueryText*2+2); err != nil {
		return nil, err
	}
	body := map[string]any{"value": q.Value}
	if q.CaseInsensitive {
		body["case_insensitive"] = true
	}
	return marshalNode("wildcard", map[string]any{q.Field: body})
}

// Contains returns a case-insensitive wildcard query matching field values
// that contain text literally: the wildcard metacharacters * ? \ in text are
// escaped, so user text can never widen the pattern.
func Contains(field, text string) Wildcard {
	return Wildcard{Field: field, Value: "*" + EscapeWildcard(text) + "*", CaseInsensitive: true}
}

// EscapeWildcard escapes the wildcard query metacharacters * ? and \.
func EscapeWildcard(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '*' || r == '?' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SortField is one sort key. Results are sorted by the fields in order.
type SortField struct {
	Field string
	Desc  bool
}

// MarshalJSON emits {field:{"order":"asc"|"desc"}}.
func (s SortField) MarshalJSON() ([]byte, error) {
	if err := ValidateField(s.Field); err != nil {
		return nil, err
	}
	order := "asc"
	if s.Desc {
		order = "desc"
	}
	return json.Marshal(map[string]any{s.Field: map[string]string{"order": order}})
}

func validateQueryText(s string) error {
	if strings.TrimSpace(s) == "" {
		return invalidf("empty query text")
	}
	return validateText("query text", s, maxQueryText)
}

func boostedFields(fields []string) ([]string, error) {
	if len(fields) > 64 {
		return nil, invalidf("too many fields (%d, max 64)", len(fields))
	}
	for _, f := range fields {
		if len(f) > maxFieldLen || !boostedFieldRegexp.MatchString(f) {
			return nil, invalidf("invalid field %q: only letters, digits, * _ @ . - and a ^boost are allowed", f)
		}
	}
	return fields, nil
}

func setOperator(body map[string]any, key, op string) error {
	switch strings.ToLower(op) {
	case "":
		return nil
	case "and", "or":
		body[key] = strings.ToLower(op)
		return nil
	}
	return invalidf("invalid %s %q (use and or or)", key, op)
}

// prefixErr keeps validation errors matching ErrInvalidQuery while adding
// where they came from.
func prefixErr(where string, err error) error {
	if ve, ok := err.(*validationError); ok {
		return &validationError{msg: where + ": " + ve.msg, cursor: ve.cursor}
	}
	return err
}

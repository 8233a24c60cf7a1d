package search

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

// FieldLister is implemented by documents that can enumerate their field
// paths. Wildcard field patterns ("data.*" in multi_match, query_string
// default fields "*", exists on an object) only see fields of documents that
// implement it.
type FieldLister interface {
	Fields() []string
}

// Kind is the mapped type of a field, deciding how a raw JSON value is indexed.
type Kind uint8

const (
	// KindAuto infers from the JSON value: strings are keywords (as Wazuh's
	// string_as_keyword dynamic template does), numbers numbers, bools bools.
	KindAuto Kind = iota
	KindKeyword
	KindText
	KindNumber
	KindBool
	KindDate
)

// MapDoc is a Doc over a decoded JSON object. Fields are flattened once at
// construction, so Values is a map lookup. It suits tests and small data
// sets; large generated data sets use their own compact Doc types.
type MapDoc struct {
	id     string
	source map[string]any
	fields map[string][]any
	names  []string
}

// NewMapDoc indexes source under id. kind maps a dotted path to its field
// type (nil means KindAuto everywhere); see KindsFromMapping.
func NewMapDoc(id string, source map[string]any, kind func(path string) Kind) *MapDoc {
	d := &MapDoc{id: id, source: source, fields: map[string][]any{}}
	d.flatten("", source, kind)
	d.names = make([]string, 0, len(d.fields))
	for name := range d.fields {
		d.names = append(d.names, name)
	}
	sort.Strings(d.names)
	return d
}

func (d *MapDoc) ID() string               { return d.id }
func (d *MapDoc) Values(path string) []any { return d.fields[path] }
func (d *MapDoc) Source() any              { return d.source }

// Fields lists the document's leaf field paths in sorted order.
func (d *MapDoc) Fields() []string { return d.names }

func (d *MapDoc) flatten(prefix string, v any, kind func(string) Kind) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			path := k
			if prefix != "" {
				path = prefix + "." + k
			}
			d.flatten(path, sub, kind)
		}
	case []any:
		// Arrays of objects flatten into the same paths, as OpenSearch's
		// object (non-nested) mapping does.
		for _, el := range x {
			d.flatten(prefix, el, kind)
		}
	case nil:
	default:
		if prefix == "" {
			return
		}
		k := KindAuto
		if kind != nil {
			k = kind(prefix)
		}
		if val, ok := indexValue(x, k); ok {
			d.fields[prefix] = append(d.fields[prefix], val)
		}
	}
}

// indexValue converts a raw JSON scalar to the Doc value representation of
// kind; malformed values are dropped (like ignore_malformed).
func indexValue(raw any, k Kind) (any, bool) {
	switch k {
	case KindKeyword:
		s, ok := scalarText(raw)
		return s, ok
	case KindText:
		s, ok := scalarText(raw)
		return Text(s), ok
	case KindNumber:
		f, ok := scalarNumber(raw)
		return f, ok
	case KindBool:
		switch x := raw.(type) {
		case bool:
			return x, true
		case string:
			b, err := strconv.ParseBool(x)
			return b, err == nil
		}
		return nil, false
	case KindDate:
		if f, ok := scalarNumber(raw); ok {
			return time.UnixMilli(int64(f)).UTC(), true
		}
		s, ok := raw.(string)
		if !ok {
			return nil, false
		}
		t, err := timeexpr.Parse(s, time.Time{})
		return t, err == nil
	}
	switch x := raw.(type) {
	case string:
		return x, true
	case bool:
		return x, true
	}
	return scalarNumber(raw)
}

func scalarNumber(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

func scalarText(raw any) (string, bool) {
	switch x := raw.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		return string(x), true
	case Text:
		return string(x), true
	}
	if f, ok := scalarNumber(raw); ok {
		return formatNumber(f), true
	}
	return fmt.Sprint(raw), true
}

// formatNumber writes integral values without a fraction, as a long would be.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// KindsFromMapping reads an index template (legacy {"mappings":...} or
// composable {"template":{"mappings":...}}, as in the Wazuh templates) and
// returns the field-type function for NewMapDoc. Unmapped paths are
// KindAuto.
func KindsFromMapping(template []byte) (func(path string) Kind, error) {
	var t struct {
		Mappings *mappingNode `json:"mappings"`
		Template *struct {
			Mappings *mappingNode `json:"mappings"`
		} `json:"template"`
	}
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("parse index template: %w", err)
	}
	root := t.Mappings
	if root == nil && t.Template != nil {
		root = t.Template.Mappings
	}
	if root == nil {
		return nil, fmt.Errorf("index template has no mappings")
	}
	kinds := map[string]Kind{}
	collectKinds("", root.Properties, kinds)
	return func(path string) Kind { return kinds[path] }, nil
}

type mappingNode struct {
	Type       string                  `json:"type"`
	Properties map[string]*mappingNode `json:"properties"`
}

func collectKinds(prefix string, props map[string]*mappingNode, out map[string]Kind) {
	for name, n := range props {
		if n == nil {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		if len(n.Properties) > 0 {
			collectKinds(path, n.Properties, out)
			continue
		}
		out[path] = kindOfType(n.Type)
	}
}

func kindOfType(t string) Kind {
	switch t {
	case "keyword", "constant_keyword", "ip", "wildcard", "version":
		return KindKeyword
	case "text", "match_only_text":
		return KindText
	case "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long":
		return KindNumber
	case "boolean":
		return KindBool
	case "date", "date_nanos":
		return KindDate
	}
	return KindAuto
}

// NewTimeIndex builds an Index whose docs are sorted ascending by the first
// value of timeField (docs without one sort first), so that time ranges on
// it are narrowed by binary search. docs is sorted in place.
func NewTimeIndex(name string, docs []Doc, timeField string) Index {
	timeOf := func(d Doc) time.Time {
		for _, v := range d.Values(timeField) {
			if t, ok := v.(time.Time); ok {
				return t
			}
		}
		return time.Time{}
	}
	sort.SliceStable(docs, func(i, j int) bool { return timeOf(docs[i]).Before(timeOf(docs[j])) })
	return Index{Name: name, Docs: docs, TimeField: timeField, TimeOf: timeOf}
}

// Package search is the stand-in's OpenSearch: it evaluates the query DSL and
// aggregations that Wazuh clients send to the indexer over in-memory documents.
package search

import "time"

// Doc is one indexed document. Implementations keep their own compact
// representation (a million alerts do not fit as maps) and expose fields by
// their dotted OpenSearch path.
type Doc interface {
	// ID is the document _id.
	ID() string
	// Values returns the values stored at a dotted field path such as
	// "rule.level" or "data.srcip"; nil when the field is absent. Each value is
	// one of: string (keyword), Text (analyzed text), float64 (any number),
	// bool, time.Time (date). Arrays yield several values.
	Values(path string) []any
	// Source is the document's _source, ready for json.Marshal.
	Source() any
}

// Text marks an analyzed text value (full_log, descriptions): match queries
// tokenize it, term queries do not match it, and it cannot be aggregated.
type Text string

// Index is a named set of documents, e.g. "wazuh-alerts-4.x-2026.11.21".
// Docs of an alert index are sorted by timestamp ascending, which lets the
// evaluator narrow time ranges by binary search.
type Index struct {
	Name string
	Docs []Doc
	// TimeField names the field Docs are sorted by (empty when unsorted).
	TimeField string
	// TimeOf returns the sort key of a doc when TimeField is set.
	TimeOf func(Doc) time.Time
}

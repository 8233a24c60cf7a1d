package search

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is a request failure rendered the way OpenSearch renders it, so that
// clients written against a real indexer see the same types and reasons.
type Error struct {
	Status int
	Type   string
	Reason string
	// Cause, when set, is the root cause wrapped by this error (OpenSearch
	// wraps shard-level failures in search_phase_execution_exception).
	Cause *Error
	// Extra holds additional fields of the error object (index, resource.id).
	Extra map[string]any
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %s", e.Type, e.Reason, e.Cause.Reason)
	}
	return e.Type + ": " + e.Reason
}

// root returns the innermost error, which OpenSearch lists as root_cause.
func (e *Error) root() *Error {
	r := e
	for r.Cause != nil {
		r = r.Cause
	}
	return r
}

func (e *Error) object() map[string]any {
	m := map[string]any{"type": e.Type, "reason": e.Reason}
	for k, v := range e.Extra {
		m[k] = v
	}
	return m
}

// Body is the JSON document OpenSearch answers with:
// {"error":{"root_cause":[...],"type":...,"reason":...},"status":N}.
func (e *Error) Body() map[string]any {
	top := e.object()
	top["root_cause"] = []any{e.root().object()}
	if e.Cause != nil {
		top["caused_by"] = e.Cause.object()
	}
	return map[string]any{"error": top, "status": e.Status}
}

// MarshalJSON renders the error body.
func (e *Error) MarshalJSON() ([]byte, error) { return json.Marshal(e.Body()) }

func newError(status int, typ, format string, args ...any) *Error {
	return &Error{Status: status, Type: typ, Reason: fmt.Sprintf(format, args...)}
}

// parsingError is what OpenSearch answers for a request body it cannot
// understand (unknown query, wrong value types).
func parsingError(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "parsing_exception", format, args...)
}

func illegalArgument(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "illegal_argument_exception", format, args...)
}

// shardFailure wraps an execution-time failure the way a search that failed
// on every shard is reported.
func shardFailure(cause *Error) *Error {
	return &Error{Status: cause.Status, Type: "search_phase_execution_exception", Reason: "all shards failed",
		Cause: cause, Extra: map[string]any{"phase": "query", "grouped": true}}
}

func indexNotFound(name string) *Error {
	e := newError(http.StatusNotFound, "index_not_found_exception", "no such index [%s]", name)
	e.Extra = map[string]any{"index": name, "resource.id": name, "resource.type": "index_or_alias", "index_uuid": "_na_"}
	return e
}

// asError converts any error into an *Error (unexpected ones become 500s).
func asError(err error) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return newError(http.StatusInternalServerError, "exception", "%s", err.Error())
}

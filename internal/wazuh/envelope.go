package wazuh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Page is one page of an affected_items list.
//
// A Page from List (and the typed calls built on it) may share its items
// with every other caller reading the same cached answer. The Items and
// Failed slices are the caller's own (sort, assign, append freely), but the
// items' contents and everything they reference are shared and read-only:
// do not assign into, sort or append to a nested slice or map (an append
// can write into the shared backing array). Copy first to change one.
type Page[T any] struct {
	Items   []T
	Total   int          // total_affected_items: all matches, not just this page
	Failed  []FailedItem // per-item failures (envelope error 2)
	Message string
}

// envelope is the outer shape of every Wazuh API JSON answer.
type envelope struct {
	Data    json.RawMessage `json:"data"`
	Message string          `json:"message"`
	Error   int             `json:"error"`
}

// itemsData is the "data" of list endpoints (framework/wazuh/core/results.py).
type itemsData struct {
	AffectedItems json.RawMessage `json:"affected_items"`
	TotalAffected int             `json:"total_affected_items"`
	TotalFailed   int             `json:"total_failed_items"`
	FailedItems   []FailedItem    `json:"failed_items"`
}

// problem is an application/problem+json error body. Wazuh puts its error code
// under "error" in some answers and "code" in others.
type problem struct {
	Title       string `json:"title"`
	Detail      string `json:"detail"`
	Remediation string `json:"remediation"`
	Error       int    `json:"error"`
	Code        int    `json:"code"`
}

// decodeEnvelope parses body as the standard envelope.
func decodeEnvelope(method, endpoint string, body []byte) (envelope, error) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		return env, fmt.Errorf("wazuh: %s %s: response is not a Wazuh JSON envelope: %w", method, endpoint, err)
	}
	return env, nil
}

// decodeData decodes env.Data into out and turns envelope error 1 into an error.
// Error 2 (partial) is not an error here: out receives the data, failed items included.
func decodeData(method, endpoint string, env envelope, out any) error {
	if env.Error == 1 {
		if pe := partialFromData(method, endpoint, env); pe != nil {
			return pe
		}
		// error 1 without items (e.g. a failed command): keep the message.
		return &APIError{HTTPStatus: http.StatusOK, Method: method, Endpoint: endpoint, Title: "Wazuh Error", Detail: env.Message}
	}
	if out == nil || len(env.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("wazuh: %s %s: decoding data: %w", method, endpoint, err)
	}
	return nil
}

// partialFromData builds a PartialError from an envelope whose data has failed_items.
func partialFromData(method, endpoint string, env envelope) *PartialError {
	var d itemsData
	if json.Unmarshal(env.Data, &d) != nil || len(d.FailedItems) == 0 {
		return nil
	}
	return &PartialError{Method: method, Endpoint: endpoint, EnvelopeError: env.Error,
		Message: env.Message, Failed: d.FailedItems, Affected: d.TotalAffected}
}

// decodePage decodes a list answer into a Page. Envelope error 1 (all failed)
// is an error; error 2 returns the items with Failed set.
func decodePage[T any](method, endpoint string, body []byte) (Page[T], error) {
	if p, ok := decodePageOnePass[T](body); ok {
		return p, nil
	}
	return decodePageStepwise[T](method, endpoint, body)
}

// decodePageStepwise decodes the envelope, its data and the items in turn,
// so that an error says which part is wrong.
func decodePageStepwise[T any](method, endpoint string, body []byte) (Page[T], error) {
	env, err := decodeEnvelope(method, endpoint, body)
	if err != nil {
		return Page[T]{}, err
	}
	if env.Error == 1 {
		return Page[T]{}, decodeData(method, endpoint, env, nil)
	}
	var d itemsData
	if err := json.Unmarshal(env.Data, &d); err != nil {
		return Page[T]{}, fmt.Errorf("wazuh: %s %s: decoding list data: %w", method, endpoint, err)
	}
	p := Page[T]{Total: d.TotalAffected, Failed: d.FailedItems, Message: env.Message}
	if len(d.AffectedItems) > 0 && !bytes.Equal(bytes.TrimSpace(d.AffectedItems), []byte("null")) {
		if err := json.Unmarshal(d.AffectedItems, &p.Items); err != nil {
			return Page[T]{}, fmt.Errorf("wazuh: %s %s: decoding items: %w", method, endpoint, err)
		}
	}
	// Some endpoints (stats/remoted) report total 0 while returning items.
	if p.Total < len(p.Items) {
		p.Total = len(p.Items)
	}
	return p, nil
}

// decodeProblem builds an APIError from a non-2xx answer.
func decodeProblem(method, endpoint string, status int, contentType string, body []byte) *APIError {
	e := &APIError{HTTPStatus: status, Method: method, Endpoint: endpoint, Title: http.StatusText(status)}
	var p problem
	if json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "") {
		e.Title, e.Detail, e.Remediation = p.Title, p.Detail, p.Remediation
		e.Code = p.Code
		if e.Code == 0 {
			e.Code = p.Error
		}
		return e
	}
	// Not problem+json (a proxy page, plain text): keep a short, safe excerpt.
	if !strings.Contains(contentType, "html") {
		e.Detail = excerpt(body, 200)
	}
	return e
}

// excerpt returns at most n bytes of b as a single line, cut on a rune
// boundary so that the text stays valid UTF-8.
func excerpt(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}

// pageEnvelope is the whole list answer, decoded in one pass.
type pageEnvelope[T any] struct {
	Data *struct {
		AffectedItems []T          `json:"affected_items"`
		TotalAffected int          `json:"total_affected_items"`
		TotalFailed   int          `json:"total_failed_items"`
		FailedItems   []FailedItem `json:"failed_items"`
	} `json:"data"`
	Message string `json:"message"`
	Error   int    `json:"error"`
}

// decodePageOnePass is decodePage for the common answer (a well-formed
// envelope whose error is not 1), decoded in one pass instead of three
// (envelope, data, items). ok is false for anything else — malformed JSON,
// trailing data, error 1, a data that is not an object, any type mismatch —
// and decodePage then decodes step by step, with its exact errors.
func decodePageOnePass[T any](body []byte) (Page[T], bool) {
	var env pageEnvelope[T]
	if json.Unmarshal(body, &env) != nil || env.Data == nil || env.Error == 1 {
		return Page[T]{}, false
	}
	p := Page[T]{Items: env.Data.AffectedItems, Total: env.Data.TotalAffected, Failed: env.Data.FailedItems, Message: env.Message}
	// Some endpoints (stats/remoted) report total 0 while returning items.
	if p.Total < len(p.Items) {
		p.Total = len(p.Items)
	}
	return p, true
}

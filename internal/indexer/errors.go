package indexer

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; the concrete errors carry
// the context (host, status, reason) in their messages.
var (
	// ErrNotConfigured is returned by every call of a client built without a
	// URL, so alert and vulnerability tools can tell the user what to set
	// while the Manager-backed tools keep working.
	ErrNotConfigured = errors.New("Wazuh indexer not configured: set WAZUH_INDEXER_HOST (and WAZUH_INDEXER_USER / WAZUH_INDEXER_PASS) to enable alert and vulnerability queries")

	// ErrUnreachable wraps transport failures: connection refused, DNS,
	// TLS handshake, timeouts, resets. The message names the host, never the
	// credentials.
	ErrUnreachable = errors.New("Wazuh indexer unreachable")

	// ErrAuth is returned for HTTP 401.
	ErrAuth = errors.New("Wazuh indexer rejected the credentials for WAZUH_INDEXER_USER")

	// ErrForbidden is returned for HTTP 403: the credentials are valid but the
	// user's role does not allow reading the index.
	ErrForbidden = errors.New("Wazuh indexer user is not allowed to perform this request (check its role mapping)")

	// ErrNotFound is returned by lookups of one document (GetAlert) when it
	// does not exist.
	ErrNotFound = errors.New("not found")

	// ErrIndexNotFound marks a 404 index_not_found_exception. Searches turn it
	// into an empty result with NoIndex set; it only escapes from calls where
	// an empty answer would be wrong.
	ErrIndexNotFound = errors.New("index not found")

	// ErrRateLimited marks HTTP 429 after the retries ran out.
	ErrRateLimited = errors.New("Wazuh indexer is rejecting requests (HTTP 429, too many requests)")

	// ErrInvalidQuery marks every validation failure of filters, field names,
	// values, aggregations and cursors: the caller's input is wrong, retrying
	// will not help.
	ErrInvalidQuery = errors.New("invalid indexer query")

	// ErrBadCursor marks a cursor that cannot be decoded or belongs to another
	// query. It also matches ErrInvalidQuery.
	ErrBadCursor = errors.New("invalid cursor")
)

// maxReasonLen caps the reason text copied from OpenSearch errors: some
// reasons echo large parts of the request.
const maxReasonLen = 512

// SearchError is an error response from the indexer, decoded from the
// OpenSearch error JSON ({"error":{"root_cause":[…],"type":…,"reason":…},"status":…}).
// Its message never includes credentials: the request carried them in a
// header only.
type SearchError struct {
	Status int
	Type   string // e.g. "search_phase_execution_exception"
	Reason string // the root cause reason when there is one, else the top-level reason
	Op     string // what we were doing, e.g. "search alerts"
}

func (e *SearchError) Error() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("%s: %v (HTTP 401)", e.Op, ErrAuth)
	case http.StatusForbidden:
		return fmt.Sprintf("%s: %v (HTTP 403%s)", e.Op, ErrForbidden, suffix(e.Reason))
	case http.StatusTooManyRequests:
		return fmt.Sprintf("%s: %v", e.Op, ErrRateLimited)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: Wazuh indexer returned HTTP %d", e.Op, e.Status)
	if e.Type != "" {
		fmt.Fprintf(&b, " (%s)", e.Type)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	return b.String()
}

// Unwrap maps the status to a sentinel so callers can use errors.Is.
func (e *SearchError) Unwrap() error {
	switch {
	case e.Status == http.StatusUnauthorized:
		return ErrAuth
	case e.Status == http.StatusForbidden:
		return ErrForbidden
	case e.Status == http.StatusTooManyRequests:
		return ErrRateLimited
	case e.Status == http.StatusNotFound && e.Type == "index_not_found_exception":
		return ErrIndexNotFound
	}
	return nil
}

func suffix(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

// invalidf builds a validation error that matches ErrInvalidQuery.
func invalidf(format string, args ...any) error {
	return &validationError{msg: fmt.Sprintf(format, args...)}
}

type validationError struct {
	msg    string
	cursor bool
}

func (e *validationError) Error() string { return e.msg }

func (e *validationError) Is(target error) bool {
	return target == ErrInvalidQuery || (e.cursor && target == ErrBadCursor)
}

// cursorErrorf builds a cursor error that matches ErrBadCursor and ErrInvalidQuery.
func cursorErrorf(format string, args ...any) error {
	return &validationError{msg: fmt.Sprintf(format, args...), cursor: true}
}

// truncate shortens s to n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// describeCause shortens a transport error to what an operator needs
// ("connection refused", "no such host", a TLS complaint) without the
// request URL the net/http error repeats.
func describeCause(err error) string {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "DNS lookup of " + dnsErr.Name + " failed: " + dnsErr.Err
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return "TLS certificate not trusted: " + certErr.Err.Error() + " (set the indexer CA, or disable verification for testing)"
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) {
		return "TLS handshake failed: the server did not answer with TLS (use http:// for a plain-HTTP indexer)"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// opensearch-go reports these as `"POST" "http://host/index/_search": EOF`,
		// which repeats the request for nothing.
		return "the connection was closed without an answer"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Op + ": " + opErr.Err.Error()
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return err.Error()
}

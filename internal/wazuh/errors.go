package wazuh

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Sentinel errors. Every error this package returns that belongs to one of these
// classes satisfies errors.Is(err, ErrX), so tools can map them to clear messages.
var (
	ErrUnauthorized       = errors.New("wazuh: unauthorized")
	ErrForbidden          = errors.New("wazuh: permission denied")
	ErrNotFound           = errors.New("wazuh: not found")
	ErrRateLimited        = errors.New("wazuh: rate limited")
	ErrUnavailable        = errors.New("Wazuh Manager unavailable")
	ErrUnsupportedVersion = errors.New("unsupported Wazuh version")
	ErrNotConfigured      = errors.New("wazuh: not configured")
	ErrInvalidQuery       = errors.New("wazuh: invalid query")
)

// notFoundCodes are Wazuh error codes meaning "the thing you named does not
// exist" (framework/wazuh/core/exception.py): 1701 agent, 1710 group.
var notFoundCodes = map[int]bool{1701: true, 1710: true}

// rateLimitCodes: 6001 is "Maximum number of requests per minute reached".
var rateLimitCodes = map[int]bool{6001: true}

// APIError is an error answer from the Manager: an HTTP error with a
// problem+json body, or (HTTPStatus 200) an envelope whose items all failed.
type APIError struct {
	HTTPStatus  int
	Code        int // Wazuh error code ("error" or "code" in problem+json), 0 if none
	Title       string
	Detail      string
	Remediation string
	Method      string
	Endpoint    string // endpoint template, e.g. "/agents/{agent_id}/config/{component}/{configuration}"
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("wazuh: ")
	if e.Method != "" || e.Endpoint != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Endpoint)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	}
	if e.Title != "" {
		fmt.Fprintf(&b, " %s", e.Title)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.Remediation != "" {
		fmt.Fprintf(&b, ". %s", e.Remediation)
	}
	return scrubText(b.String())
}

// Is maps the error onto the package sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.HTTPStatus == http.StatusUnauthorized
	case ErrForbidden:
		return e.HTTPStatus == http.StatusForbidden
	case ErrNotFound:
		return e.HTTPStatus == http.StatusNotFound || notFoundCodes[e.Code]
	case ErrRateLimited:
		return e.HTTPStatus == http.StatusTooManyRequests || rateLimitCodes[e.Code]
	case ErrUnavailable:
		return e.HTTPStatus >= 500
	}
	return false
}

// FailedItem is one entry of an envelope's failed_items.
type FailedItem struct {
	IDs   FlexStrings `json:"id"`
	Error ItemError   `json:"error"`
}

// ItemError is the error of a FailedItem.
type ItemError struct {
	Code        int    `json:"code"`
	Message     string `json:"message"`
	Remediation string `json:"remediation,omitempty"`
}

// PartialError reports envelope error 1 (every item failed) or, where a call
// cannot return partial data, error 2 (some items failed).
type PartialError struct {
	Method, Endpoint string
	EnvelopeError    int // 1 = all failed, 2 = some failed
	Message          string
	Failed           []FailedItem
	Affected         int
}

func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wazuh: %s %s: ", e.Method, e.Endpoint)
	if e.EnvelopeError == 1 {
		b.WriteString("request failed for every item")
	} else {
		fmt.Fprintf(&b, "request failed for %d item group(s), %d succeeded", len(e.Failed), e.Affected)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " (%s)", e.Message)
	}
	for i, f := range e.Failed {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Failed)-i)
			break
		}
		fmt.Fprintf(&b, "; ids %s: %s (code %d)", strings.Join(f.IDs, ","), f.Error.Message, f.Error.Code)
	}
	return scrubText(b.String())
}

// Is reports ErrNotFound when every failure is a not-found code.
func (e *PartialError) Is(target error) bool {
	if target != ErrNotFound || len(e.Failed) == 0 {
		return false
	}
	for _, f := range e.Failed {
		if !notFoundCodes[f.Error.Code] {
			return false
		}
	}
	return true
}

// WriteUnknownError means a write was sent but no answer arrived (timeout,
// dropped connection, gateway error): the Manager may or may not have acted.
// It is never retried automatically; callers must check state before acting again.
type WriteUnknownError struct {
	Method, Endpoint string
	Err              error
}

func (e *WriteUnknownError) Error() string {
	return scrubText(fmt.Sprintf("wazuh: %s %s: outcome unknown, the request was sent but no answer arrived "+
		"(the Manager may have executed it; check before retrying): %v", e.Method, e.Endpoint, e.Err))
}

func (e *WriteUnknownError) Unwrap() error { return e.Err }

// UnsupportedVersionError is returned when the Manager is not a 4.x API.
type UnsupportedVersionError struct {
	APIVersion string
}

func (e *UnsupportedVersionError) Error() string {
	return fmt.Sprintf("unsupported Wazuh version %s: this server supports the Wazuh 4.x Manager API "+
		"(4.8 to 4.14); Wazuh 5.x removed most Manager endpoints", e.APIVersion)
}

func (e *UnsupportedVersionError) Is(target error) bool { return target == ErrUnsupportedVersion }

// unavailableError wraps a transport-level failure or an open breaker.
type unavailableError struct {
	msg string
	err error
}

func (e *unavailableError) Error() string        { return scrubText(e.msg) }
func (e *unavailableError) Unwrap() []error      { return []error{ErrUnavailable, e.err} }
func (e *unavailableError) Is(target error) bool { return target == ErrUnavailable }
func newUnavailable(err error, format string, args ...any) error {
	return &unavailableError{msg: "Wazuh Manager unavailable: " + fmt.Sprintf(format, args...), err: err}
}

// scrubbedError keeps an error's chain (for errors.Is/As) but scrubs its text.
type scrubbedError struct{ err error }

func (e *scrubbedError) Error() string { return scrubText(e.err.Error()) }
func (e *scrubbedError) Unwrap() error { return e.err }

var (
	// JWTs (header.payload.signature, base64url; the header always starts "eyJ").
	jwtRe = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	// Authorization-style values.
	authRe = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
	// userinfo in URLs: scheme://user:pass@host
	userinfoRe = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)[^/@\s]+@`)
	// key=value / "key": "value" pairs whose key names a secret.
	secretKVRe = regexp.MustCompile(`(?i)("?(?:password|passwd|pass|token|secret|authorization|api_key|apikey)"?\s*[:=]\s*"?)[^"\s,&;}]+`)
)

// scrubText removes anything credential-like from s. It is applied to every
// message this package builds, because error text travels to models and logs.
func scrubText(s string) string {
	s = jwtRe.ReplaceAllString(s, "[REDACTED-TOKEN]")
	s = authRe.ReplaceAllString(s, "$1 [REDACTED]")
	s = userinfoRe.ReplaceAllString(s, "$1[REDACTED]@")
	s = secretKVRe.ReplaceAllString(s, "$1[REDACTED]")
	return s
}

// minScrubbedSecret is the shortest secret replaced verbatim in messages.
const minScrubbedSecret = 8

// secretScrubber also removes the exact configured secrets, which regexes
// cannot recognise (a password is arbitrary text).
type secretScrubber struct{ secrets []string }

func (s secretScrubber) text(msg string) string {
	for _, sec := range s.secrets {
		// Short secrets are skipped: replacing them would mangle ordinary
		// words (the stock wazuh:wazuh would blank out every "wazuh"), and
		// the Manager requires 8-64 character passwords for API users.
		if len(sec) >= minScrubbedSecret {
			msg = strings.ReplaceAll(msg, sec, "[REDACTED]")
		}
	}
	return scrubText(msg)
}

// wrap returns err with its text scrubbed of the configured secrets.
func (s secretScrubber) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &secretScrubbedError{err: err, s: s}
}

type secretScrubbedError struct {
	err error
	s   secretScrubber
}

func (e *secretScrubbedError) Error() string { return e.s.text(e.err.Error()) }
func (e *secretScrubbedError) Unwrap() error { return e.err }

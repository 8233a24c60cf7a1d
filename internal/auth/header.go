package auth

import (
	"strings"
)

// MaxTokenLength bounds a bearer token; real access tokens from identity
// providers stay well below it.
const MaxTokenLength = 8192

// ParseAuthorization extracts the bearer token from the Authorization
// header values of a request. No header is ErrNoToken; several headers,
// another scheme, an empty, oversized or non-token68 value is ErrMalformed.
func ParseAuthorization(values []string) (string, error) {
	switch len(values) {
	case 0:
		return "", ErrNoToken
	case 1:
	default:
		return "", ErrMalformed
	}
	v := strings.Trim(values[0], " \t")
	if v == "" {
		return "", ErrNoToken
	}
	scheme, token, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrMalformed
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || len(token) > MaxTokenLength || !isToken68(token) {
		return "", ErrMalformed
	}
	return token, nil
}

// isToken68 reports whether s is printable ASCII without spaces: the
// RFC 6750 token68 alphabet widened to any visible character, since
// MCP_API_KEY may be any string an operator chose.
func isToken68(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

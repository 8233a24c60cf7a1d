package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// forEachToken splits s like OpenSearch's standard analyzer does for the
// cases that matter in logs: runs of letters, digits and '_' are tokens, and
// '.' or '\” between two such characters stays inside the token (so IPs,
// host names and versions are single tokens). Tokens are substrings of s in
// their original case; fn returns false to stop.
func forEachToken(s string, fn func(tok string) bool) {
	start := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		word := isWordRune(r)
		if !word && (r == '.' || r == '\'') && start >= 0 && i+n < len(s) {
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			word = isWordRune(next)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if !fn(s[start:i]) {
				return
			}
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(s[start:])
	}
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// analyze returns the lowercased tokens of s, used for query text.
func analyze(s string) []string {
	var out []string
	forEachToken(s, func(tok string) bool {
		out = append(out, strings.ToLower(tok))
		return true
	})
	return out
}

// tokensOf returns the tokens of a text value (original case).
func tokensOf(s string) []string {
	var out []string
	forEachToken(s, func(tok string) bool {
		out = append(out, tok)
		return true
	})
	return out
}

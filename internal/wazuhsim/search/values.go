package search

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

// scalar is a query value (term, terms, match on non-text fields) pre-parsed
// into every representation a field value might need, so evaluation per
// document is a comparison rather than a parse.
type scalar struct {
	s      string
	f      float64
	isNum  bool
	ms     int64
	isDate bool
	b      bool
	isBool bool
}

func newScalar(v any, now time.Time) (scalar, bool) {
	var sc scalar
	switch x := v.(type) {
	case string:
		sc.s = x
	case json.Number:
		sc.s = string(x)
	case bool:
		sc.s = boolText(x)
	default:
		return sc, false
	}
	if f, ok := numberOf(v); ok {
		sc.f, sc.isNum = f, true
	}
	switch sc.s {
	case "true":
		sc.b, sc.isBool = true, true
	case "false":
		sc.isBool = true
	}
	if ms, ok := dateMillis(v, now, false); ok {
		sc.ms, sc.isDate = ms, true
	}
	return sc, true
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// dateMillis parses a date bound or term: JSON numbers are epoch millis,
// strings ISO-8601 or date math. roundUp resolves a trailing "/unit" to the
// last millisecond of the unit, as OpenSearch does for gt and lte bounds.
func dateMillis(v any, now time.Time, roundUp bool) (int64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		return int64(f), err == nil
	}
	s, ok := v.(string)
	if !ok {
		return 0, false
	}
	if isAllDigits(s) && len(s) != 4 && len(s) != 8 { // bare digits are epoch millis unless a year or yyyyMMdd
		f, ok := numberOf(s)
		return int64(f), ok
	}
	t, err := timeexpr.Parse(s, now)
	if err != nil {
		return 0, false
	}
	if roundUp {
		if up, ok := roundedUp(s, now); ok {
			return up, true
		}
	}
	return t.UnixMilli(), true
}

// roundedUp computes the end of the rounding unit of an expression ending in
// "/u": the start of the next unit minus one millisecond.
func roundedUp(s string, now time.Time) (int64, bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 || i != len(s)-2 || !(strings.HasPrefix(s, "now") || strings.Contains(s, "||")) {
		return 0, false
	}
	unit := s[i+1:]
	next := s[:i] + "+1" + unit + "/" + unit
	t, err := timeexpr.Parse(next, now)
	if err != nil {
		return 0, false
	}
	return t.UnixMilli() - 1, true
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// equals is term semantics: exact keyword, numeric equality, parsed dates,
// booleans; analyzed text never matches a term.
func (sc *scalar) equals(v any, fold bool) bool {
	switch x := v.(type) {
	case string:
		if fold {
			return strings.EqualFold(x, sc.s)
		}
		return x == sc.s
	case float64:
		return sc.isNum && x == sc.f
	case time.Time:
		return sc.isDate && x.UnixMilli() == sc.ms
	case bool:
		return sc.isBool && x == sc.b
	}
	return false
}

// globMatch reports whether s matches pattern, where '*' matches any run of
// characters (dots included), '?' exactly one character and a backslash
// makes the next character literal. It backtracks
// only to the last star, so it runs in O(len(s)*len(pattern)) at worst.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starI = p, i
				p++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[i:])
				p, i = p+1, i+n
				continue
			case '\\': // Lucene escape: the next character is literal
				if p+1 < len(pattern) && pattern[p+1] == s[i] {
					p, i = p+2, i+1
					continue
				}
			default:
				if pattern[p] == s[i] {
					p, i = p+1, i+1
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starI:])
		starI += n
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

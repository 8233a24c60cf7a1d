package policy

import (
	"net/netip"
	"regexp"
	"strings"
)

// RedactedIP replaces an internal address that the caller did not ask for.
const RedactedIP = "[internal-ip-redacted]"

// IP returns addr unchanged when include is set or when it is a public
// address (an indicator the analyst needs); internal addresses (private,
// loopback, link-local, unique-local) are victim data and are redacted
// unless asked for with include_ip. Values that are not addresses (e.g.
// "any") pass through.
func IP(addr string, include bool) string {
	if include || addr == "" {
		return addr
	}
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() {
		return RedactedIP
	}
	return addr
}

// secretKey matches configuration keys whose values are credentials
// (hook_url, webhook: Slack/Teams hook URLs carry their secret in the path;
// dsn: database connection strings carry passwords).
var secretKey = regexp.MustCompile(`(?i)(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|^key$|_key$|credential|auth[_-]?key|hash[_-]?key|hook|^dsn$)`)

// IsSecretKey reports whether a configuration key names a secret.
func IsSecretKey(key string) bool {
	if !foldsSafely(key) {
		return secretKey.MatchString(key)
	}
	// secretKey by hand: for text without the two non-ASCII letters that
	// fold to ASCII ones, (?i) is ASCII case folding, and this is ~20x
	// cheaper (it runs on every argument of every audited call).
	for _, part := range []string{"pass", "secret", "token", "credential", "hook",
		"apikey", "api_key", "api-key", "privatekey", "private_key", "private-key",
		"authkey", "auth_key", "auth-key", "hashkey", "hash_key", "hash-key"} {
		if containsFold(key, part) {
			return true
		}
	}
	return strings.EqualFold(key, "key") || strings.EqualFold(key, "dsn") ||
		(len(key) >= 4 && strings.EqualFold(key[len(key)-4:], "_key"))
}

// foldsSafely reports whether s lacks the only non-ASCII letters that
// case-fold to ASCII ones (ſ to s, the Kelvin sign to k), so that a
// case-insensitive regexp match on s is ASCII case folding.
func foldsSafely(s string) bool {
	return !strings.Contains(s, "\u017f") && !strings.Contains(s, "\u212a")
}

// containsFold is strings.Contains with ASCII case folding; needle is
// lower-case ASCII.
func containsFold(s, needle string) bool {
	n := len(needle)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// credentialPatterns find credentials inside free text such as error
// messages coming back from Wazuh or from transport errors; each comes with
// its replacement.
var credentialPatterns = []struct {
	re   *regexp.Regexp
	repl string
}{
	// any scheme: Bearer, Basic, ApiKey (OpenSearch), Negotiate...
	{regexp.MustCompile(`(?i)(authorization:\s*)(?:[A-Za-z-]+\s+)?[A-Za-z0-9._~+/=-]+`), "${1}[redacted]"},
	{regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`), "${1} [redacted]"},
	{regexp.MustCompile(`eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`), "[redacted-jwt]"}, // JWTs
	{regexp.MustCompile(`(?i)(https?://)[^/\s:@]+:[^/\s@]+@`), "${1}[redacted]@"},                     // userinfo in URLs
	// key=value and header forms: password=…, "token": "…", X-API-Key: …
	{regexp.MustCompile(`(?i)\b(password|passwd|pass|secret|token|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+`), "${1}${2}[redacted]"},
	// user:password@host without a scheme (connection strings)
	{regexp.MustCompile(`(^|[\s(\[{"'=,])([A-Za-z0-9._%-]+:)[^\s/@"']+@([A-Za-z0-9])`), "${1}${2}[redacted]@${3}"},
}

// Scrub removes credentials from text that may be shown to a model or
// written to a log.
func Scrub(s string) string {
	if !mayHoldCredential(s) {
		return s
	}
	return scrubAll(s)
}

// scrubAll runs every credential pattern over s.
func scrubAll(s string) string {
	for _, p := range credentialPatterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}

// mayHoldCredential is false when no credential pattern can match s: each
// needs one of these words (case-insensitively), "eyJ", "://" or "@". Most
// text has none, and this costs far less than running the patterns. Keep
// it in step with credentialPatterns (TestScrubAndIsSecretKeyMatchTheRegexps).
func mayHoldCredential(s string) bool {
	if !foldsSafely(s) || strings.Contains(s, "eyJ") || strings.Contains(s, "://") || strings.Contains(s, "@") {
		return true
	}
	for _, w := range []string{"authorization", "bearer", "basic", "pass", "secret", "token", "api_key", "apikey", "api-key"} {
		if containsFold(s, w) {
			return true
		}
	}
	return false
}

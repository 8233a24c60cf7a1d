package args

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

// Error is a bad argument: which one, what was wrong, what is allowed.
type Error struct {
	Arg     string
	Problem string
}

func (e *Error) Error() string { return fmt.Sprintf("invalid argument %s: %s", e.Arg, e.Problem) }

// Errorf builds an *Error.
func Errorf(arg, format string, a ...any) error {
	return &Error{Arg: arg, Problem: fmt.Sprintf(format, a...)}
}

// quote shows a model-supplied value in an error, bounded and escaped.
func quote(s string) string { return fmt.Sprintf("%q", truncate(s, 64)) }

var (
	digitsRe    = regexp.MustCompile(`^[0-9]+$`)
	groupRe     = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	levelRe     = regexp.MustCompile(`^([0-9]{1,2})(\+)?$`)
	levelSpanRe = regexp.MustCompile(`^([0-9]{1,2})-([0-9]{1,2})$`)
)

// MaxAgentIDDigits bounds an agent id as typed, leading zeros included.
const MaxAgentIDDigits = 8

// AgentID is the server's one agent-id rule; tool arguments, the Wazuh
// client and agent protection all use it. An id is 1 to MaxAgentIDDigits
// ASCII digits; leading zeros are dropped and it is padded back to 3, so
// "1", "01", "001" and "0001" are all "001", the form the Manager and the
// indexer store (an indexer filter on "0001" would match nothing).
func AgentID(arg, v string) (string, error) {
	v = strings.TrimSpace(v)
	if !digitsRe.MatchString(v) || len(v) > MaxAgentIDDigits {
		return "", Errorf(arg, "%s is not an agent id (1 to %d digits, e.g. \"001\")", quote(v), MaxAgentIDDigits)
	}
	v = strings.TrimLeft(v, "0")
	if len(v) < 3 {
		v = strings.Repeat("0", 3-len(v)) + v
	}
	return v, nil
}

// OptionalAgentID is AgentID for an argument that may be empty.
func OptionalAgentID(arg, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	return AgentID(arg, v)
}

// LevelRange is a rule level filter.
type LevelRange struct{ Min, Max int } // Max 0 = no upper bound

// Level parses "12" or "12+" (minimum level), or "10-12" (a span). Levels are 0–16.
func Level(arg, v string) (LevelRange, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return LevelRange{}, nil
	}
	bad := Errorf(arg, "%s is not a level: use a number 0-16, \"12+\" for a minimum or \"10-12\" for a span", quote(v))
	if m := levelRe.FindStringSubmatch(v); m != nil {
		n := atoi(m[1])
		if n > 16 {
			return LevelRange{}, bad
		}
		return LevelRange{Min: n}, nil
	}
	if m := levelSpanRe.FindStringSubmatch(v); m != nil {
		lo, hi := atoi(m[1]), atoi(m[2])
		if lo > hi || hi > 16 {
			return LevelRange{}, bad
		}
		return LevelRange{Min: lo, Max: hi}, nil
	}
	return LevelRange{}, bad
}

// RuleID validates a Wazuh rule id (1–6 digits).
func RuleID(arg, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if !digitsRe.MatchString(v) || len(v) > 6 {
		return "", Errorf(arg, "%s is not a rule id (1 to 6 digits, e.g. \"5712\")", quote(v))
	}
	return strings.TrimLeft(v, "0"), nil
}

// Groups validates rule group names: at most 20 of [A-Za-z0-9_.-]{1,64}.
func Groups(arg string, vs []string) ([]string, error) {
	if len(vs) > 20 {
		return nil, Errorf(arg, "%d groups given, at most 20 allowed", len(vs))
	}
	for _, g := range vs {
		if !groupRe.MatchString(g) {
			return nil, Errorf(arg, "%s is not a rule group name (letters, digits, _ . -, up to 64)", quote(g))
		}
	}
	return vs, nil
}

// Limit applies a default and bounds.
func Limit(arg string, v Int, def, max int) (int, error) {
	n := int(v)
	if n == 0 {
		return def, nil
	}
	if n < 1 || n > max {
		return 0, Errorf(arg, "%d is out of range (1-%d)", n, max)
	}
	return n, nil
}

// Range bounds an integer argument; 0 means the default.
func Range(arg string, v Int, def, min, max int) (int, error) {
	n := int(v)
	if n == 0 {
		return def, nil
	}
	if n < min || n > max {
		return 0, Errorf(arg, "%d is out of range (%d-%d)", n, min, max)
	}
	return n, nil
}

// TimeRange parses a relative range such as "24h", "7d", "2w", "30m"; empty
// gives def. It returns the window [now-range, now].
func TimeRange(arg, v, def string, now time.Time) (from, to time.Time, err error) {
	v = strings.TrimSpace(v)
	if v == "" {
		v = def
	}
	d, perr := timeexpr.ParseRange(v)
	if perr != nil {
		return time.Time{}, time.Time{}, Errorf(arg, "%s: use a number and a unit s, m, h, d or w (e.g. 24h, 7d)", quote(v))
	}
	return now.Add(-d), now, nil
}

// Timestamp parses ISO-8601 or date math; empty gives the zero time.
func Timestamp(arg, v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := timeexpr.Parse(v, now)
	if err != nil {
		return time.Time{}, Errorf(arg, "%s is not a time: use ISO-8601 (2026-11-20T10:00:00Z) or date math (now-24h)", quote(v))
	}
	return t, nil
}

// Window resolves a start/end pair; defaults apply when empty; start must
// precede end.
func Window(startArg, start, endArg, end string, defStart time.Duration, now time.Time) (time.Time, time.Time, error) {
	from, err := Timestamp(startArg, start, now)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	to, err := Timestamp(endArg, end, now)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if to.IsZero() {
		to = now
	}
	if from.IsZero() && defStart > 0 {
		from = to.Add(-defStart)
	}
	if !from.IsZero() && !from.Before(to) {
		return time.Time{}, time.Time{}, Errorf(startArg, "must be before %s (%s is not before %s)", endArg, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}

// IP parses an address strictly, the one rule for filters and action
// targets alike (policy.ParseIP calls it): dotted-quad IPv4 without leading
// zeros, or IPv6 without a zone, optionally in brackets; IPv4-mapped IPv6 is
// unmapped so that one address has one spelling. The shorthand forms that
// inet_aton would read (127.1, 0x7f000001, 017700000001, 2130706433,
// 010.0.0.1 as octal) are refused rather than guessed, because an agent's
// firewall tool might read them differently from us.
func IP(arg, v string) (netip.Addr, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return netip.Addr{}, Errorf(arg, "is empty: give an IPv4 or IPv6 address")
	}
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		v = v[1 : len(v)-1]
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Addr{}, Errorf(arg, "%s is not an IP address (IPv4 as four decimal parts without leading zeros, or IPv6)", quote(v))
	}
	if a.Zone() != "" {
		return netip.Addr{}, Errorf(arg, "%s: IPv6 zones (%%iface) are not accepted", quote(v))
	}
	return a.Unmap(), nil
}

// OptionalIP is IP for an argument that may be empty; it returns "" or the
// canonical text form.
func OptionalIP(arg, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	a, err := IP(arg, v)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// Text validates free text: valid UTF-8, no control characters, bounded.
func Text(arg, v string, max int, required bool) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			return "", Errorf(arg, "is required")
		}
		return "", nil
	}
	if !utf8.ValidString(v) {
		return "", Errorf(arg, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", Errorf(arg, "is %d characters long, at most %d allowed", n, max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return "", Errorf(arg, "contains control characters")
		}
	}
	return v, nil
}

// OneOf checks v against an allowlist (case-insensitive) and returns the
// canonical spelling; empty gives def.
func OneOf(arg, v, def string, allowed ...string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a, nil
		}
	}
	return "", Errorf(arg, "%s is not allowed (one of: %s)", quote(v), strings.Join(allowed, ", "))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

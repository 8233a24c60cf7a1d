// Package timeexpr parses the time expressions that tools accept and that the
// indexer understands: ISO-8601 timestamps, Elasticsearch-style date math
// ("now-24h", "now-7d/d", "2026-11-01||+1d") and relative ranges ("24h", "2w").
//
// It is shared by the tool argument layer, the indexer client and the stand-in
// indexer so that all three agree on what an expression means.
package timeexpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxRange bounds relative ranges and date-math offsets; anything longer is
// almost certainly a typo and would make the indexer scan every index.
const MaxRange = 5 * 366 * 24 * time.Hour

// ErrEmpty is returned for an empty expression.
var ErrEmpty = errors.New("empty time expression")

// absoluteLayouts are tried in order; all are interpreted in UTC unless they
// carry a zone. Wazuh itself writes "2006-01-02T15:04:05.000-0700".
var absoluteLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// Parse resolves an absolute timestamp or a date-math expression against now.
// Accepted: RFC 3339 / ISO-8601 (with or without fraction and zone), a bare
// date, epoch milliseconds (13 digits), "now", "now-24h", "now-7d/d",
// "<absolute>||+1d/h". Units: y M w d h H m s.
func Parse(expr string, now time.Time) (time.Time, error) {
	s := strings.TrimSpace(expr)
	if s == "" {
		return time.Time{}, ErrEmpty
	}
	if len(s) > 64 {
		return time.Time{}, fmt.Errorf("time expression too long (%d chars, max 64)", len(s))
	}
	t, err := parse(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("time %q is out of range (years %d-%d)", s, minYear, maxYear)
	}
	return t, nil
}

// Years outside this range are typos, not Wazuh data.
const (
	minYear = 1970
	maxYear = 2200
)

func parse(s string, now time.Time) (time.Time, error) {
	var anchor time.Time
	var math string
	switch {
	case strings.HasPrefix(s, "now"):
		anchor, math = now.UTC(), s[len("now"):]
	case strings.Contains(s, "||"):
		base, rest, _ := strings.Cut(s, "||")
		if rest == "" {
			return time.Time{}, fmt.Errorf("invalid date math %q: nothing after ||", s)
		}
		t, err := parseAbsolute(base)
		if err != nil {
			return time.Time{}, err
		}
		anchor, math = t, rest
	default:
		return parseAbsolute(s)
	}
	return applyMath(anchor, math)
}

func parseAbsolute(s string) (time.Time, error) {
	if len(s) == 13 && isDigits(s) {
		ms, _ := strconv.ParseInt(s, 10, 64)
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range absoluteLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: use ISO-8601 (2026-11-20T10:00:00Z) or date math (now-24h)", s)
}

// applyMath applies a sequence of "+Nu", "-Nu" and "/u" operations.
func applyMath(t time.Time, math string) (time.Time, error) {
	for i := 0; i < len(math); {
		op := math[i]
		i++
		switch op {
		case '+', '-':
			j := i
			for j < len(math) && math[j] >= '0' && math[j] <= '9' {
				j++
			}
			if j == i || j >= len(math) {
				return time.Time{}, fmt.Errorf("invalid date math %q: expected a number and a unit after %q", math, string(op))
			}
			n, err := strconv.Atoi(math[i:j])
			if err != nil {
				return time.Time{}, fmt.Errorf("invalid date math %q: %w", math, err)
			}
			if op == '-' {
				n = -n
			}
			next, err := addUnit(t, n, math[j])
			if err != nil {
				return time.Time{}, err
			}
			t, i = next, j+1
		case '/':
			if i >= len(math) {
				return time.Time{}, fmt.Errorf("invalid date math %q: expected a unit after /", math)
			}
			r, err := roundDown(t, math[i])
			if err != nil {
				return time.Time{}, err
			}
			t, i = r, i+1
		default:
			return time.Time{}, fmt.Errorf("invalid date math %q: unexpected %q (use +N, -N or /unit)", math, string(op))
		}
	}
	return t, nil
}

func addUnit(t time.Time, n int, unit byte) (time.Time, error) {
	var out time.Time
	switch unit {
	case 'y':
		out = t.AddDate(n, 0, 0)
	case 'M':
		out = t.AddDate(0, n, 0)
	case 'w':
		out = t.AddDate(0, 0, 7*n)
	case 'd':
		out = t.AddDate(0, 0, n)
	case 'h', 'H':
		out = t.Add(time.Duration(n) * time.Hour)
	case 'm':
		out = t.Add(time.Duration(n) * time.Minute)
	case 's':
		out = t.Add(time.Duration(n) * time.Second)
	default:
		return time.Time{}, fmt.Errorf("invalid date math unit %q (allowed: y M w d h H m s)", string(unit))
	}
	if d := out.Sub(t); d > MaxRange || d < -MaxRange {
		return time.Time{}, fmt.Errorf("date math offset too large (max %s)", MaxRange)
	}
	return out, nil
}

func roundDown(t time.Time, unit byte) (time.Time, error) {
	y, mo, d := t.Date()
	switch unit {
	case 'y':
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), nil
	case 'M':
		return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), nil
	case 'w':
		day := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		offset := (int(day.Weekday()) + 6) % 7 // weeks start on Monday, as in OpenSearch
		return day.AddDate(0, 0, -offset), nil
	case 'd':
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), nil
	case 'h', 'H':
		return t.Truncate(time.Hour), nil
	case 'm':
		return t.Truncate(time.Minute), nil
	case 's':
		return t.Truncate(time.Second), nil
	}
	return time.Time{}, fmt.Errorf("invalid rounding unit %q (allowed: y M w d h H m s)", string(unit))
}

// ParseRange parses a relative range such as "30m", "24h", "7d" or "2w"
// (the time_range argument of the v4 tools). It returns the duration.
func ParseRange(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || len(s) > 8 || !isDigits(s[:len(s)-1]) {
		return 0, fmt.Errorf("invalid time range %q: use a number and a unit s, m, h, d or w (e.g. 24h, 7d)", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid time range %q: the number must be positive", s)
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 's':
		unit = time.Second
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	default:
		return 0, fmt.Errorf("invalid time range %q: unit must be s, m, h, d or w", s)
	}
	if time.Duration(n) > MaxRange/unit {
		return 0, fmt.Errorf("time range %q too long (max %d days)", s, int(MaxRange/(24*time.Hour)))
	}
	return time.Duration(n) * unit, nil
}

func isDigits(s string) bool {
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

package search

import (
	"strconv"
	"strings"
	"time"
)

// formatDate renders epoch millis in loc with an OpenSearch date format:
// the default strict_date_optional_time, epoch_millis, epoch_second, or a
// Java-style pattern (yyyy-MM-dd HH:mm:ss.SSS, 'T' literals, Z/XXX zones).
func formatDate(ms int64, loc *time.Location, format string) string {
	t := time.UnixMilli(ms).In(loc)
	format, _, _ = strings.Cut(format, "||") // the first format prints
	switch format {
	case "", "strict_date_optional_time", "date_optional_time", "strict_date_time", "date_time":
		if loc == time.UTC {
			return t.Format("2006-01-02T15:04:05.000Z")
		}
		return t.Format("2006-01-02T15:04:05.000Z07:00")
	case "epoch_millis":
		return strconv.FormatInt(ms, 10)
	case "epoch_second":
		return strconv.FormatInt(ms/1000, 10)
	case "date", "strict_date", "yyyy-MM-dd":
		return t.Format("2006-01-02")
	}
	return t.Format(javaLayout(format))
}

// javaLayout converts the common Java DateTimeFormatter letters to a Go
// layout; unknown letters are kept literally.
func javaLayout(p string) string {
	repl := []struct{ java, goLayout string }{
		{"yyyy", "2006"}, {"uuuu", "2006"}, {"yy", "06"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"},
		{"dd", "02"}, {"HH", "15"}, {"hh", "03"}, {"mm", "04"}, {"ss", "05"}, {"SSS", "000"},
		{"EEEE", "Monday"}, {"EEE", "Mon"}, {"XXX", "Z07:00"}, {"xxx", "-07:00"}, {"Z", "-0700"}, {"a", "PM"},
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		if p[i] == '\'' { // quoted literal
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				b.WriteString(p[i+1:])
				break
			}
			b.WriteString(p[i+1 : i+1+j])
			i += j + 2
			continue
		}
		matched := false
		for _, r := range repl {
			if strings.HasPrefix(p[i:], r.java) {
				b.WriteString(r.goLayout)
				i += len(r.java)
				matched = true
				break
			}
		}
		if !matched {
			switch p[i] {
			case 'M':
				b.WriteString("1")
			case 'd':
				b.WriteString("2")
			case 'H':
				b.WriteString("15")
			default:
				b.WriteByte(p[i])
			}
			i++
		}
	}
	return b.String()
}

// parseTimeZone accepts UTC, Z, fixed offsets (+02:00, -0530) and IANA names.
func parseTimeZone(s string) (*time.Location, error) {
	switch s {
	case "", "UTC", "Z", "utc", "GMT", "Etc/UTC", "+00:00", "-00:00":
		return time.UTC, nil
	}
	if s[0] == '+' || s[0] == '-' {
		digits := strings.ReplaceAll(s[1:], ":", "")
		if len(digits) == 2 {
			digits += "00"
		}
		if len(digits) == 4 && isAllDigits(digits) {
			h, _ := strconv.Atoi(digits[:2])
			m, _ := strconv.Atoi(digits[2:])
			off := (h*60 + m) * 60
			if s[0] == '-' {
				off = -off
			}
			return time.FixedZone(s, off), nil
		}
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, illegalArgument("Invalid time zone [%s]", s)
	}
	return loc, nil
}

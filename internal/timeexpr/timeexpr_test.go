package timeexpr

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 21, 15, 30, 45, 0, time.UTC)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{"now-24h", now.Add(-24 * time.Hour)},
		{"now-7d/d", time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)},
		{"now-1M", time.Date(2026, 10, 21, 15, 30, 45, 0, time.UTC)},
		{"now/w", time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)}, // Monday
		{"now-1h+30m", now.Add(-30 * time.Minute)},
		{"2026-11-20T10:00:00Z", time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{"2026-11-20T10:00:00.123Z", time.Date(2026, 11, 20, 10, 0, 0, 123e6, time.UTC)},
		{"2026-11-20T12:00:00+02:00", time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{"2026-11-20T10:00:00.905+0000", time.Date(2026, 11, 20, 10, 0, 0, 905e6, time.UTC)},
		{"2026-11-20T10:00:00", time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{"2026-11-20", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{"2026-11-20||+1d", time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
		{"1763640000000", time.UnixMilli(1763640000000).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "yesterday", "now-", "now-5", "now-5x", "now/", "now/q", "now*2", "2026-13-01", "now-99999999y", "2026-11-20||", "7000-01-10", "1969-12-31T23:59:59Z", "now-1d;DROP"} {
		if _, err := Parse(in, now); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", in)
		}
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30m", 30 * time.Minute, true},
		{"24h", 24 * time.Hour, true},
		{"168h", 168 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"45s", 45 * time.Second, true},
		{"0h", 0, false},
		{"h", 0, false},
		{"24", 0, false},
		{"-1h", 0, false},
		{"1y", 0, false},
		{"99999d", 0, false},
		{"1.5h", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseRange(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRange(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"now-24h", "now-7d/d", "2026-11-20T10:00:00Z", "2026-11-20||+1d", "1763640000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, now)
		if err == nil && (got.Year() < minYear || got.Year() > maxYear) {
			t.Fatalf("Parse(%q) = %s escapes the allowed range", s, got)
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"24h", "7d", "2w", "30m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseRange(s)
		if err == nil && (d <= 0 || d > MaxRange) {
			t.Fatalf("ParseRange(%q) = %v outside (0, MaxRange]", s, d)
		}
	})
}

package args

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAgentID(t *testing.T) {
	tests := []struct{ in, want string }{
		// One canonical form whatever the padding: the indexer stores "001",
		// so "0001" must not pass through as is.
		{"1", "001"}, {"01", "001"}, {"001", "001"}, {"0001", "001"}, {"00000001", "001"},
		{"0", "000"}, {"00", "000"}, {"000", "000"}, {"0000", "000"},
		{"12", "012"}, {"1234", "1234"}, {"01234", "1234"}, {" 7 ", "007"}, {"12345678", "12345678"},
		{"", ""}, {"abc", ""}, {"1;2", ""}, {"123456789", ""}, {"000000001", ""}, {"-1", ""}, {"1,2", ""}, {"٣", ""}, {"００１", ""},
	}
	for _, tt := range tests {
		got, err := AgentID("agent_id", tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("AgentID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && !strings.Contains(err.Error(), "invalid argument agent_id") {
			t.Errorf("AgentID(%q) error does not name the argument: %v", tt.in, err)
		}
	}
	_, err := AgentID("agent_id", "123456789")
	if err == nil || !strings.Contains(err.Error(), "1 to 8 digits") {
		t.Errorf("too long: %v, want the allowed length", err)
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    LevelRange
		wantErr bool
	}{
		{"12", LevelRange{Min: 12}, false},
		{"12+", LevelRange{Min: 12}, false},
		{"0", LevelRange{}, false},
		{"10-12", LevelRange{Min: 10, Max: 12}, false},
		{"", LevelRange{}, false},
		{"17", LevelRange{}, true},
		{"12-10", LevelRange{}, true},
		{"high", LevelRange{}, true},
		{"12++", LevelRange{}, true},
		{"-1", LevelRange{}, true},
	}
	for _, tt := range tests {
		got, err := Level("level", tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Level(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestRuleIDAndGroups(t *testing.T) {
	if got, err := RuleID("rule_id", "05712"); err != nil || got != "5712" {
		t.Errorf("RuleID(05712) = %q, %v", got, err)
	}
	for _, bad := range []string{"57a", "5712,1", "1234567", "5712;rule.level>0"} {
		if _, err := RuleID("rule_id", bad); err == nil {
			t.Errorf("RuleID(%q) accepted", bad)
		}
	}
	if _, err := Groups("rule_groups", []string{"sshd", "authentication_failed"}); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{{"a b"}, {"x\"y"}, {strings.Repeat("a", 65)}, make([]string, 21)} {
		if _, err := Groups("rule_groups", bad); err == nil {
			t.Errorf("Groups(%q) accepted", bad)
		}
	}
}

func TestFlexDecoding(t *testing.T) {
	var in struct {
		Limit  Int    `json:"limit"`
		Rule   String `json:"rule_id"`
		Full   Bool   `json:"full"`
		Groups List   `json:"groups"`
		More   List   `json:"more"`
	}
	raw := `{"limit":"25","rule_id":5712,"full":"true","groups":"sshd, pam","more":["a",1]}`
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		t.Fatal(err)
	}
	if in.Limit != 25 || in.Rule != "5712" || !bool(in.Full) || len(in.Groups) != 2 || in.Groups[1] != "pam" || in.More[1] != "1" {
		t.Fatalf("decoded %+v", in)
	}
	for _, bad := range []string{`{"limit":"ten"}`, `{"limit":1.5}`, `{"limit":1e12}`, `{"full":"maybe"}`, `{"rule_id":{}}`} {
		if err := json.Unmarshal([]byte(bad), &in); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

func TestWindowAndRange(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	from, to, err := TimeRange("time_range", "", "24h", now)
	if err != nil || !to.Equal(now) || !from.Equal(now.Add(-24*time.Hour)) {
		t.Fatalf("default range = %s..%s, %v", from, to, err)
	}
	if _, _, err := TimeRange("time_range", "24 hours", "24h", now); err == nil {
		t.Fatal("accepted '24 hours'")
	}
	from, to, err = Window("timestamp_start", "2026-11-20T10:00:00.000Z", "timestamp_end", "now-1h", 0, now)
	if err != nil || from.Hour() != 10 || !to.Equal(now.Add(-time.Hour)) {
		t.Fatalf("window = %s..%s, %v", from, to, err)
	}
	_, _, err = Window("timestamp_start", "now", "timestamp_end", "now-1h", 0, now)
	var ae *Error
	if !errors.As(err, &ae) || ae.Arg != "timestamp_start" {
		t.Fatalf("reversed window error = %v", err)
	}
}

func TestIP(t *testing.T) {
	tests := []struct {
		in, want string // want: canonical text; "" = refused
		problem  string // for a refusal, part of the message
	}{
		{"203.0.113.7", "203.0.113.7", ""},
		{" 203.0.113.7\n", "203.0.113.7", ""},
		{"::ffff:203.0.113.7", "203.0.113.7", ""},
		{"2001:db8::1", "2001:db8::1", ""},
		{"[2001:db8::1]", "2001:db8::1", ""}, // as in a URL; policy.ParseIP took it, now one rule
		{"[::ffff:203.0.113.7]", "203.0.113.7", ""},
		{"", "", "is empty: give an IPv4 or IPv6 address"},
		{"203.0.113", "", "is not an IP address (IPv4 as four decimal parts without leading zeros, or IPv6)"},
		{"0203.0.113.7", "", "without leading zeros"},
		{"0x7f000001", "", "is not an IP address"},
		{"1.2.3.4/24", "", "is not an IP address"},
		{"example.com", "", "is not an IP address"},
		{"[::1", "", "is not an IP address"},
		{"[[::1]]", "", "is not an IP address"},
		{"fe80::1%eth0", "", "IPv6 zones (%iface) are not accepted"},
		{"[fe80::1%eth0]", "", "IPv6 zones (%iface) are not accepted"},
	}
	for _, tt := range tests {
		a, err := IP("srcip", tt.in)
		if tt.want == "" {
			if err == nil || !strings.HasPrefix(err.Error(), "invalid argument srcip: ") || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("IP(%q) = %v, %v; want an error naming srcip and saying %q", tt.in, a, err, tt.problem)
			}
			continue
		}
		if err != nil || a.String() != tt.want {
			t.Errorf("IP(%q) = %v, %v; want %s", tt.in, a, err, tt.want)
		}
		if got, err := OptionalIP("srcip", tt.in); err != nil || got != tt.want {
			t.Errorf("OptionalIP(%q) = %q, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	if _, err := Text("query", "", 500, true); err == nil {
		t.Error("empty required text accepted")
	}
	if _, err := Text("query", strings.Repeat("x", 501), 500, true); err == nil {
		t.Error("oversized text accepted")
	}
	if _, err := Text("query", "a\x00b", 500, true); err == nil {
		t.Error("NUL accepted")
	}
	if got, err := Text("query", "  failed password  ", 500, true); err != nil || got != "failed password" {
		t.Errorf("Text = %q, %v", got, err)
	}
}

func FuzzAgentID(f *testing.F) {
	for _, s := range []string{"1", "001", "99999", "1;2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := AgentID("agent_id", s)
		if err != nil {
			return
		}
		if !digitsRe.MatchString(got) || len(got) < 3 || len(got) > MaxAgentIDDigits ||
			(len(got) > 3 && got[0] == '0') {
			t.Fatalf("AgentID(%q) = %q, not canonical", s, got)
		}
		if again, err := AgentID("agent_id", got); err != nil || again != got {
			t.Fatalf("AgentID(%q) = %q, which normalises again to %q, %v", s, got, again, err)
		}
	})
}

func FuzzLevel(f *testing.F) {
	for _, s := range []string{"12", "12+", "3-7", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Level("level", s)
		if err == nil && (r.Min < 0 || r.Min > 16 || r.Max > 16 || (r.Max != 0 && r.Max < r.Min)) {
			t.Fatalf("Level(%q) = %+v", s, r)
		}
	})
}

func FuzzFlex(f *testing.F) {
	f.Add([]byte(`{"limit":"25","rule_id":5712,"full":"true","groups":"sshd, pam"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var in struct {
			Limit  Int    `json:"limit"`
			Rule   String `json:"rule_id"`
			Full   Bool   `json:"full"`
			Groups List   `json:"groups"`
		}
		_ = json.Unmarshal(b, &in) // must not panic
	})
}

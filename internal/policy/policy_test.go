package policy

import (
	"strings"
	"testing"
)

func TestFence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain log line", "plain log line"},
		{"line1\nline2\tx", "line1\nline2\tx"},
		{"bell\x07esc\x1b[31m", `bell\x07esc\x1b[31m`},
		{"zero\u200bwidth", `zero\u{200B}width`},
		{"bidi\u202eevil", `bidi\u{202E}evil`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"ünïcödé ok", "ünïcödé ok"},
	}
	for _, tt := range tests {
		if got := Fence(tt.in, 0); got != tt.want {
			t.Errorf("Fence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("a", 100)
	if got := Fence(long, 10); got != strings.Repeat("a", 10)+"…[truncated 90 bytes]" {
		t.Errorf("truncation = %q", got)
	}
}

func TestFenceAnyBounds(t *testing.T) {
	var deep any = "x"
	for i := 0; i < 20; i++ {
		deep = map[string]any{"k": deep}
	}
	out := FenceAny(deep, 0)
	s := strings.Repeat(`map[k:`, 9)
	if got := strings.Count(fmtAny(out), "map["); got > 10 {
		t.Fatalf("depth not bounded: %d levels (%s…)", got, s[:10])
	}
	list := make([]any, 500)
	if got := len(FenceAny(list, 0).([]any)); got != maxFenceItems+1 {
		t.Fatalf("items not bounded: %d", got)
	}
}

func fmtAny(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		if m, ok := v.(map[string]any); ok {
			b.WriteString("map[")
			for _, x := range m {
				walk(x)
			}
		}
	}
	walk(v)
	return b.String()
}

func TestIP(t *testing.T) {
	tests := []struct {
		in      string
		include bool
		want    string
	}{
		{"203.0.113.7", false, "203.0.113.7"},
		{"10.0.1.11", false, RedactedIP},
		{"10.0.1.11", true, "10.0.1.11"},
		{"::ffff:192.168.1.1", false, RedactedIP},
		{"127.0.0.1", false, RedactedIP},
		{"fe80::1", false, RedactedIP},
		{"fd00::1", false, RedactedIP},
		{"any", false, "any"},
	}
	for _, tt := range tests {
		if got := IP(tt.in, tt.include); got != tt.want {
			t.Errorf("IP(%q,%v) = %q", tt.in, tt.include, got)
		}
	}
}

func TestScrub(t *testing.T) {
	tests := []struct{ in, mustNotContain string }{
		{"Authorization: Bearer eyJhbGciOiJFUzUxMiJ9.eyJzdWIiOiJ3In0.sig", "eyJhbGci"},
		{"Get https://wazuh:s3cretP@ss@host:55000/agents: EOF", "s3cretP"},
		{"login failed: password=hunter2 for user wazuh", "hunter2"},
		{`{"api_key": "abcd1234efgh"}`, "abcd1234efgh"},
		{"basic d2F6dWg6d2F6dWg=", "d2F6dWg6d2F6dWg="},
		{"headers [X-API-Key: ak_live_7Hq2Zx9P]", "ak_live_7Hq2Zx9P"},
		{"api-key=ak_live_7Hq2Zx9P", "ak_live_7Hq2Zx9P"},
		{"Authorization: ApiKey VnVhQ2ZHY0JDZGJrU", "VnVhQ2ZHY0JDZGJrU"},
		{"connect admin:Hunt3r2-S3cr3t@indexer:9200 failed", "Hunt3r2-S3cr3t"},
		{"dsn=wazuh:pw-123456@db.local", "pw-123456"},
	}
	for _, tt := range tests {
		if got := Scrub(tt.in); strings.Contains(got, tt.mustNotContain) {
			t.Errorf("Scrub(%q) = %q still contains the secret", tt.in, got)
		}
	}
	for _, harmless := range []string{"agent 001 not found", "at 12:30 user deploy@web-01 logged in", "[::1]:55000 refused", "see https://wazuh.example/x"} {
		if got := Scrub(harmless); got != harmless {
			t.Errorf("Scrub changed harmless text: %q", got)
		}
	}
}

func TestIsSecretKey(t *testing.T) {
	for k, want := range map[string]bool{"password": true, "api_key": true, "key": true, "client_key": true, "hook_url": true, "url": false, "dsn": true, "DSN": true, "dsn_name": false, "teams_hook": true, "webhook": true, "name": false, "port": false, "token": true, "keys": false} {
		if IsSecretKey(k) != want {
			t.Errorf("IsSecretKey(%q) = %v", k, !want)
		}
	}
}

func FuzzFence(f *testing.F) {
	for _, s := range []string{"a\x00b", "\u202e", "x\xff", "ok"} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 4096 || max < -1 {
			return
		}
		out := Fence(s, max)
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
				t.Fatalf("control character %U survived in %q", r, out)
			}
		}
	})
}

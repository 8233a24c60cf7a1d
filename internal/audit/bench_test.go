package audit

import (
	"encoding/json"
	"strings"
	"testing"
)

// Benchmarks of the audit record's argument redaction, which runs on every
// tools/call. Run them one at a time on a small machine:
//
//	go test ./internal/audit -run '^$' -bench . -benchtime 1s

func BenchmarkRedactArguments(b *testing.B) {
	cases := []struct {
		name string
		args string
	}{
		// A typical read call.
		{"typical", `{"time_range":"24h","limit":50,"agent_id":"001","min_level":7,"include_ip":true,"reason":"triage of the brute force on web-01"}`},
		// A write call with a secret-looking key and a free-text field.
		{"write", `{"ip":"203.0.113.7","agent_id":["001","002"],"duration":600,"api_key":"k-123456789","justification":"` +
			strings.Repeat("blocked after 40 failed logins, see alert 1652272159.1549653; ", 6) + `"}`},
	}
	for _, c := range cases {
		raw := json.RawMessage(c.args)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if out := RedactArguments(raw); len(out) == 0 {
					b.Fatal("nothing recorded")
				}
			}
		})
	}
}

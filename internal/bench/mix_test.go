package bench

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseMix(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	good := []struct {
		in   string
		want []MixEntry
	}{
		{"get_wazuh_agents", []MixEntry{{Tool: "get_wazuh_agents", Weight: 1}}},
		{DefaultMix, []MixEntry{{Tool: "get_wazuh_agents", Weight: 1, Args: map[string]any{"limit": n("20")}}}},
		{`get_wazuh_agents:3:{"limit":20, "status":["active","pending"]}, get_wazuh_rules_summary:1`, []MixEntry{
			{Tool: "get_wazuh_agents", Weight: 3, Args: map[string]any{"limit": n("20"), "status": []any{"active", "pending"}}},
			{Tool: "get_wazuh_rules_summary", Weight: 1},
		}},
		{`search_security_events:2:{"query":"a,b:c}{"}`, []MixEntry{{Tool: "search_security_events", Weight: 2, Args: map[string]any{"query": "a,b:c}{"}}}},
		{`get_agent:1:{}`, []MixEntry{{Tool: "get_agent", Weight: 1}}},
		{`x-y_Z9:1000`, []MixEntry{{Tool: "x-y_Z9", Weight: 1000}}},
	}
	for _, c := range good {
		got, err := ParseMix(c.in)
		if err != nil {
			t.Errorf("ParseMix(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseMix(%q) = %#v, want %#v", c.in, got, c.want)
		}
	}
	bad := []struct{ in, err string }{
		{"", "--mix is empty: give tool[:weight[:json-args]] entries separated by commas"},
		{"  ", "--mix is empty: give tool[:weight[:json-args]] entries separated by commas"},
		{"a,", `--mix entry 2 (""): empty entry (a doubled or trailing comma?)`},
		{"a,,b", `--mix entry 2 (""): empty entry (a doubled or trailing comma?)`},
		{"a:0", `--mix entry 1 ("a:0"): weight "0": want a whole number 1-1000`},
		{"a:1001", `--mix entry 1 ("a:1001"): weight "1001": want a whole number 1-1000`},
		{"a:x", `--mix entry 1 ("a:x"): weight "x": want a whole number 1-1000`},
		{"a::{}", `--mix entry 1 ("a::{}"): weight "": want a whole number 1-1000`},
		{`a b:1`, `--mix entry 1 ("a b:1"): tool name "a b": want letters, digits, _ and - (1-128 characters)`},
		{`:1`, `--mix entry 1 (":1"): tool name "": want letters, digits, _ and - (1-128 characters)`},
		{`a:1:[1,2]`, `--mix entry 1 ("a:1:[1,2]"): arguments must be a JSON object, e.g. {"limit":20}`},
		{`a:1:{"limit":20}}`, `--mix: unbalanced '}' at offset 16`},
		{`a:1:{"limit":20`, `--mix: unterminated JSON arguments (check braces and quotes)`},
		{`a:1:{"q":"x}`, `--mix: unterminated JSON arguments (check braces and quotes)`},
		{`a:1:{"limit":}`, `--mix entry 1 ("a:1:{\"limit\":}"): arguments are not JSON: invalid character '}' looking for beginning of value`},
		{`a:1:{} {}`, `--mix entry 1 ("a:1:{} {}"): arguments: text after the JSON object`},
		{`a:1:{"limit":20},b,a:2:{"limit":20}`, `--mix lists a {"limit":20} twice: give it one entry with the summed weight`},
	}
	for _, c := range bad {
		_, err := ParseMix(c.in)
		if err == nil || err.Error() != c.err {
			t.Errorf("ParseMix(%q) error = %v\n want %s", c.in, err, c.err)
		}
	}
}

func TestMixLabel(t *testing.T) {
	m, err := ParseMix(`get_wazuh_agents:1:{"status":"active","limit":20},get_wazuh_rules_summary`)
	if err != nil {
		t.Fatal(err)
	}
	if m[0].Label() != `get_wazuh_agents {"limit":20,"status":"active"}` || m[1].Label() != "get_wazuh_rules_summary" {
		t.Errorf("labels %q, %q", m[0].Label(), m[1].Label())
	}
}

func TestCheckTools(t *testing.T) {
	m, _ := ParseMix("a,b,c")
	if err := CheckTools(m, []string{"a", "b", "c", "d"}); err != nil {
		t.Errorf("all offered: %v", err)
	}
	err := CheckTools(m, []string{"a", "d"})
	want := "--mix: the server does not offer \"b\", \"c\" (its tools/list has 2 tools; `wazuh-mcp tools` lists them; a tool outside the default toolsets needs --toolsets)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestPick(t *testing.T) {
	m, _ := ParseMix("a:3,b:1")
	p := newPick(m)
	// Each integer in [0,total) maps to its entry in proportion to weights.
	got := map[int]int{}
	for n := range p.total {
		got[searchCum(p.cum, n)]++
	}
	if got[0] != 3 || got[1] != 1 {
		t.Errorf("weights map to %v", got)
	}
}

func TestPercentile(t *testing.T) {
	d := func(ms ...int) []time.Duration {
		out := make([]time.Duration, len(ms))
		for i, m := range ms {
			out[i] = time.Duration(m) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1 // 1..100 ms
	}
	cases := []struct {
		vals []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{d(7), 50, 7 * time.Millisecond},
		{d(7), 99, 7 * time.Millisecond},
		{d(1, 2), 50, time.Millisecond},
		{d(1, 2), 51, 2 * time.Millisecond},
		{d(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{d(1, 2, 3, 4), 75, 3 * time.Millisecond},
		{d(1, 2, 3, 4), 100, 4 * time.Millisecond},
		{d(hundred...), 50, 50 * time.Millisecond},
		{d(hundred...), 95, 95 * time.Millisecond},
		{d(hundred...), 99, 99 * time.Millisecond},
		{d(hundred...), 99.5, 100 * time.Millisecond},
		{d(hundred...), 1, time.Millisecond},
	}
	for _, c := range cases {
		if got := Percentile(c.vals, c.p); got != c.want {
			t.Errorf("Percentile(%d values, %v) = %v, want %v", len(c.vals), c.p, got, c.want)
		}
	}
	l := Summarise(d(4, 1, 3, 2, 10))
	want := Latency{P50: 3, P95: 10, P99: 10, Max: 10, Mean: 4}
	if l != want {
		t.Errorf("Summarise = %+v, want %+v", l, want)
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
process_resident_memory_bytes 3.3554432e+07
wazuh_mcp_sessions_active 3
wazuh_mcp_backend_requests_total{backend="manager",endpoint="/agents",status="200"} 5
wazuh_mcp_backend_requests_total{backend="manager",endpoint="/security/user/authenticate",status="200"} 1
wazuh_mcp_backend_requests_total{backend="indexer",endpoint="/wazuh-alerts-*/_search",status="200"} 7
wazuh_mcp_backend_requests_total{backend="indexer",endpoint="/",status="error"} 2
`
	s, err := ParseMetrics(stringsReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := Sample{RSSBytes: 33554432, Goroutines: 42, Sessions: 3, ManagerRequests: 6, IndexerRequests: 9}
	if s != want {
		t.Errorf("ParseMetrics = %+v, want %+v", s, want)
	}
	if _, err := ParseMetrics(stringsReader("up 1\n")); err == nil || err.Error() != "/metrics has no go_goroutines: is this a wazuh-mcp server?" {
		t.Errorf("not a wazuh-mcp server: %v", err)
	}
}

func TestMetricsURL(t *testing.T) {
	if u, err := MetricsURL("http://127.0.0.1:3000/mcp?x=1"); err != nil || u != "http://127.0.0.1:3000/metrics" {
		t.Errorf("MetricsURL = %q, %v", u, err)
	}
	if _, err := MetricsURL("127.0.0.1:3000"); err == nil {
		t.Error("a URL without scheme was accepted")
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/bench"
)

// benchTestChild makes the test binary act as wazuh-mcp (TestMain) when the
// bench starts it as its child server.
const benchTestChild = "WAZUH_MCP_BENCH_TEST_CHILD"

func runBenchCmd(t *testing.T, argv ...string) (code int, stdout, stderr string, rep *bench.Report) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bench.json")
	var out, errOut syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = Run(ctx, "test", append([]string{"bench", "--alerts", "200", "--json", path}, argv...), &out, &errOut)
	if b, err := os.ReadFile(path); err == nil {
		rep = &bench.Report{}
		if err := json.Unmarshal(b, rep); err != nil {
			t.Fatalf("the JSON report does not decode: %v\n%s", err, b)
		}
	}
	return code, out.String(), errOut.String(), rep
}

// TestBenchChildServer runs the default path: the stand-in in-process, the
// server as a child process, idle sessions, a load and the direct baseline.
func TestBenchChildServer(t *testing.T) {
	old := benchChildEnv
	benchChildEnv = []string{benchTestChild + "=1"}
	t.Cleanup(func() { benchChildEnv = old })

	code, out, errOut, rep := runBenchCmd(t, "--sessions", "2", "--duration", "1s", "--warmup", "0",
		"--idle-sessions", "3", "--direct", "--sdk-floor", "--fail-on-error", "--sim-latency", "3ms", "--sim-requests-per-minute", "0")
	if code != 0 || rep == nil {
		t.Fatalf("bench exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	s := rep.Server
	if rep.Version != bench.ReportVersion || rep.Mode != "load" || s.Process != "child" || s.StartupMS <= 0 || s.Tools == 0 || s.Alerts < 200 {
		t.Errorf("server: %+v", s)
	}
	if s.Idle == nil || s.Idle.RSSBytes <= 0 || s.Idle.Goroutines <= 0 || s.Idle.Sessions != 0 || s.Before == nil || s.After == nil {
		t.Fatalf("server samples: idle %+v before %+v after %+v", s.Idle, s.Before, s.After)
	}
	if rep.Idle == nil || rep.Idle.Opened != 3 || rep.Idle.With == nil || rep.Idle.With.Sessions != 3 {
		t.Errorf("idle sessions: %+v", rep.Idle)
	}
	l := rep.Load
	if l == nil || l.Calls == 0 || l.Failed != 0 || rep.Failures != 0 || len(l.Tools) != 1 {
		t.Fatalf("load: %+v", l)
	}
	if tl := l.Tools[0]; tl.Calls != l.Calls || tl.Label != `get_wazuh_agents {"limit":20}` || tl.Errors.Total() != 0 {
		t.Errorf("per tool: %+v of %d calls", tl, l.Calls)
	}
	b := rep.Backend
	if b == nil || b.Source != "stand-in" {
		t.Fatalf("backend: %+v", b)
	}
	sum := 0
	for _, n := range b.ManagerByPath {
		sum += n
	}
	// Without warmup the window is the phase: the stand-in's counters were
	// reset at its start, so the peak of the (sub-minute) phase is its total.
	if b.ManagerByPath["GET /agents"] < 1 || sum != b.ManagerRequests || b.ManagerPeakPerMinute != b.ManagerRequests || b.ManagerRateLimited != 0 {
		t.Errorf("backend: %+v", b)
	}
	// The server's own metrics saw the same Manager requests (they count
	// since start; nothing reached the Manager before the load).
	if got := s.After.ManagerRequests - s.Before.ManagerRequests; got != b.ManagerRequests {
		t.Errorf("server metrics count %d Manager requests in the phase, the stand-in %d", got, b.ManagerRequests)
	}
	d := rep.Direct
	if d == nil || len(d.Results) != 1 || len(d.NoEquivalent) != 0 {
		t.Fatalf("direct: %+v", d)
	}
	if r := d.Results[0]; r.Request != "GET /agents?limit=20&sort=%2Bid" || r.Calls == 0 || r.Errors.Total() != 0 || r.P50Ratio <= 0 || r.P99Ratio <= 0 {
		t.Errorf("direct result: %+v", r)
	}
	// --sim-latency reached the stand-in: no direct answer can beat it.
	if r := d.Results[0]; r.Latency.P50 < 3 || !strings.Contains(strings.Join(rep.Notes, "\n"), "adds 3ms to every answer (--sim-latency)") {
		t.Errorf("--sim-latency 3ms: direct p50 %.2f ms, notes %q", r.Latency.P50, rep.Notes)
	}
	fl := rep.Floor
	if fl == nil || fl.Process != "bench" || len(fl.Results) != 1 {
		t.Fatalf("sdk floor: %+v", fl)
	}
	// The floor replays the server's result: no errors, and ratios to both
	// the load phase and the direct phase.
	if r := fl.Results[0]; r.Label != l.Tools[0].Label || r.Calls == 0 || r.Errors.Total() != 0 || r.P50Ratio <= 0 || r.P99Ratio <= 0 || r.FloorDirectP50Ratio <= 0 {
		t.Errorf("sdk floor result: %+v", r)
	}
	for _, want := range []string{"load: 2 sessions", "get_wazuh_agents {\"limit\":20}", "direct to the Manager", "MCP/direct p50", "idle sessions: 3 of 3 opened", "go-sdk floor (a bare go-sdk server", "MCP/floor p50"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The child is gone once the bench has returned.
	base := strings.TrimSuffix(s.URL, "/mcp")
	if res, err := (&http.Client{Timeout: time.Second}).Get(base + "/health"); err == nil {
		res.Body.Close()
		t.Errorf("the child server still answers at %s after the bench ended", base)
	}
}

// TestBenchInProcessSoak: a soak with the server in-process; a failing
// entry is counted by kind and fails the run with --fail-on-error, and
// an entry without a direct request is named.
func TestBenchInProcessSoak(t *testing.T) {
	code, out, errOut, rep := runBenchCmd(t, "--in-process", "--soak", "--sessions", "2", "--duration", "1s", "--warmup", "0",
		"--sample-every", "200ms", "--soak-calls", "2", "--fail-on-error", "--direct",
		"--mix", `get_wazuh_agents:1:{"limit":5},get_agent:1:{"agent_id":"999"}`)
	if code != 1 || !strings.Contains(errOut, "calls or sessions failed (--fail-on-error)") {
		t.Fatalf("bench exited %d (want 1 for the failing entry)\nstderr:\n%s", code, errOut)
	}
	if rep == nil || rep.Mode != "soak" || rep.Server.Process != "in-process" || rep.Load == nil {
		t.Fatalf("report: %+v", rep)
	}
	l := rep.Load
	if l.SessionsOpened < 2 || l.Calls != 2*l.SessionsOpened || l.SessionErrors.Total() != 0 {
		t.Errorf("soak: %d sessions opened, %d calls, session errors %+v", l.SessionsOpened, l.Calls, l.SessionErrors)
	}
	ok, bad := l.Tools[0], l.Tools[1]
	if ok.Calls == 0 || ok.Errors.Total() != 0 || bad.Calls == 0 || bad.Errors.Tool != bad.Calls || bad.Errors.ToolSample == "" ||
		bad.Errors.Transport+bad.Errors.JSONRPC != 0 || rep.Failures != bad.Calls || ok.Calls+bad.Calls != l.Calls {
		t.Errorf("per tool: %+v / %+v", ok, bad)
	}
	if rep.Soak == nil || len(rep.Soak.Samples) < 3 || rep.Soak.RSSMax < rep.Soak.RSSFirst || rep.Soak.GoroutinesMax < rep.Soak.GoroutinesLast {
		t.Errorf("soak samples: %+v", rep.Soak)
	}
	if rep.Direct == nil || len(rep.Direct.NoEquivalent) != 1 || !strings.HasPrefix(rep.Direct.NoEquivalent[0], `get_agent {"agent_id":"999"}: no direct equivalent`) {
		t.Errorf("direct: %+v", rep.Direct)
	}
	if !strings.Contains(out, "soak samples") || !strings.Contains(out, "tool errors, e.g.") {
		t.Errorf("table:\n%s", out)
	}
}

func TestBenchUnknownTool(t *testing.T) {
	code, _, errOut, _ := runBenchCmd(t, "--in-process", "--mix", "get_wazuh_agents,nosuch_tool")
	want := "Error: --mix: the server does not offer \"nosuch_tool\" (its tools/list has 34 tools; `wazuh-mcp tools` lists them; a tool outside the default toolsets needs --toolsets)"
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant %s", code, errOut, want)
	}
}

func TestBenchFlagErrors(t *testing.T) {
	cases := []struct {
		argv []string
		want string
	}{
		{[]string{"--sessions", "0"}, "--sessions 0: want 1-10000"},
		{[]string{"--duration", "0"}, "--duration 0 leaves nothing to measure: give --idle-sessions or a duration"},
		{[]string{"--url", "http://127.0.0.1:1/mcp", "--toolsets", "all"}, "--in-process, --server-env and --toolsets configure the local server: not with --url"},
		{[]string{"--url", "http://127.0.0.1:1/mcp", "--direct"}, "--direct with --url needs the Manager"},
		{[]string{"--server-env", "NOEQUALS"}, `--server-env "NOEQUALS": want KEY=VALUE`},
		{[]string{"--mix", "a:0"}, `--mix entry 1 ("a:0"): weight "0": want a whole number 1-1000`},
		{[]string{"--in-process", "--server-env", "WAZUH_FAST_CACHE_TTL=0"}, "--server-env sets the child server's environment: not with --in-process"},
		{[]string{"--sim-latency", "-1ms"}, "--sim-latency -1ms: want 0 to 1m"},
		{[]string{"--sim-requests-per-minute", "-5"}, "--sim-requests-per-minute -5: want 0 (off) or more"},
		{[]string{"--url", "http://127.0.0.1:1/mcp", "--sim-latency", "5ms"}, "--sim-latency and --sim-requests-per-minute configure the local stand-in: not with --url"},
		{[]string{"--soak", "--sdk-floor"}, "--sdk-floor compares with the load phase: it needs a --duration and no --soak"},
		{[]string{"--duration", "0", "--idle-sessions", "2", "--sdk-floor"}, "--sdk-floor compares with the load phase"},
		{[]string{"--url", "127.0.0.1:1"}, `--url "127.0.0.1:1": want an http(s) URL of an MCP endpoint`},
	}
	for _, c := range cases {
		t.Setenv("WAZUH_USER", "")
		t.Setenv("WAZUH_PASS", "")
		var out, errOut bytes.Buffer
		if code := Run(context.Background(), "test", append([]string{"bench"}, c.argv...), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("bench %v: exit %d, stderr %q, want %q", c.argv, code, errOut.String(), c.want)
		}
	}
}

package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
)

// ReportVersion is the version of the JSON report's format. Field names
// are stable within a version; new fields may be added.
const ReportVersion = 1

// Report is the whole result of one `wazuh-mcp bench` run; it is written as
// JSON with --json. Times are in milliseconds (_ms) or seconds (_s), memory
// in bytes.
type Report struct {
	Version  int          `json:"version"`
	Mode     string       `json:"mode"` // load | soak | idle (no load phase)
	Server   ServerInfo   `json:"server"`
	Mix      []MixEntry   `json:"mix"`
	Load     *LoadResult  `json:"load,omitempty"` // the load or soak phase
	Direct   *Direct      `json:"direct,omitempty"`
	Floor    *FloorReport `json:"sdk_floor,omitempty"`
	Backend  *Backend     `json:"backend,omitempty"`
	Idle     *Idle        `json:"idle_sessions,omitempty"`
	Soak     *Soak        `json:"soak,omitempty"`
	Failures int          `json:"failures"` // failed calls plus session errors of every phase
	Notes    []string     `json:"notes,omitempty"`
}

// ServerInfo describes the server under test.
type ServerInfo struct {
	URL string `json:"url"`
	// How it ran: "child" (a separate process of this binary, started by
	// the bench), "in-process" (inside the bench process: its memory
	// figures include the bench's) or "external" (--url).
	Process string `json:"process"`
	// StartupMS: from starting the server to its first 200 on /health
	// (the stand-in's data generation excluded). Local servers only.
	StartupMS float64 `json:"startup_ms,omitempty"`
	// StandInMS: the stand-in's data generation (not part of start-up).
	StandInMS float64 `json:"stand_in_ms,omitempty"`
	Alerts    int     `json:"alerts,omitempty"` // stand-in alerts
	Tools     int     `json:"tools"`            // tools the server lists
	// Idle is the server before any session (after start-up).
	Idle *Sample `json:"idle,omitempty"`
	// Before and After bracket the load (or soak) phase.
	Before *Sample `json:"before,omitempty"`
	After  *Sample `json:"after,omitempty"`
	// CPUPerCallMS is the server's CPU time per counted call over the
	// load phase (warmup included in the CPU, so a slight overestimate);
	// LoadGenCPUPerCallMS is the bench process's own (client and, when
	// local, the stand-in; with --in-process also the server).
	CPUPerCallMS        float64 `json:"cpu_per_call_ms,omitempty"`
	LoadGenCPUPerCallMS float64 `json:"loadgen_cpu_per_call_ms,omitempty"`
}

// Direct compares the MCP figures with the same requests sent straight to
// the Manager by as many workers for as long.
type Direct struct {
	Results []DirectComparison `json:"results"`
	// NoEquivalent lists mix entries without a known direct request, with
	// the reason.
	NoEquivalent []string `json:"no_equivalent,omitempty"`
}

// DirectComparison is one entry: direct figures and the MCP/direct ratios.
type DirectComparison struct {
	DirectResult
	P50Ratio float64 `json:"p50_ratio"` // MCP p50 / direct p50 (target ≤ 1.5)
	P99Ratio float64 `json:"p99_ratio"` // MCP p99 / direct p99 (target ≤ 2)
}

// Backend is what reached Wazuh during the measured window of the load
// (or soak) phase.
type Backend struct {
	// Source: "stand-in" (the stand-in's own counters: exact, and the
	// peak and 429s are known) or "server-metrics" (the server's
	// wazuh_mcp_backend_requests_total).
	Source          string         `json:"source"`
	ManagerRequests int            `json:"manager_requests"`
	IndexerRequests int            `json:"indexer_requests"` // from the server's metrics
	ManagerByPath   map[string]int `json:"manager_by_path,omitempty"`
	ManagerLogins   int            `json:"manager_logins,omitempty"`
	// ManagerPeakPerMinute: most Manager requests in any 60 s window of
	// the phase, warmup included (stand-in only; -1 = unknown).
	ManagerPeakPerMinute int `json:"manager_peak_per_minute"`
	// ManagerRateLimited: Manager answers 429 (stand-in only; -1 = unknown).
	ManagerRateLimited int `json:"manager_rate_limited"`
}

// Idle is the server with N idle sessions open.
type Idle struct {
	IdleResult
	With *Sample `json:"with,omitempty"` // server sample with the sessions open
}

// Soak is the series of server samples taken while sessions churned.
type Soak struct {
	Samples         []Sample `json:"samples"`
	RSSFirst        int64    `json:"rss_first_bytes"`
	RSSLast         int64    `json:"rss_last_bytes"`
	RSSMax          int64    `json:"rss_max_bytes"`
	GoroutinesFirst int      `json:"goroutines_first"`
	GoroutinesLast  int      `json:"goroutines_last"`
	GoroutinesMax   int      `json:"goroutines_max"`
}

// NewSoak summarises samples.
func NewSoak(samples []Sample) *Soak {
	s := &Soak{Samples: samples}
	if len(samples) == 0 {
		return s
	}
	s.RSSFirst, s.RSSLast = samples[0].RSSBytes, samples[len(samples)-1].RSSBytes
	s.GoroutinesFirst, s.GoroutinesLast = samples[0].Goroutines, samples[len(samples)-1].Goroutines
	for _, x := range samples {
		s.RSSMax = max(s.RSSMax, x.RSSBytes)
		s.GoroutinesMax = max(s.GoroutinesMax, x.Goroutines)
	}
	return s
}

// CountFailures sums failed calls and session errors of every phase.
func (r *Report) CountFailures() int {
	n := 0
	if r.Load != nil {
		n += r.Load.Failed + r.Load.SessionErrors.Total()
	}
	if r.Idle != nil {
		n += r.Idle.Errors.Total() + (r.Idle.Requested - r.Idle.Opened - r.Idle.Errors.Total())
	}
	if r.Direct != nil {
		for _, d := range r.Direct.Results {
			n += d.Errors.Total()
		}
	}
	if r.Floor != nil {
		for _, f := range r.Floor.Results {
			n += f.Errors.Total()
		}
	}
	return n
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteTable prints the report for people.
func (r *Report) WriteTable(w io.Writer) {
	s := r.Server
	fmt.Fprintf(w, "server  %s (%s), %d tools", s.URL, s.Process, s.Tools)
	if s.StartupMS > 0 {
		fmt.Fprintf(w, ", start-up to /health %.1f ms", s.StartupMS)
	}
	if s.StandInMS > 0 {
		fmt.Fprintf(w, " (stand-in data: %d alerts in %.0f ms, not counted)", s.Alerts, s.StandInMS)
	}
	fmt.Fprintln(w)
	if s.Idle != nil {
		fmt.Fprintf(w, "idle    %s\n", sampleLine(*s.Idle))
	}
	if r.Idle != nil {
		fmt.Fprintf(w, "idle sessions: %d of %d opened in %.1f s", r.Idle.Opened, r.Idle.Requested, r.Idle.OpenS)
		if r.Idle.With != nil {
			fmt.Fprintf(w, "; with them open: %s", sampleLine(*r.Idle.With))
		}
		fmt.Fprintln(w)
		writeErrors(w, "  ", r.Idle.Errors)
	}
	if l := r.Load; l != nil {
		fmt.Fprintf(w, "\n%s: %d sessions, %.0f s measured after %.0f s warmup: %d calls, %.1f calls/s, %d failed",
			r.Mode, l.Sessions, l.DurationS, l.WarmupS, l.Calls, l.CallsPerSec, l.Failed)
		if r.Mode == "soak" {
			fmt.Fprintf(w, ", %d sessions opened and closed", l.SessionsOpened)
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "tool\tcalls\tcalls/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
		for _, t := range l.Tools {
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", t.Label, t.Calls, t.CallsPerSec,
				t.Latency.P50, t.Latency.P95, t.Latency.P99, t.Latency.Max, t.Errors.Total())
		}
		tw.Flush()
		for _, t := range l.Tools {
			writeErrors(w, "  "+t.Label+": ", t.Errors)
		}
		writeErrors(w, "  sessions: ", l.SessionErrors)
	}
	if d := r.Direct; d != nil {
		fmt.Fprintln(w, "\ndirect to the Manager (same workers, same duration):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "request\tcalls\tcalls/s\tp50 ms\tp99 ms\terrors\tMCP/direct p50\tp99\t")
		for _, c := range d.Results {
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%d\t%.2f×\t%.2f×\t\n", c.Request, c.Calls, c.CallsPerSec,
				c.Latency.P50, c.Latency.P99, c.Errors.Total(), c.P50Ratio, c.P99Ratio)
		}
		tw.Flush()
		for _, c := range d.Results {
			writeErrors(w, "  "+c.Request+": ", c.Errors)
		}
		for _, n := range d.NoEquivalent {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	if f := r.Floor; f != nil {
		writeFloor(w, f)
	}
	if b := r.Backend; b != nil {
		fmt.Fprintf(w, "\nbackend (%s): %d Manager requests", b.Source, b.ManagerRequests)
		if b.ManagerLogins > 0 {
			fmt.Fprintf(w, " (%d logins)", b.ManagerLogins)
		}
		fmt.Fprintf(w, ", %d indexer requests", b.IndexerRequests)
		if b.ManagerPeakPerMinute >= 0 {
			fmt.Fprintf(w, "; Manager peak %d requests in a 60 s window, %d answered 429", b.ManagerPeakPerMinute, b.ManagerRateLimited)
		}
		fmt.Fprintln(w)
		paths := make([]string, 0, len(b.ManagerByPath))
		for p := range b.ManagerByPath {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			fmt.Fprintf(w, "  %6d  %s\n", b.ManagerByPath[p], p)
		}
	}
	if s.Before != nil && s.After != nil {
		fmt.Fprintf(w, "\nserver before  %s\nserver after   %s\n", sampleLine(*s.Before), sampleLine(*s.After))
	}
	var cpu []string
	if s.CPUPerCallMS > 0 {
		cpu = append(cpu, fmt.Sprintf("server %.3f ms", s.CPUPerCallMS))
	}
	if s.LoadGenCPUPerCallMS > 0 {
		cpu = append(cpu, fmt.Sprintf("load generator process %.3f ms", s.LoadGenCPUPerCallMS))
	}
	if len(cpu) > 0 {
		fmt.Fprintf(w, "CPU per call: %s\n", strings.Join(cpu, ", "))
	}
	if k := r.Soak; k != nil && len(k.Samples) > 0 {
		fmt.Fprintf(w, "\nsoak samples (RSS MiB / goroutines / sessions):\n")
		for _, x := range k.Samples {
			fmt.Fprintf(w, "  %6.0fs  %7.1f  %6d  %5d\n", x.AtS, x.RSSMB(), x.Goroutines, x.Sessions)
		}
		fmt.Fprintf(w, "  RSS first/last/max %.1f/%.1f/%.1f MiB; goroutines first/last/max %d/%d/%d\n",
			mib(k.RSSFirst), mib(k.RSSLast), mib(k.RSSMax), k.GoroutinesFirst, k.GoroutinesLast, k.GoroutinesMax)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if r.Failures > 0 {
		fmt.Fprintf(w, "\n%d failures\n", r.Failures)
	}
}

// writeFloor prints the go-sdk floor phase.
func writeFloor(w io.Writer, f *FloorReport) {
	fmt.Fprintf(w, "\ngo-sdk floor (a bare go-sdk server in the %s process answering every call with the result captured from the server under test; same sessions, same duration): %.1f calls/s\n", f.Process, f.CallsPerSec)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tool\tcalls\tcalls/s\tp50 ms\tp99 ms\terrors\tMCP/floor p50\tp99\tfloor/direct p50\t")
	for _, c := range f.Results {
		fd := "-"
		if c.FloorDirectP50Ratio > 0 {
			fd = fmt.Sprintf("%.2f×", c.FloorDirectP50Ratio)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%d\t%.2f×\t%.2f×\t%s\t\n", c.Label, c.Calls, c.CallsPerSec,
			c.Latency.P50, c.Latency.P99, c.Errors.Total(), c.P50Ratio, c.P99Ratio, fd)
	}
	tw.Flush()
	for _, c := range f.Results {
		writeErrors(w, "  "+c.Label+": ", c.Errors)
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func sampleLine(s Sample) string {
	return fmt.Sprintf("RSS %.1f MiB, %d goroutines, %d sessions", s.RSSMB(), s.Goroutines, s.Sessions)
}

func writeErrors(w io.Writer, prefix string, e Errors) {
	for _, k := range []struct {
		kind   string
		n      int
		sample string
	}{{KindTransport, e.Transport, e.TransportSample}, {KindJSONRPC, e.JSONRPC, e.JSONRPCSample}, {KindTool, e.Tool, e.ToolSample}} {
		if k.n > 0 {
			fmt.Fprintf(w, "%s%d %s errors, e.g. %s\n", prefix, k.n, k.kind, strings.TrimSpace(k.sample))
		}
	}
}

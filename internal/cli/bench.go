package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/bench"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

type benchFlags struct {
	url, token   string
	sessions     int
	duration     time.Duration
	warmup       time.Duration
	mix          string
	direct       bool
	sdkFloor     bool
	soak         bool
	soakCalls    int
	sampleEvery  time.Duration
	idleSessions int
	alerts       int
	seed         int64
	simRPM       int
	simLatency   time.Duration
	jsonPath     string
	failOnError  bool
	inProcess    bool
	toolsets     []string
	serverEnv    []string
	callTimeout  time.Duration
	managerURL   string
	managerUser  string
	managerPass  string
	cpuProfile   string
}

func newBenchCmd(version string) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load-test an MCP server: calls/s, latency, errors, backend requests, server memory",
		Long: `Load-test wazuh-mcp (or any MCP server with --url) with the go-sdk client over
Streamable HTTP, and print a table (and JSON with --json).

Without --url the bench starts the Wazuh stand-in in this process and the server as a
CHILD PROCESS of this binary ("serve --transport http" on a free loopback port, no
authentication, the HTTP rate limits and the session cap off, a temporary data directory).
The server runs apart so that the RSS and goroutines read from its /metrics are the
server's alone, not the load generator's or the stand-in's, and so that its start-up time
is measured as an operator sees it. --in-process runs the server inside the bench process
instead (no child; its memory figures then include the bench's). The child is stopped when
the bench ends, also on errors and Ctrl-C.

Phases, in order: start-up (local only: time to the first 200 on /health, the stand-in's
data generation excluded) and the idle sample; --idle-sessions N (open N sessions, sample
the server, close them); the load (--sessions workers, each holding one session and calling
the --mix as fast as answers come, for --warmup then --duration; --soak instead opens and
closes sessions continuously, sampling the server every --sample-every); --direct (the
same Manager requests sent straight to the Manager by as many workers for as long: the
baseline of the overhead ratios); --sdk-floor (after the load: one call per mix entry
captures the server's results, then a bare go-sdk server in the bench process answers every
call with them, loaded by as many sessions for as long: what the go-sdk client, the go-sdk
server and loopback HTTP cost for those bytes, the floor under any MCP server built on the
SDK). --duration 0 skips the load.

--mix is tool[:weight[:json-args]] entries separated by commas, e.g.
  get_wazuh_agents:3:{"limit":20},get_wazuh_rules_summary:1

Errors are counted by kind: transport (no answer), jsonrpc (a protocol error answer), tool
(an isError result). --fail-on-error exits 1 when any call or session failed; timings
never fail the run.`,
		Example: `  wazuh-mcp bench --sessions 32 --duration 20s --mix get_wazuh_rules_summary
  wazuh-mcp bench --sessions 8 --duration 20s --direct
  wazuh-mcp bench --sessions 1 --duration 20s --direct --sdk-floor
  wazuh-mcp bench --idle-sessions 1000 --duration 0
  wazuh-mcp bench --soak --sessions 16 --duration 10m --json soak.json
  wazuh-mcp bench --url https://mcp.example.com/mcp --token $MCP_API_KEY --duration 30s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd, f, version)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "MCP endpoint of a running server (default: start the stand-in and a server)")
	fl.StringVar(&f.token, "token", "", "Bearer key for --url (env MCP_API_KEY)")
	fl.IntVar(&f.sessions, "sessions", 8, "concurrent MCP sessions (workers)")
	fl.DurationVar(&f.duration, "duration", 10*time.Second, "measured time of the load (0 = no load phase)")
	fl.DurationVar(&f.warmup, "warmup", time.Second, "load before the measured window (not counted)")
	fl.StringVar(&f.mix, "mix", bench.DefaultMix, "tools to call: tool[:weight[:json-args]],...")
	fl.BoolVar(&f.direct, "direct", false, "also send the mix's Manager requests straight to the Manager (baseline)")
	fl.BoolVar(&f.sdkFloor, "sdk-floor", false, "also load a bare go-sdk server that replays the captured results (the SDK's own cost)")
	fl.BoolVar(&f.soak, "soak", false, "open and close sessions continuously; sample server RSS and goroutines")
	fl.IntVar(&f.soakCalls, "soak-calls", 3, "calls per session in a soak")
	fl.DurationVar(&f.sampleEvery, "sample-every", 5*time.Second, "server sampling interval of a soak")
	fl.IntVar(&f.idleSessions, "idle-sessions", 0, "open this many sessions, sample the server, close them")
	fl.IntVar(&f.alerts, "alerts", 10000, "stand-in alerts (local server only)")
	fl.Int64Var(&f.seed, "seed", 1, "stand-in seed (local server only)")
	fl.DurationVar(&f.simLatency, "sim-latency", 0,
		"added to every stand-in Manager answer, to emulate a real Manager's answer time (local server only; applies to --direct too)")
	fl.IntVar(&f.simRPM, "sim-requests-per-minute", manager.DefaultMaxRequestsPerMinute,
		"the stand-in Manager's request limit, as Wazuh's access.max_request_per_minute (local server only; 0 = off)")
	fl.StringVar(&f.jsonPath, "json", "", "write the report as JSON to this file")
	fl.BoolVar(&f.failOnError, "fail-on-error", false, "exit 1 if any call or session failed (for CI)")
	fl.BoolVar(&f.inProcess, "in-process", false, "run the local server inside the bench process instead of a child")
	fl.StringSliceVar(&f.toolsets, "toolsets", nil, "toolsets of the local server (default: its default toolsets)")
	fl.StringArrayVar(&f.serverEnv, "server-env", nil, "KEY=VALUE setting for the local child server (repeatable)")
	fl.DurationVar(&f.callTimeout, "call-timeout", 30*time.Second, "timeout of one call")
	fl.StringVar(&f.managerURL, "manager-url", "", "Manager API URL for --direct with --url (e.g. https://wazuh:55000)")
	fl.StringVar(&f.managerUser, "manager-user", "", "Manager API user for --direct with --url (env WAZUH_USER)")
	fl.StringVar(&f.managerPass, "manager-pass", "", "Manager API password for --direct with --url (env WAZUH_PASS)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the bench process to this file (with --in-process it includes the server)")
	return cmd
}

func (f *benchFlags) validate() error {
	var errs []error
	if f.sessions < 1 || f.sessions > 10000 {
		errs = append(errs, fmt.Errorf("--sessions %d: want 1-10000", f.sessions))
	}
	if f.idleSessions < 0 || f.idleSessions > 100000 {
		errs = append(errs, fmt.Errorf("--idle-sessions %d: want 0-100000", f.idleSessions))
	}
	if f.duration < 0 || f.warmup < 0 {
		errs = append(errs, errors.New("--duration and --warmup cannot be negative"))
	}
	if f.simLatency < 0 || f.simLatency > time.Minute {
		errs = append(errs, fmt.Errorf("--sim-latency %s: want 0 to 1m", f.simLatency))
	}
	if f.simRPM < 0 {
		errs = append(errs, fmt.Errorf("--sim-requests-per-minute %d: want 0 (off) or more", f.simRPM))
	}
	if f.duration == 0 && f.idleSessions == 0 {
		errs = append(errs, errors.New("--duration 0 leaves nothing to measure: give --idle-sessions or a duration"))
	}
	if f.sdkFloor && (f.duration == 0 || f.soak) {
		errs = append(errs, errors.New("--sdk-floor compares with the load phase: it needs a --duration and no --soak"))
	}
	if f.soak && f.sampleEvery < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("--sample-every %s: at least 100ms", f.sampleEvery))
	}
	if f.soakCalls < 1 || f.soakCalls > 10000 {
		errs = append(errs, fmt.Errorf("--soak-calls %d: want 1-10000", f.soakCalls))
	}
	if f.callTimeout <= 0 {
		errs = append(errs, errors.New("--call-timeout must be positive"))
	}
	if f.inProcess && len(f.serverEnv) > 0 {
		errs = append(errs, errors.New("--server-env sets the child server's environment: not with --in-process"))
	}
	if f.url != "" {
		if f.inProcess || len(f.serverEnv) > 0 || len(f.toolsets) > 0 {
			errs = append(errs, errors.New("--in-process, --server-env and --toolsets configure the local server: not with --url"))
		}
		if f.simLatency != 0 || f.simRPM != manager.DefaultMaxRequestsPerMinute {
			errs = append(errs, errors.New("--sim-latency and --sim-requests-per-minute configure the local stand-in: not with --url"))
		}
		if f.direct && (f.managerURL == "" || f.managerUser == "" || f.managerPass == "") {
			errs = append(errs, errors.New("--direct with --url needs the Manager: --manager-url, --manager-user (or WAZUH_USER) and --manager-pass (or WAZUH_PASS)"))
		}
	}
	for _, kv := range f.serverEnv {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" || strings.ContainsAny(k, " \t") {
			errs = append(errs, fmt.Errorf("--server-env %q: want KEY=VALUE", kv))
		}
	}
	return errors.Join(errs...)
}

func runBench(cmd *cobra.Command, f benchFlags, version string) error {
	if f.token == "" {
		f.token = os.Getenv("MCP_API_KEY")
	}
	if f.managerUser == "" {
		f.managerUser = os.Getenv("WAZUH_USER")
	}
	if f.managerPass == "" {
		f.managerPass = os.Getenv("WAZUH_PASS")
	}
	if err := f.validate(); err != nil {
		return err
	}
	mix, err := bench.ParseMix(f.mix)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	rep := &bench.Report{Version: bench.ReportVersion, Mix: mix, Mode: "load"}
	// A server in this process (--in-process, or the --sdk-floor one) runs
	// with the collector target `serve` uses, so that it is the same server.
	if f.inProcess || f.sdkFloor {
		if gogc := tuneServerGC(os.Getenv); gogc != "" {
			rep.Notes = append(rep.Notes, "the bench process runs with GOGC "+gogc+", as serve does, since it hosts a server (--in-process or --sdk-floor); the load generator shares it")
		}
	}
	switch {
	case f.duration == 0:
		rep.Mode = "idle"
	case f.soak:
		rep.Mode = "soak"
	}

	// The server under test.
	var sim *wazuhsim.Sim
	if f.url == "" {
		start := time.Now()
		sim, err = wazuhsim.Start(wazuhsim.Options{Seed: f.seed, Alerts: f.alerts, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
			Manager: manager.Options{MaxRequestsPerMinute: simLimit(f.simRPM)}})
		if err != nil {
			return err
		}
		defer sim.Close()
		if f.simLatency > 0 {
			sim.ManagerFaults.Set(faults.Settings{Latency: f.simLatency})
			rep.Notes = append(rep.Notes, fmt.Sprintf("the stand-in Manager adds %s to every answer (--sim-latency), in the load and direct phases alike", f.simLatency))
		}
		rep.Server.StandInMS = msSince(start)
		rep.Server.Alerts = len(sim.Dataset.Alerts)
		dataDir, err := os.MkdirTemp("", "wazuh-mcp-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dataDir)
		var srv *localServer
		if f.inProcess {
			srv, err = startInProcess(ctx, sim, dataDir, f.toolsets, version)
		} else {
			srv, err = startChild(ctx, sim, dataDir, f)
		}
		if err != nil {
			return err
		}
		defer srv.stop()
		f.url = srv.url
		rep.Server.Process, rep.Server.StartupMS = srv.process, ms(srv.startup)
	} else {
		rep.Server.Process = "external"
	}
	rep.Server.URL = f.url

	maxConns := max(f.sessions, f.idleSessions)*2 + 8
	dialer := bench.NewDialer(f.url, f.token, version, maxConns)
	metricsURL, err := bench.MetricsURL(f.url)
	if err != nil {
		return err
	}
	scraper := &bench.Scraper{URL: metricsURL, Token: f.token, Client: bench.NewHTTPClient("", 4)}
	noteErr := func(what string, err error) {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %v", what, err))
	}
	if s, err := scraper.Scrape(ctx); err == nil {
		if rep.Server.Process == "external" {
			rep.Notes = append(rep.Notes, "the first server sample of an external server is not necessarily idle")
		}
		rep.Server.Idle = &s
	} else {
		noteErr("no server samples (RSS, goroutines, backend requests)", err)
		scraper = nil
	}
	tools, err := dialer.ListTools(ctx)
	if err != nil {
		return err
	}
	rep.Server.Tools = len(tools)
	if err := bench.CheckTools(mix, tools); err != nil {
		return err
	}

	if f.idleSessions > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "opening %d idle sessions...\n", f.idleSessions)
		sessions, res := bench.OpenIdle(ctx, dialer, f.idleSessions, 32)
		rep.Idle = &bench.Idle{IdleResult: res}
		if scraper != nil {
			time.Sleep(500 * time.Millisecond) // let the standalone streams settle
			if s, err := scraper.Scrape(ctx); err == nil {
				rep.Idle.With = &s
			} else {
				noteErr("server sample with idle sessions", err)
			}
		}
		bench.CloseAll(sessions, 32)
		if err := ctx.Err(); err != nil {
			return err
		}
	}

	if f.duration > 0 {
		if err := loadPhase(ctx, cmd.ErrOrStderr(), f, mix, dialer, scraper, sim, rep); err != nil {
			return err
		}
	}
	if f.sdkFloor && rep.Load != nil {
		if err := floorPhase(ctx, cmd.ErrOrStderr(), f, mix, dialer, rep, version); err != nil {
			return err
		}
	}
	if f.direct && rep.Load != nil {
		if err := directPhase(ctx, cmd.ErrOrStderr(), f, mix, sim, rep); err != nil {
			return err
		}
	}
	floorDirectRatios(rep)
	rep.Failures = rep.CountFailures()
	rep.WriteTable(out)
	if f.jsonPath != "" {
		if err := rep.WriteJSON(f.jsonPath); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	if f.failOnError && rep.Failures > 0 {
		return fmt.Errorf("%d calls or sessions failed (--fail-on-error)", rep.Failures)
	}
	return nil
}

// loadPhase runs the load (or soak) and fills the report's load, backend,
// before/after and soak parts.
func loadPhase(ctx context.Context, progress io.Writer, f benchFlags, mix []bench.MixEntry, d *bench.Dialer, scraper *bench.Scraper, sim *wazuhsim.Sim, rep *bench.Report) error {
	if sim != nil {
		sim.Manager.ResetStats()
	}
	phaseStart := time.Now()
	sample := func() *bench.Sample {
		if scraper == nil {
			return nil
		}
		s, err := scraper.Scrape(ctx)
		if err != nil {
			rep.Notes = append(rep.Notes, "server sample: "+err.Error())
			return nil
		}
		s.AtS = time.Since(phaseStart).Round(100 * time.Millisecond).Seconds()
		return &s
	}
	rep.Server.Before = sample()
	cpuStart := selfCPU()

	var (
		mu         sync.Mutex
		atMeasure  *bench.Sample
		statsStart manager.Stats
		series     []bench.Sample
	)
	if rep.Server.Before != nil {
		series = append(series, *rep.Server.Before)
	}
	stopSampler := func() {}
	if f.soak && scraper != nil {
		sctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			t := time.NewTicker(f.sampleEvery)
			defer t.Stop()
			for {
				select {
				case <-sctx.Done():
					return
				case <-t.C:
					if s, err := scraper.Scrape(sctx); err == nil {
						s.AtS = time.Since(phaseStart).Round(100 * time.Millisecond).Seconds()
						mu.Lock()
						series = append(series, s)
						mu.Unlock()
					}
				}
			}
		}()
		stopSampler = func() { cancel(); <-done }
	}
	fmt.Fprintf(progress, "%s: %d sessions for %s (+%s warmup)...\n", rep.Mode, f.sessions, f.duration, f.warmup)
	res, err := bench.RunLoad(ctx, d, bench.LoadOptions{
		Sessions: f.sessions, Duration: f.duration, Warmup: f.warmup, Mix: mix, CallTimeout: f.callTimeout,
		Seed: uint64(f.seed), Soak: f.soak, SoakCalls: f.soakCalls,
		OnMeasure: func() {
			s := sample()
			mu.Lock()
			defer mu.Unlock()
			atMeasure = s
			if sim != nil {
				statsStart = sim.Manager.Stats()
			}
		},
	})
	stopSampler()
	if err != nil {
		return err
	}
	rep.Load = res
	rep.Server.After = sample()
	if calls := res.Calls; calls > 0 {
		if b, a := rep.Server.Before, rep.Server.After; b != nil && a != nil && a.CPUSeconds > b.CPUSeconds {
			rep.Server.CPUPerCallMS = round3((a.CPUSeconds - b.CPUSeconds) * 1000 / float64(calls))
		}
		if d := selfCPU() - cpuStart; d > 0 {
			rep.Server.LoadGenCPUPerCallMS = round3(d.Seconds() * 1000 / float64(calls))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if rep.Server.After != nil {
		series = append(series, *rep.Server.After)
	}
	if f.soak {
		rep.Soak = bench.NewSoak(series)
	}
	b := &bench.Backend{Source: "server-metrics", ManagerPeakPerMinute: -1, ManagerRateLimited: -1}
	if atMeasure != nil && rep.Server.After != nil {
		b.ManagerRequests = rep.Server.After.ManagerRequests - atMeasure.ManagerRequests
		b.IndexerRequests = rep.Server.After.IndexerRequests - atMeasure.IndexerRequests
	}
	if sim != nil {
		end := sim.Manager.Stats()
		b.Source = "stand-in"
		if f.warmup == 0 {
			statsStart = manager.Stats{} // the window opened with the phase
		}
		b.ManagerRequests = end.TotalRequests - statsStart.TotalRequests
		b.ManagerLogins = end.Logins - statsStart.Logins
		b.ManagerRateLimited = end.RateLimited - statsStart.RateLimited
		b.ManagerPeakPerMinute = end.PeakPerMinute
		b.ManagerByPath = map[string]int{}
		for p, n := range end.ByPath {
			if n -= statsStart.ByPath[p]; n > 0 {
				b.ManagerByPath[p] = n
			}
		}
	}
	rep.Backend = b
	return nil
}

// directPhase sends the mix's Manager requests straight to the Manager.
func directPhase(ctx context.Context, progress io.Writer, f benchFlags, mix []bench.MixEntry, sim *wazuhsim.Sim, rep *bench.Report) error {
	d := &bench.Direct{}
	var entries []bench.DirectEntry
	for _, e := range mix {
		req, ok, why := bench.DirectEquivalent(e)
		if !ok {
			d.NoEquivalent = append(d.NoEquivalent, e.Label()+": "+why)
			continue
		}
		entries = append(entries, bench.DirectEntry{Entry: e, Request: req})
	}
	rep.Direct = d
	if len(entries) == 0 {
		return nil
	}
	m := &bench.Manager{URL: f.managerURL, User: f.managerUser, Password: f.managerPass, HTTP: bench.NewHTTPClient("", f.sessions*2+8)}
	if sim != nil {
		m.URL, m.User, m.Password = sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword
		// The baseline measures the Manager's answer time, not its limit:
		// the stand-in's 300/min is lifted for this phase only (the load
		// phase above ran with it and its 429s are reported).
		sim.Manager.SetMaxRequestsPerMinute(0)
		defer sim.Manager.SetMaxRequestsPerMinute(simLimit(f.simRPM))
		rep.Notes = append(rep.Notes, "direct phase: the stand-in's 300 requests/min limit is lifted while it runs")
	} else {
		rep.Notes = append(rep.Notes, "direct phase: the Manager's own rate limit applies (its 429s are counted as errors)")
	}
	fmt.Fprintf(progress, "direct: %d workers for %s (+%s warmup)...\n", f.sessions, f.duration, f.warmup)
	results, err := bench.RunDirect(ctx, m, entries, f.sessions, f.warmup, f.duration, uint64(f.seed))
	if err != nil {
		return err
	}
	for _, r := range results {
		c := bench.DirectComparison{DirectResult: r}
		c.P50Ratio, c.P99Ratio = loadRatios(rep.Load, r.Label, r.Latency)
		d.Results = append(d.Results, c)
	}
	return nil
}

// floorPhase captures one result per mix entry from the server under test,
// then loads a bare go-sdk server replaying them (see bench.Floor).
func floorPhase(ctx context.Context, progress io.Writer, f benchFlags, mix []bench.MixEntry, d *bench.Dialer, rep *bench.Report, version string) error {
	captured, err := bench.CaptureResults(ctx, d, mix, f.callTimeout)
	if err != nil {
		return fmt.Errorf("--sdk-floor: capturing results: %w", err)
	}
	fl, err := bench.StartFloor(mix, captured, version)
	if err != nil {
		return err
	}
	defer fl.Close()
	fmt.Fprintf(progress, "go-sdk floor: %d sessions for %s (+%s warmup)...\n", f.sessions, f.duration, f.warmup)
	fd := bench.NewDialer(fl.URL, "", version, f.sessions*2+8)
	res, err := bench.RunLoad(ctx, fd, bench.LoadOptions{Sessions: f.sessions, Duration: f.duration, Warmup: f.warmup, Mix: mix,
		CallTimeout: f.callTimeout, Seed: uint64(f.seed)})
	if err != nil {
		return fmt.Errorf("--sdk-floor: %w", err)
	}
	fr := &bench.FloorReport{Process: "bench", CallsPerSec: res.CallsPerSec}
	for _, t := range res.Tools {
		c := bench.FloorComparison{ToolResult: t}
		c.P50Ratio, c.P99Ratio = loadRatios(rep.Load, t.Label, t.Latency)
		fr.Results = append(fr.Results, c)
	}
	rep.Floor = fr
	return nil
}

// loadRatios are the load phase's p50 and p99 for label over base's
// (0 when either is missing).
func loadRatios(load *bench.LoadResult, label string, base bench.Latency) (p50, p99 float64) {
	if base.P50 <= 0 || base.P99 <= 0 {
		return 0, 0
	}
	for _, t := range load.Tools {
		if t.Label == label {
			return round2(t.Latency.P50 / base.P50), round2(t.Latency.P99 / base.P99)
		}
	}
	return 0, 0
}

// floorDirectRatios sets floor p50 / direct p50 where both phases ran.
func floorDirectRatios(rep *bench.Report) {
	if rep.Floor == nil || rep.Direct == nil {
		return
	}
	direct := map[string]float64{}
	for _, d := range rep.Direct.Results {
		direct[d.Label] = d.Latency.P50
	}
	for i, c := range rep.Floor.Results {
		if p50 := direct[c.Label]; p50 > 0 {
			rep.Floor.Results[i].FloorDirectP50Ratio = round2(c.Latency.P50 / p50)
		}
	}
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func msSince(t time.Time) float64 { return ms(time.Since(t)) }

// localServer is the server under test started by the bench.
type localServer struct {
	url     string
	process string // child | in-process
	startup time.Duration
	stop    func()
}

// benchChildEnv is added to the child's environment (tests use it to make
// the test binary act as wazuh-mcp).
var benchChildEnv []string

// childEnvPassed are the bench's own variables the child inherits: the
// runtime's knobs and what a process needs; nothing else of the caller's
// environment (a WAZUH_* or AUTH_* of the shell must not change the server
// under test).
var childEnvPassed = []string{"PATH", "HOME", "TMPDIR", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GODEBUG", "GOCOVERDIR"}

func childEnv(sim *wazuhsim.Sim, dataDir string, f benchFlags) []string {
	var env []string
	for _, k := range childEnvPassed {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	env = append(env,
		"WAZUH_HOST="+sim.ManagerURL, "WAZUH_USER="+wazuhsim.ManagerUser, "WAZUH_PASS="+wazuhsim.ManagerPassword,
		"WAZUH_INDEXER_HOST="+sim.IndexerURL, "WAZUH_INDEXER_USER="+wazuhsim.IndexerUser, "WAZUH_INDEXER_PASS="+wazuhsim.IndexerPassword,
		"AUTH_MODE=none", "WAZUH_MCP_DATA_DIR="+dataDir, "LOG_LEVEL=warn",
		// The bench is one client IP with many sessions: the HTTP limits
		// that protect a shared server would measure themselves.
		"RATE_LIMIT_PER_MINUTE=0", "RATE_LIMIT_IP_PER_MINUTE=0", "MAX_SESSIONS=0",
		"SHUTDOWN_TIMEOUT=5s",
	)
	if len(f.toolsets) > 0 {
		env = append(env, "WAZUH_MCP_TOOLSETS="+strings.Join(f.toolsets, ","))
	}
	env = append(env, benchChildEnv...)
	return append(env, f.serverEnv...) // last wins
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// startChild runs `serve` of this binary against the stand-in and waits
// for its /health.
func startChild(ctx context.Context, sim *wazuhsim.Sim, dataDir string, f benchFlags) (*localServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this binary to start the server: %w", err)
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "serve", "--transport", "http", "--listen", addr)
	cmd.Env = childEnv(sim, dataDir, f)
	logs := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = logs, logs
	setChildAttrs(cmd) // dies with the bench (Linux)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the server: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		_ = interrupt(cmd.Process)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	base := "http://" + addr
	if err := waitHealthy(ctx, base, exited); err != nil {
		stop()
		return nil, fmt.Errorf("the server did not start: %w\n%s", err, logs.String())
	}
	return &localServer{url: base + "/mcp", process: "child", startup: time.Since(start), stop: stop}, nil
}

// waitHealthy polls /health every millisecond until it answers 200.
func waitHealthy(ctx context.Context, base string, exited <-chan struct{}) error {
	c := &http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health", nil)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("it exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("no 200 on /health within 30s")
		}
	}
}

// startInProcess serves the app inside this process (no child).
func startInProcess(ctx context.Context, sim *wazuhsim.Sim, dataDir string, toolsets []string, version string) (*localServer, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	host, port, _ := splitListen("", addr)
	start := time.Now()
	cfg := demoConfig(sim, host, port, demoFlags{toolsets: toolsets, dataDir: dataDir})
	cfg.HTTP.RateLimit.PerMinute, cfg.HTTP.RateLimit.IPPerMinute, cfg.HTTP.MaxSessions = 0, 0, 0
	readOnly := true
	cfg.Tools.ReadOnly, cfg.LocalOperator = &readOnly, false
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := newLogger(io.Discard, "error", "text")
	a, err := buildApp(&cfg, log, version)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		a.Close()
		return nil, err
	}
	opts, err := httpOptions(&cfg, a, log, version)
	if err != nil {
		ln.Close()
		a.Close()
		return nil, err
	}
	opts.Auth = httpapi.AuthOptions{Mode: httpapi.AuthNone, ReadServer: a.readServer}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = serveHTTP(sctx, ln, opts, serveOptions{shutdownTimeout: 5 * time.Second})
	}()
	stop := func() { cancel(); <-done; a.Close() }
	base := "http://" + addr
	if err := waitHealthy(ctx, base, done); err != nil {
		stop()
		return nil, err
	}
	return &localServer{url: base + "/mcp", process: "in-process", startup: time.Since(start), stop: stop}, nil
}

// tailBuffer keeps the last max bytes written (the child's logs, shown
// when it fails to start).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// simLimit maps --sim-requests-per-minute to the stand-in's option, where
// 0 means the default and a negative value turns the limit off.
func simLimit(rpm int) int {
	if rpm <= 0 {
		return -1
	}
	return rpm
}

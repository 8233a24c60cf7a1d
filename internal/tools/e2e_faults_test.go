package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.uber.org/goleak"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

// Backend faults (issue 6): each test runs against a stand-in of its own,
// so its fault knobs and counters never leak into other tests, and asserts
// what the stand-in received.

const loginPath = "/security/user/authenticate"

// faultEnv is a fresh stand-in, its clients and an MCP session on the full
// catalogue.
type faultEnv struct {
	*env
	wc *wazuh.Client
	ic *indexer.Client
}

type faultOptions struct {
	wazuh      func(*wazuh.Config)
	indexerURL string // "" = the stand-in's indexer
}

func newFaultEnv(t *testing.T, o faultOptions) *faultEnv {
	t.Helper()
	sim := startOwnSim(t)
	cfg := wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword,
		Logger: slog.New(slog.DiscardHandler)}
	if o.wazuh != nil {
		o.wazuh(&cfg)
	}
	wc, err := wazuh.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	closeVerified(t, wc)
	iurl := sim.IndexerURL
	if o.indexerURL != "" {
		iurl = o.indexerURL
	}
	ic, err := indexer.New(indexer.Config{URL: iurl, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ic.Close() })
	deps := Deps{Wazuh: wc, Indexer: ic, Now: func() time.Time { return simNow }}
	srv := NewServer("test", Catalogue(deps), deps, nil)
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return &faultEnv{env: &env{sim: sim, session: cs, now: simNow}, wc: wc, ic: ic}
}

// noLeaks checks, once everything the test started is closed (it must be
// called before the environment is built, so its cleanup runs last), that
// no goroutine the test started is still running.
func noLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}

// tryCall calls a tool and returns its text and whether it is an error
// result; protocol errors fail the test.
func (e *faultEnv) tryCall(ctx context.Context, name string, args map[string]any) (string, bool, error) {
	res, err := e.session.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return "", false, err
	}
	return res.Content[0].(*mcp.TextContent).Text, res.IsError, nil
}

// received is what the stand-in Manager received (faulted requests
// included) whose "METHOD path" is key.
func received(inj *faults.Injector, key string) []faults.Received {
	var out []faults.Received
	for _, r := range inj.Received() {
		if r.Method+" "+r.Path == key {
			out = append(out, r)
		}
	}
	return out
}

// agentCount is the ground truth of get_wazuh_agents' total.
func agentCount(t *testing.T, e *faultEnv) int {
	t.Helper()
	var out AgentList
	e.call(t, "get_wazuh_agents", map[string]any{"limit": 1000}, &out)
	if out.Total != len(e.sim.Dataset.Agents) || out.Total < 5 {
		t.Fatalf("get_wazuh_agents total %d, stand-in has %d agents", out.Total, len(e.sim.Dataset.Agents))
	}
	return out.Total
}

// TestFaultTokenExpiryDuringConcurrentCalls: the Manager revokes every
// token while 200 calls are in flight. No call fails, and the client logs
// in again exactly once for all of them.
func TestFaultTokenExpiryDuringConcurrentCalls(t *testing.T) {
	e := newFaultEnv(t, faultOptions{wazuh: func(c *wazuh.Config) {
		c.CacheTTL = -1                 // every call reaches the Manager
		c.RequestsPerMinute = 1_000_000 // the client budget is not the subject
		c.Timeout = 2 * time.Minute     // a loaded CI machine under -race must not time calls out
	}})
	total := agentCount(t, e) // logs in
	before := e.sim.Manager.Stats()
	if before.Logins != 1 {
		t.Fatalf("logins before the burst: %d", before.Logins)
	}
	// Latency keeps requests in flight; distinct limits keep the 200 calls
	// from being coalesced into one request.
	e.sim.ManagerFaults.Set(faults.Settings{Latency: 50 * time.Millisecond})
	e.sim.ManagerFaults.ResetReceived()
	const calls = 200
	type outcome struct {
		text  string
		isErr bool
		err   error
	}
	results := make([]outcome, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			text, isErr, err := e.tryCall(context.Background(), "get_wazuh_agents", map[string]any{"limit": i + 1})
			results[i] = outcome{text, isErr, err}
		})
	}
	// Revoke once the first requests are in flight and most are still to come.
	deadline := time.Now().Add(10 * time.Second)
	for len(received(e.sim.ManagerFaults, "GET /agents")) < 40 {
		if time.Now().After(deadline) {
			t.Fatal("the calls never reached the stand-in")
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.sim.Manager.ExpireAllTokens()
	wg.Wait()

	after := e.sim.Manager.Stats()
	for i, r := range results {
		if r.err != nil || r.isErr {
			t.Fatalf("call %d failed: %v %s", i, r.err, r.text)
		}
		var out AgentList
		if err := json.Unmarshal([]byte(r.text), &out); err != nil {
			t.Fatal(err)
		}
		if out.Total != total || out.Returned != min(i+1, total) {
			t.Fatalf("call %d (limit %d): total %d returned %d, want %d and %d", i, i+1, out.Total, out.Returned, total, min(i+1, total))
		}
	}
	if got := after.Logins - before.Logins; got != 1 {
		t.Errorf("re-logins: %d, want exactly 1", got)
	}
	if after.Unauthorized == before.Unauthorized {
		t.Error("no request was refused with 401: the tokens expired after the burst, the test proved nothing")
	}
	// Each 401 is resent once: 200 calls, plus one resend per refused request.
	if got, want := after.ByPath["GET /agents"]-before.ByPath["GET /agents"], calls+after.Unauthorized-before.Unauthorized; got != want {
		t.Errorf("GET /agents requests: %d, want %d (one per call plus one resend per 401)", got, want)
	}
}

// callsByQuery groups the received requests by query (one call each).
func callsByQuery(recs []faults.Received) map[string][]faults.Received {
	out := map[string][]faults.Received{}
	for _, r := range recs {
		out[r.Query] = append(out[r.Query], r)
	}
	return out
}

// TestFaultRateLimitStorm: a burst of 429s with Retry-After. Every call
// it hits waits at least Retry-After (as measured by the stand-in) and
// succeeds, and the Manager gets at most two requests per call. A storm
// that does not end costs at most two requests per call too, and says
// what happened.
func TestFaultRateLimitStorm(t *testing.T) {
	e := newFaultEnv(t, faultOptions{wazuh: func(c *wazuh.Config) {
		c.CacheTTL = -1
		c.RequestsPerMinute = 1_000_000
	}})
	total := agentCount(t, e)
	const calls = 20
	run := func() []outcomeText {
		out := make([]outcomeText, calls)
		var wg sync.WaitGroup
		for i := range calls {
			wg.Go(func() {
				text, isErr, err := e.tryCall(context.Background(), "get_wazuh_agents", map[string]any{"limit": i + 1})
				out[i] = outcomeText{text, isErr, err}
			})
		}
		wg.Wait()
		return out
	}

	t.Run("burst", func(t *testing.T) {
		// Every request is refused for half a second from the first one:
		// a call that waits Retry-After (1s) is past the storm however
		// slowly the calls are dispatched, so none may fail.
		e.sim.ManagerFaults.ResetReceived()
		e.sim.ManagerFaults.Set(faults.Settings{Rate429: 1, RateWindow: 500 * time.Millisecond, RetryAfter: time.Second,
			ExcludePaths: []string{loginPath}})
		defer e.sim.ManagerFaults.Reset()
		for i, r := range run() {
			if r.err != nil || r.isErr {
				t.Fatalf("call %d failed: %v %s", i, r.err, r.text)
			}
			var out AgentList
			if err := json.Unmarshal([]byte(r.text), &out); err != nil || out.Total != total {
				t.Fatalf("call %d: %v total %d", i, err, out.Total)
			}
		}
		recs := received(e.sim.ManagerFaults, "GET /agents")
		if len(recs) > 2*calls {
			t.Errorf("%d requests for %d calls: retries amplified the storm", len(recs), calls)
		}
		byCall := callsByQuery(recs)
		if len(byCall) != calls {
			t.Fatalf("requests of %d calls received, want %d", len(byCall), calls)
		}
		limited := 0
		for q, rs := range byCall {
			switch {
			case len(rs) == 1 && rs[0].Fault == faults.None:
			case len(rs) == 2 && rs[0].Fault == faults.Status429 && rs[1].Fault == faults.None:
				limited++
				if gap := rs[1].Time.Sub(rs[0].Time); gap < time.Second {
					t.Errorf("call %s retried %v after its 429, before Retry-After (1s)", q, gap)
				}
			default:
				t.Errorf("call %s: requests %+v, want an answer, or one 429 then one answer", q, rs)
			}
		}
		if limited == 0 {
			t.Error("no call met the storm")
		}
		if want := calls + limited; len(recs) != want {
			t.Errorf("%d requests, want %d: one per call and one retry per 429", len(recs), want)
		}
	})

	t.Run("endless", func(t *testing.T) {
		e.sim.ManagerFaults.ResetReceived()
		e.sim.ManagerFaults.Set(faults.Settings{Rate429: 1, RetryAfter: time.Second, ExcludePaths: []string{loginPath}})
		defer e.sim.ManagerFaults.Reset()
		for i, r := range run() {
			if r.err != nil || !r.isErr {
				t.Fatalf("call %d: %v %s, want a tool error", i, r.err, r.text)
			}
			if !strings.Contains(r.text, "HTTP 429") || !strings.Contains(r.text, "retry after 1s") {
				t.Errorf("call %d: %s, want the rate limit and its Retry-After named", i, r.text)
			}
		}
		if n := len(received(e.sim.ManagerFaults, "GET /agents")); n > 2*calls {
			t.Errorf("%d requests for %d calls: retries amplified the storm", n, calls)
		}
	})
}

type outcomeText struct {
	text  string
	isErr bool
	err   error
}

// TestFaultServerErrorsOpenTheBreaker: a burst of 503s opens the breaker
// after the configured failures; calls then fail at once, naming the
// unavailable Manager, without a request; after the cool-down one probe
// goes through (half-open) and closes it again.
func TestFaultServerErrorsOpenTheBreaker(t *testing.T) {
	const failures, coolDown = 5, 400 * time.Millisecond
	var mu sync.Mutex
	var transitions []string
	e := newFaultEnv(t, faultOptions{wazuh: func(c *wazuh.Config) {
		c.CacheTTL = -1
		c.RetryBackoff = 5 * time.Millisecond
		c.Breaker = wazuh.BreakerSettings{Failures: failures, OpenTimeout: coolDown}
		c.Observer = wazuh.ObserverFuncs{Breaker: func(from, to string) {
			mu.Lock()
			transitions = append(transitions, from+">"+to)
			mu.Unlock()
		}}
	}})
	total := agentCount(t, e)
	inj := e.sim.ManagerFaults
	inj.Set(faults.Settings{Rate5xx: 1, ExcludePaths: []string{loginPath}})
	inj.ResetReceived()
	agents := func(limit int) (string, bool) {
		text, isErr, err := e.tryCall(context.Background(), "get_wazuh_agents", map[string]any{"limit": limit})
		if err != nil {
			t.Fatal(err)
		}
		return text, isErr
	}
	// Call 1: three attempts (two retries), three failures. Call 2: two
	// more failures open the breaker, its third attempt is refused.
	for limit := 1; limit <= 2; limit++ {
		text, isErr := agents(limit)
		if !isErr || !strings.Contains(text, "Wazuh Manager unavailable") {
			t.Fatalf("call %d during 503s: %s", limit, text)
		}
	}
	if n := len(inj.Received()); n != failures {
		t.Fatalf("the Manager received %d requests before the breaker opened, want %d", n, failures)
	}
	// Open: no request at all, a clear error.
	start := time.Now()
	text, isErr := agents(3)
	if !isErr || !strings.HasPrefix(text, "Error: Wazuh Manager unavailable: ") || !strings.Contains(text, "circuit breaker is open") {
		t.Fatalf("open breaker: %s", text)
	}
	if elapsed := time.Since(start); elapsed > coolDown {
		t.Errorf("an open breaker answered in %v", elapsed)
	}
	if n := len(inj.Received()); n != failures {
		t.Fatalf("a call with the breaker open reached the Manager (%d requests)", n)
	}
	// A failed probe after the cool-down opens it again.
	time.Sleep(coolDown + 100*time.Millisecond)
	if text, isErr := agents(4); !isErr || !strings.Contains(text, "Wazuh Manager unavailable") {
		t.Fatalf("failed probe: %s", text)
	}
	if n := len(inj.Received()); n != failures+1 {
		t.Fatalf("half-open let %d requests through, want 1 probe", n-failures)
	}
	if text, _ := agents(5); !strings.Contains(text, "circuit breaker is open") {
		t.Fatalf("after a failed probe: %s", text)
	}
	// The Manager recovers: the next probe closes the breaker.
	inj.Reset()
	time.Sleep(coolDown + 100*time.Millisecond)
	for limit := 6; limit <= 7; limit++ {
		var out AgentList
		e.call(t, "get_wazuh_agents", map[string]any{"limit": limit}, &out)
		if out.Total != total || out.Returned != limit {
			t.Fatalf("after recovery: total %d returned %d", out.Total, out.Returned)
		}
	}
	if n := len(inj.Received()); n != failures+3 {
		t.Errorf("the Manager received %d requests in all, want %d", n, failures+3)
	}
	mu.Lock()
	got := strings.Join(transitions, ",")
	mu.Unlock()
	want := "closed>open,open>half-open,half-open>open,open>half-open,half-open>closed"
	if got != want {
		t.Errorf("breaker transitions %s, want %s", got, want)
	}
}

// TestFaultTimeoutsAndDrops: a Manager slower than the request timeout,
// one that drops every connection, and a caller that gives up: each call
// ends by its deadline with a clear error, and nothing keeps running.
func TestFaultTimeoutsAndDrops(t *testing.T) {
	noLeaks(t)
	const timeout = 500 * time.Millisecond
	const slack = 2 * time.Second // a correctness bound, not a speed target
	e := newFaultEnv(t, faultOptions{wazuh: func(c *wazuh.Config) {
		c.CacheTTL = -1
		c.Timeout = timeout
		c.RetryBackoff = 20 * time.Millisecond
		c.Breaker.Failures = 100 // the breaker is another test's subject
	}})
	agentCount(t, e)
	inj := e.sim.ManagerFaults
	timed := func(ctx context.Context, limit int) (string, bool, error, time.Duration) {
		start := time.Now()
		text, isErr, err := e.tryCall(ctx, "get_wazuh_agents", map[string]any{"limit": limit})
		return text, isErr, err, time.Since(start)
	}

	t.Run("slower than the request timeout", func(t *testing.T) {
		inj.ResetReceived()
		inj.Set(faults.Settings{Latency: 10 * time.Second, ExcludePaths: []string{loginPath}})
		defer inj.Reset()
		text, isErr, err, took := timed(context.Background(), 1)
		if err != nil || !isErr || !strings.Contains(text, "timed out") {
			t.Fatalf("%v %s", err, text)
		}
		if took > timeout+slack {
			t.Errorf("the call took %v, its deadline was %v", took, timeout)
		}
		if n := len(received(inj, "GET /agents")); n != 1 {
			t.Errorf("%d requests: a retry cannot fit in an expired deadline", n)
		}
	})

	t.Run("every connection dropped", func(t *testing.T) {
		inj.ResetReceived()
		inj.Set(faults.Settings{DropRate: 1, ExcludePaths: []string{loginPath}})
		defer inj.Reset()
		text, isErr, err, took := timed(context.Background(), 2)
		if err != nil || !isErr || !strings.HasPrefix(text, "Error: Wazuh Manager unavailable: GET /agents failed after 3 attempt(s)") {
			t.Fatalf("%v %s", err, text)
		}
		if took > timeout+slack {
			t.Errorf("the call took %v, its deadline was %v", took, timeout)
		}
		// Three attempts; net/http replays a GET once by itself when a
		// reused keep-alive connection dies before answering.
		if n := len(received(inj, "GET /agents")); n < 3 || n > 6 {
			t.Errorf("%d requests for 3 attempts", n)
		}
	})

	t.Run("dropped and slow until the deadline", func(t *testing.T) {
		inj.ResetReceived()
		inj.Set(faults.Settings{DropRate: 1, Latency: 200 * time.Millisecond, ExcludePaths: []string{loginPath}})
		defer inj.Reset()
		text, isErr, err, took := timed(context.Background(), 3)
		if err != nil || !isErr || !strings.Contains(text, "Wazuh Manager unavailable") && !strings.Contains(text, "timed out") {
			t.Fatalf("%v %s", err, text)
		}
		if took > timeout+slack {
			t.Errorf("the call took %v, its deadline was %v", took, timeout)
		}
	})
}

// TestFaultCallerDeadline: the MCP client gives up long before the server's
// own request timeout (30 s). The call ends by the client's deadline, and
// the server abandons its Manager request then too (the cancellation
// reaches the tool handler), not when the session closes; nothing is left
// running afterwards.
func TestFaultCallerDeadline(t *testing.T) {
	noLeaks(t)
	abandoned := make(chan time.Time, 4)
	e := newFaultEnv(t, faultOptions{wazuh: func(c *wazuh.Config) {
		c.CacheTTL = -1
		c.Observer = wazuh.ObserverFuncs{Request: func(method, endpoint string, status int, _ time.Duration, _ bool) {
			if endpoint == "/agents" && status == 0 {
				abandoned <- time.Now()
			}
		}}
	}})
	agentCount(t, e)
	inj := e.sim.ManagerFaults
	inj.Set(faults.Settings{Latency: 10 * time.Second, ExcludePaths: []string{loginPath}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := e.tryCall(ctx, "get_wazuh_agents", map[string]any{"limit": 1})
	if err == nil {
		t.Fatal("a call past its caller's deadline succeeded")
	}
	if took := time.Since(start); took > 200*time.Millisecond+2*time.Second {
		t.Errorf("the call took %v, its caller's deadline was 200ms", took)
	}
	select {
	case at := <-abandoned:
		if d := at.Sub(start); d > 200*time.Millisecond+2*time.Second {
			t.Errorf("the Manager request was abandoned %v after the call started, its caller's deadline was 200ms", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the Manager request outlived its caller")
	}
	if n := len(received(inj, "GET /agents")); n != 2 { // agentCount's and this one
		t.Errorf("GET /agents received %d times, want 2", n)
	}
}

// TestFaultIndexerDown: with the indexer failing or gone, the Manager-backed
// tools answer as before and the indexer-backed ones say the indexer is the
// problem.
func TestFaultIndexerDown(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) faultOptions
		fault faults.Settings
		want  []string
	}{
		{"503 on every request", nil, faults.Settings{Rate5xx: 1}, []string{"Wazuh indexer returned HTTP 503"}},
		{"every connection dropped", nil, faults.Settings{DropRate: 1}, []string{"Wazuh indexer unreachable", "the connection was closed without an answer"}},
		{"nothing listening", func(t *testing.T) faultOptions {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			return faultOptions{indexerURL: "http://" + addr}
		}, faults.Settings{}, []string{"Wazuh indexer unreachable", "connection refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o faultOptions
			if tc.setup != nil {
				o = tc.setup(t)
			}
			e := newFaultEnv(t, o)
			e.sim.IndexerFaults.Set(tc.fault)
			for _, call := range []struct {
				tool string
				args map[string]any
			}{
				{"get_wazuh_alerts", map[string]any{"time_range": "7d"}},
				{"get_wazuh_vulnerability_summary", map[string]any{}},
			} {
				text, isErr, err := e.tryCall(context.Background(), call.tool, call.args)
				if err != nil || !isErr {
					t.Fatalf("%s with the indexer down: %v %s", call.tool, err, text)
				}
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: %q does not say %q", call.tool, text, w)
					}
				}
			}
			before := e.sim.Manager.Stats().TotalRequests
			agentCount(t, e)
			var rules struct {
				Total int `json:"total"`
			}
			e.call(t, "get_wazuh_rules_summary", map[string]any{}, &rules)
			if rules.Total == 0 {
				t.Error("rules summary is empty")
			}
			if e.sim.Manager.Stats().TotalRequests == before {
				t.Error("the Manager-backed tools did not reach the Manager")
			}
		})
	}
}

// TestFaultAmbiguousWriteIsNotRetried: the Manager drops the connection of
// an approved active response. The request went out once and is never
// resent; the action ends failed_unknown and the operator sees it.
func TestFaultAmbiguousWriteIsNotRetried(t *testing.T) {
	e := newRespEnv(t, respOptions{})
	agents := e.activeAgents(t)[:1]
	out, res := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": agents[0]})
	if res.IsError || out.Status != "pending" {
		t.Fatalf("proposal: %+v", out)
	}
	inj := e.sim.ManagerFaults
	inj.ResetReceived()
	inj.Set(faults.Settings{NextDrops: 1, ExcludePaths: []string{loginPath}})
	if _, err := e.gate.Approve(context.Background(), out.Action.ID, out.Action.PlanHash, operator); err != nil {
		t.Fatal(err)
	}
	a := e.waitStatus(t, out.Action.ID, approval.FailedUnknown)
	if a.Result == nil || !strings.Contains(a.Result.Error, "outcome unknown") {
		t.Errorf("result %+v", a.Result)
	}
	// More executor passes: nothing is resent.
	for range 3 {
		e.gate.Sweep(context.Background())
	}
	time.Sleep(100 * time.Millisecond)
	puts := received(inj, "PUT /active-response")
	if len(puts) != 1 || puts[0].Fault != faults.Drop {
		t.Fatalf("PUT /active-response received %d times (%+v), want exactly once, dropped", len(puts), puts)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("the dropped request reached the handler: %+v", w)
	}

	var got getActionOut
	e.call(t, "get_action", map[string]any{"action_id": out.Action.ID}, &got)
	if got.Status != "failed_unknown" || got.Action.Outcome == nil || !strings.Contains(got.Action.Outcome.Error, "outcome unknown") {
		t.Errorf("get_action: %+v", got)
	}
	var list listActionsOut
	// The default list (pending only) points at it rather than hiding it.
	var pending struct {
		Notes []string `json:"notes"`
	}
	e.call(t, "list_pending_actions", nil, &pending)
	if !slices.ContainsFunc(pending.Notes, func(n string) bool {
		return strings.Contains(n, "1 action(s) may or may not have run (failed_unknown, newest "+out.Action.ID+")")
	}) {
		t.Errorf("list_pending_actions() notes %q do not point at the failed_unknown action", pending.Notes)
	}
	e.call(t, "list_pending_actions", map[string]any{"status": "done"}, &list)
	found := false
	for _, v := range list.Actions {
		if v.ID == out.Action.ID {
			found = true
			if v.Outcome == nil || !strings.Contains(v.Outcome.Error, "outcome unknown") {
				t.Errorf("list_pending_actions shows %+v", v)
			}
		}
	}
	if !found || list.Total != 1 {
		t.Errorf("list_pending_actions(done) total %d, action %s shown: %v", list.Total, out.Action.ID, found)
	}
	// Proposing the same block again does not resend it behind the operator's back.
	again, _ := e.callAction(t, "wazuh_block_ip", map[string]any{"ip_address": "203.0.113.9", "agent_id": agents[0]})
	e.gate.Sweep(context.Background())
	if n := len(received(inj, "PUT /active-response")); n != 1 {
		t.Errorf("after a new proposal (%s %s): %d PUTs", again.Action.ID, again.Status, n)
	}
}

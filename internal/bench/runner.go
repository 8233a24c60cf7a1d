package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Dialer opens MCP sessions over Streamable HTTP with the go-sdk client.
type Dialer struct {
	URL  string
	HTTP *http.Client
	mcp  *mcp.Client
}

// NewDialer returns a dialer for the MCP endpoint url. token, when set, is
// sent as a Bearer key. maxConns sizes the connection pool (one or two
// connections per concurrent session).
func NewDialer(url, token, version string, maxConns int) *Dialer {
	return &Dialer{
		URL:  url,
		HTTP: NewHTTPClient(token, maxConns),
		mcp:  mcp.NewClient(&mcp.Implementation{Name: "wazuh-mcp-bench", Version: version}, nil),
	}
}

// NewHTTPClient is a pooled client that keeps up to maxConns connections
// per host alive (the default of 2 would make a benchmark of connection
// set-up), adding the Bearer token when set.
func NewHTTPClient(token string, maxConns int) *http.Client {
	tr := &http.Transport{
		Proxy:               nil, // loopback benchmarks must not go through a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: max(maxConns, 2),
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	var rt http.RoundTripper = tr
	if token != "" {
		rt = bearer{token: token, next: tr}
	}
	return &http.Client{Transport: rt}
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// Connect opens and initialises one session.
func (d *Dialer) Connect(ctx context.Context) (*mcp.ClientSession, error) {
	return d.mcp.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: d.URL, HTTPClient: d.HTTP}, nil)
}

// ListTools returns the names the server offers (all pages of tools/list).
func (d *Dialer) ListTools(ctx context.Context) ([]string, error) {
	cs, err := d.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", d.URL, err)
	}
	defer cs.Close()
	var names []string
	for t, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("tools/list: %w", err)
		}
		names = append(names, t.Name)
	}
	return names, nil
}

// LoadOptions configure a load or soak run.
type LoadOptions struct {
	Sessions    int
	Duration    time.Duration // measured window
	Warmup      time.Duration // calls before the window are made but not counted
	Mix         []MixEntry
	CallTimeout time.Duration // per call (default 30s)
	Seed        uint64
	// Soak: each worker connects, makes SoakCalls calls and closes, over
	// and over, instead of holding one session.
	Soak      bool
	SoakCalls int
	// OnMeasure is called once when the measured window opens (after the
	// warmup), so the caller can snapshot backend counters there.
	OnMeasure func()
}

// ToolResult is one mix entry's figures over the measured window.
type ToolResult struct {
	Label       string  `json:"label"` // tool and arguments
	Tool        string  `json:"tool"`
	Calls       int     `json:"calls"`
	CallsPerSec float64 `json:"calls_per_s"`
	Latency     Latency `json:"latency"`
	Errors      Errors  `json:"errors"`
}

// LoadResult is the outcome of RunLoad.
type LoadResult struct {
	Sessions    int          `json:"sessions"`
	DurationS   float64      `json:"duration_s"`
	WarmupS     float64      `json:"warmup_s"`
	Calls       int          `json:"calls"`
	Failed      int          `json:"failed"`
	CallsPerSec float64      `json:"calls_per_s"`
	Tools       []ToolResult `json:"tools"`
	// SessionsOpened counts sessions initialised (in a soak, every cycle).
	SessionsOpened int `json:"sessions_opened"`
	// SessionErrors are failed connects (initialize) and closes.
	SessionErrors Errors `json:"session_errors"`
}

type pick struct {
	cum   []int
	total int
	mix   []MixEntry
	args  []map[string]any
	label []string
}

func newPick(mix []MixEntry) *pick {
	p := &pick{mix: mix}
	for _, e := range mix {
		p.total += e.Weight
		p.cum = append(p.cum, p.total)
		p.args = append(p.args, e.arguments())
		p.label = append(p.label, e.Label())
	}
	return p
}

func (p *pick) next(r *rand.Rand) int { return searchCum(p.cum, r.IntN(p.total)) }

// searchCum maps n in [0, total) to the entry whose cumulative weight
// first exceeds it.
func searchCum(cum []int, n int) int { return sort.SearchInts(cum, n+1) }

// RunLoad opens the sessions, then calls the mix from every session as
// fast as answers come for Warmup+Duration, and reports the window.
func RunLoad(ctx context.Context, d *Dialer, o LoadOptions) (*LoadResult, error) {
	if o.Sessions < 1 || len(o.Mix) == 0 || o.Duration <= 0 {
		return nil, errors.New("bench: sessions ≥ 1, a mix and a duration are needed")
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 30 * time.Second
	}
	if o.SoakCalls <= 0 {
		o.SoakCalls = 3
	}
	p := newPick(o.Mix)
	res := &LoadResult{Sessions: o.Sessions, DurationS: o.Duration.Seconds(), WarmupS: o.Warmup.Seconds()}
	var mu sync.Mutex // guards res.SessionErrors, res.SessionsOpened, all
	all := newRecorder()
	sessionErr := func(err error) {
		mu.Lock()
		res.SessionErrors.Add(Classify(err), err.Error())
		mu.Unlock()
	}

	// Held sessions are opened before the clock starts.
	var held []*mcp.ClientSession
	if !o.Soak {
		held = make([]*mcp.ClientSession, o.Sessions)
		var wg sync.WaitGroup
		for i := range held {
			wg.Go(func() {
				cs, err := d.Connect(ctx)
				if err != nil {
					sessionErr(fmt.Errorf("initialize: %w", err))
					return
				}
				held[i] = cs
			})
		}
		wg.Wait()
		defer func() {
			for _, cs := range held {
				if cs != nil {
					cs.Close()
				}
			}
		}()
		n := 0
		for _, cs := range held {
			if cs != nil {
				n++
			}
		}
		res.SessionsOpened = n
		if n == 0 {
			return res, fmt.Errorf("no session could be opened: %s", res.SessionErrors.TransportSample+res.SessionErrors.JSONRPCSample)
		}
	}

	start := time.Now()
	measure := start.Add(o.Warmup)
	end := measure.Add(o.Duration)
	runCtx, cancel := context.WithDeadline(ctx, end.Add(o.CallTimeout))
	defer cancel()
	// OnMeasure runs once, when the window opens: from the first call that
	// starts in it (before that call is sent, so a snapshot taken there
	// sees none of the counted calls), or from a timer if no call starts
	// then. A timer alone fired late under CPU contention, after calls it
	// should have preceded.
	var measureOnce sync.Once
	opened := func() {
		if o.OnMeasure != nil {
			measureOnce.Do(o.OnMeasure)
		}
	}
	if o.OnMeasure != nil {
		t := time.AfterFunc(o.Warmup, opened)
		defer t.Stop()
	}

	call := func(cs *mcp.ClientSession, r *rand.Rand, rec *recorder) {
		i := p.next(r)
		cctx, ccancel := context.WithTimeout(runCtx, o.CallTimeout)
		if !time.Now().Before(measure) {
			opened() // before t0: not part of the call's latency
		}
		t0 := time.Now()
		out, err := cs.CallTool(cctx, &mcp.CallToolParams{Name: p.mix[i].Tool, Arguments: p.args[i]})
		dur := time.Since(t0)
		ccancel()
		if t0.Before(measure) || ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			rec.fail(p.label[i], dur, Classify(err), err.Error())
		case out.IsError:
			rec.fail(p.label[i], dur, KindTool, resultText(out))
		default:
			rec.ok(p.label[i], dur)
		}
	}

	var wg sync.WaitGroup
	for w := range o.Sessions {
		if !o.Soak && held[w] == nil {
			continue
		}
		wg.Go(func() {
			r := rand.New(rand.NewPCG(o.Seed, uint64(w)+1))
			rec := newRecorder()
			defer func() {
				mu.Lock()
				all.merge(rec)
				mu.Unlock()
			}()
			if !o.Soak {
				for time.Now().Before(end) && ctx.Err() == nil {
					call(held[w], r, rec)
				}
				return
			}
			for time.Now().Before(end) && ctx.Err() == nil {
				cs, err := d.Connect(runCtx)
				if err != nil {
					if ctx.Err() == nil && time.Now().Before(end) {
						sessionErr(fmt.Errorf("initialize: %w", err))
						sleepCtx(ctx, 50*time.Millisecond)
					}
					continue
				}
				mu.Lock()
				res.SessionsOpened++
				mu.Unlock()
				for range o.SoakCalls {
					call(cs, r, rec)
				}
				if err := cs.Close(); err != nil && !isClosed(err) {
					sessionErr(fmt.Errorf("close: %w", err))
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Tools = results(all, o.Mix, o.Duration)
	for _, t := range res.Tools {
		res.Calls += t.Calls
		res.Failed += t.Errors.Total()
	}
	res.CallsPerSec = float64(res.Calls) / o.Duration.Seconds()
	return res, nil
}

func isClosed(err error) bool {
	return errors.Is(err, mcp.ErrConnectionClosed) || strings.Contains(err.Error(), "closed")
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// results turns a recorder into per-entry figures in mix order.
func results(rec *recorder, mix []MixEntry, window time.Duration) []ToolResult {
	out := make([]ToolResult, 0, len(mix))
	for _, e := range mix {
		l := e.Label()
		ds := rec.lat[l]
		tr := ToolResult{Label: l, Tool: e.Tool, Calls: len(ds), CallsPerSec: float64(len(ds)) / window.Seconds(), Latency: Summarise(ds)}
		if er := rec.errs[l]; er != nil {
			tr.Errors = *er
		}
		out = append(out, tr)
	}
	return out
}

// resultText is the text of an isError result.
func resultText(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	if b.Len() == 0 {
		return "isError result without text"
	}
	return b.String()
}

// IdleResult is what holding sessions open cost the server.
type IdleResult struct {
	Requested int     `json:"requested"`
	Opened    int     `json:"opened"`
	OpenS     float64 `json:"open_s"` // time to open and initialise them all
	Errors    Errors  `json:"errors"`
}

// OpenIdle opens n sessions (at most parallel at a time) and returns them
// open; the caller samples the server, then closes them with CloseAll.
func OpenIdle(ctx context.Context, d *Dialer, n, parallel int) ([]*mcp.ClientSession, IdleResult) {
	res := IdleResult{Requested: n}
	sessions := make([]*mcp.ClientSession, 0, n)
	var mu sync.Mutex
	sem := make(chan struct{}, max(parallel, 1))
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		sem <- struct{}{}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			cs, err := d.Connect(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Errors.Add(Classify(err), "initialize: "+err.Error())
				return
			}
			sessions = append(sessions, cs)
		})
	}
	wg.Wait()
	res.OpenS = time.Since(start).Seconds()
	res.Opened = len(sessions)
	return sessions, res
}

// CloseAll closes sessions, parallel at a time.
func CloseAll(sessions []*mcp.ClientSession, parallel int) {
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for _, cs := range sessions {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			cs.Close()
		})
	}
	wg.Wait()
}

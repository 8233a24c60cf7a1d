package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DirectRequest is the Manager API request a tool call makes, sent
// straight to the Manager as the baseline of the overhead target.
type DirectRequest struct {
	Method string
	Path   string
	Query  url.Values
}

// String is the request line as the Manager sees it (keys sorted, as the
// server's client encodes them).
func (r DirectRequest) String() string {
	s := r.Method + " " + r.Path
	if q := r.Query.Encode(); q != "" {
		s += "?" + q
	}
	return s
}

// DirectEquivalent returns the Manager request the server's client sends
// for a mix entry (internal/tools and internal/wazuh build the same query:
// see agents.go there). ok is false, with the reason, when the entry has
// none the bench knows: then the report says so.
func DirectEquivalent(e MixEntry) (DirectRequest, bool, string) {
	switch e.Tool {
	case "get_wazuh_agents": // AgentFilter{Limit, Sort: "+id"}
		limit, err := limitArg(e.Args, 100)
		if err != "" {
			return DirectRequest{}, false, err
		}
		return DirectRequest{Method: http.MethodGet, Path: "/agents",
			Query: url.Values{"limit": {strconv.Itoa(limit)}, "sort": {"+id"}}}, true, ""
	case "get_wazuh_running_agents": // AgentFilter{Status: active, Limit, Sort: "+id"}
		limit, err := limitArg(e.Args, 500)
		if err != "" {
			return DirectRequest{}, false, err
		}
		return DirectRequest{Method: http.MethodGet, Path: "/agents",
			Query: url.Values{"limit": {strconv.Itoa(limit)}, "sort": {"+id"}, "status": {"active"}}}, true, ""
	}
	return DirectRequest{}, false, "no direct equivalent known (supported: get_wazuh_agents, get_wazuh_running_agents with limit only)"
}

// limitArg reads the only argument the direct equivalents support.
func limitArg(args map[string]any, def int) (int, string) {
	limit := def
	for k, v := range args {
		if k != "limit" {
			return 0, fmt.Sprintf("no direct equivalent for argument %q (only limit)", k)
		}
		var n int
		var err error
		switch x := v.(type) {
		case json.Number:
			n, err = strconv.Atoi(x.String())
		case float64:
			n = int(x)
			if float64(n) != x {
				err = errors.New("not whole")
			}
		case string:
			n, err = strconv.Atoi(strings.TrimSpace(x))
		default:
			err = errors.New("not a number")
		}
		if err != nil || n < 1 || n > 1000 {
			return 0, fmt.Sprintf("no direct equivalent: limit %v is not 1-1000", v)
		}
		limit = n
	}
	return limit, ""
}

// Manager is a Manager API endpoint with credentials, for direct requests.
type Manager struct {
	URL      string // e.g. http://127.0.0.1:55000
	User     string
	Password string
	HTTP     *http.Client

	mu    sync.Mutex
	token string
}

// Login authenticates as the server's client does (basic auth on
// /security/user/authenticate) and keeps the JWT.
func (m *Manager) Login(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(m.URL, "/")+"/security/user/authenticate", nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(m.User, m.Password)
	req.Header.Set("Accept", "application/json")
	res, err := m.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("direct login: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("direct login: HTTP %d: %s", res.StatusCode, sample(string(body)))
	}
	var env struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Data.Token == "" {
		return errors.New("direct login: the answer has no data.token")
	}
	m.mu.Lock()
	m.token = env.Data.Token
	m.mu.Unlock()
	return nil
}

func (m *Manager) bearer() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.token
}

// Do sends r once with the JWT and reads the whole answer (as the server's
// client does); a 401 logs in again and resends once.
func (m *Manager) Do(ctx context.Context, r DirectRequest) (int, error) {
	for attempt := 0; ; attempt++ {
		u := strings.TrimRight(m.URL, "/") + r.Path
		if q := r.Query.Encode(); q != "" {
			u += "?" + q
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, u, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+m.bearer())
		res, err := m.HTTP.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<20))
		res.Body.Close()
		if err != nil {
			return res.StatusCode, err
		}
		if res.StatusCode == http.StatusUnauthorized && attempt == 0 {
			if err := m.Login(ctx); err != nil {
				return 0, err
			}
			continue
		}
		return res.StatusCode, nil
	}
}

// DirectEntry is a mix entry with its direct request.
type DirectEntry struct {
	Entry   MixEntry
	Request DirectRequest
}

// DirectResult is one entry's direct figures.
type DirectResult struct {
	Label       string  `json:"label"`
	Request     string  `json:"request"`
	Calls       int     `json:"calls"`
	CallsPerSec float64 `json:"calls_per_s"`
	Latency     Latency `json:"latency"`
	// Errors: transport = no answer, tool = a non-2xx answer (its status).
	Errors Errors `json:"errors"`
}

// RunDirect sends the entries' requests straight to the Manager from
// `sessions` workers for Warmup+Duration, weighted as in the mix.
func RunDirect(ctx context.Context, m *Manager, entries []DirectEntry, sessions int, warmup, duration time.Duration, seed uint64) ([]DirectResult, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	if err := m.Login(ctx); err != nil {
		return nil, err
	}
	mix := make([]MixEntry, len(entries))
	for i, e := range entries {
		mix[i] = e.Entry
	}
	p := newPick(mix)
	start := time.Now()
	measure, end := start.Add(warmup), start.Add(warmup+duration)
	all := newRecorder()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range sessions {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(w)+1))
			rec := newRecorder()
			for time.Now().Before(end) && ctx.Err() == nil {
				i := p.next(r)
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				t0 := time.Now()
				status, err := m.Do(cctx, entries[i].Request)
				d := time.Since(t0)
				cancel()
				if t0.Before(measure) || ctx.Err() != nil {
					continue
				}
				switch {
				case err != nil:
					rec.fail(p.label[i], d, KindTransport, err.Error())
				case status < 200 || status > 299:
					rec.fail(p.label[i], d, KindTool, "HTTP "+strconv.Itoa(status))
				default:
					rec.ok(p.label[i], d)
				}
			}
			mu.Lock()
			all.merge(rec)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	trs := results(all, mix, duration)
	out := make([]DirectResult, len(trs))
	for i, t := range trs {
		out[i] = DirectResult{Label: t.Label, Request: entries[i].Request.String(), Calls: t.Calls,
			CallsPerSec: t.CallsPerSec, Latency: t.Latency, Errors: t.Errors}
	}
	return out, nil
}

package bench

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

// recordingProxy forwards to target and records "METHOD path?query" of
// every request to path.
type recordingProxy struct {
	url  string
	mu   sync.Mutex
	seen []string
}

func newRecordingProxy(t *testing.T, target, path string) *recordingProxy {
	u, _ := url.Parse(target)
	p := &recordingProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			p.mu.Lock()
			p.seen = append(p.seen, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
			p.mu.Unlock()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	p.url = ts.URL
	return p
}

func (p *recordingProxy) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.seen
	p.seen = nil
	return out
}

// TestDirectEquivalentIsWhatTheToolSends: the direct request of each
// supported entry is byte for byte the Manager request the real tool makes
// through the server's client.
func TestDirectEquivalentIsWhatTheToolSends(t *testing.T) {
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 50, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	proxy := newRecordingProxy(t, sim.ManagerURL, "/agents")
	log := slog.New(slog.DiscardHandler)
	wc, err := wazuh.New(wazuh.Config{BaseURL: proxy.url, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, Logger: log, CacheTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(wc.Close)
	ic, err := indexer.New(indexer.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	deps := tools.Deps{Wazuh: wc, Indexer: ic, Now: time.Now}
	selected, err := tools.Select(tools.Catalogue(deps), tools.Selection{Toolsets: []string{"agents"}, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := tools.NewServer("test", selected, deps, log)
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	m := &Manager{URL: proxy.url, User: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, HTTP: NewHTTPClient("", 2)}
	if err := m.Login(context.Background()); err != nil {
		t.Fatal(err)
	}

	mix, err := ParseMix(DefaultMix + `,get_wazuh_agents:1:{"limit":"7"},get_wazuh_agents,get_wazuh_running_agents:1:{"limit":50}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range mix {
		req, ok, why := DirectEquivalent(e)
		if !ok {
			t.Fatalf("%s: no direct equivalent: %s", e.Label(), why)
		}
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: e.Tool, Arguments: e.Args})
		if err != nil || res.IsError {
			t.Fatalf("%s: %v %v", e.Label(), err, res)
		}
		byTool := proxy.take()
		if status, err := m.Do(context.Background(), req); err != nil || status != 200 {
			t.Fatalf("direct %s: %d %v", req, status, err)
		}
		direct := proxy.take()
		if len(direct) != 1 || !slices.Contains(byTool, direct[0]) || direct[0] != req.String() {
			t.Errorf("%s: the tool sent %q, the direct request %q (%s)", e.Label(), byTool, direct, req)
		}
	}
	if req, _, _ := DirectEquivalent(mix[0]); req.String() != "GET /agents?limit=20&sort=%2Bid" {
		t.Errorf("default mix direct request = %s", req)
	}
}

func TestDirectEquivalentRefuses(t *testing.T) {
	mix, _ := ParseMix(`get_wazuh_agents:1:{"status":"active"},get_wazuh_agents:1:{"limit":0},get_wazuh_rules_summary`)
	want := []string{
		`no direct equivalent for argument "status" (only limit)`,
		`no direct equivalent: limit 0 is not 1-1000`,
		`no direct equivalent known (supported: get_wazuh_agents, get_wazuh_running_agents with limit only)`,
	}
	for i, e := range mix {
		if _, ok, why := DirectEquivalent(e); ok || why != want[i] {
			t.Errorf("%s: ok=%v why=%q, want %q", e.Label(), ok, why, want[i])
		}
	}
}

// TestRunDirect: the direct run logs in once, counts every answer, and a
// token the Manager revoked is renewed by one login, not reported as errors.
func TestRunDirect(t *testing.T) {
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 50, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	sim.Manager.SetMaxRequestsPerMinute(0)
	m := &Manager{URL: sim.ManagerURL, User: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, HTTP: NewHTTPClient("", 4)}
	mix, _ := ParseMix(DefaultMix)
	req, _, _ := DirectEquivalent(mix[0])
	go func() {
		time.Sleep(100 * time.Millisecond)
		sim.Manager.ExpireAllTokens()
	}()
	res, err := RunDirect(context.Background(), m, []DirectEntry{{Entry: mix[0], Request: req}}, 2, 0, 300*time.Millisecond, 1)
	if err != nil {
		t.Fatal(err)
	}
	st := sim.Manager.Stats()
	if len(res) != 1 || res[0].Calls == 0 || res[0].Errors.Total() != 0 || res[0].Request != "GET /agents?limit=20&sort=%2Bid" {
		t.Fatalf("direct: %+v", res)
	}
	// Every call reached the Manager once; the 401s of the revoked token
	// were resent after a new login (one per worker at most).
	if got := st.ByPath["GET /agents"]; got != res[0].Calls+st.Unauthorized {
		t.Errorf("Manager saw %d GET /agents, bench counted %d calls and %d were refused 401", got, res[0].Calls, st.Unauthorized)
	}
	if st.Unauthorized < 1 || st.Logins != 1+st.Unauthorized {
		t.Errorf("logins %d, 401s %d: want one login per 401 plus the first", st.Logins, st.Unauthorized)
	}
}

package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// simNow fixes the generated window so the data, and the requests built
// from it, are the same on every run.
var simNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

const loginOp = "POST /security/user/authenticate"

// captured is one request as the Manager received it.
type captured struct {
	method, uri string // uri is the escaped path and raw query
	header      http.Header
	body        []byte
}

// recordingHandler records every request before passing it on.
type recordingHandler struct {
	next http.Handler
	mu   sync.Mutex
	reqs []captured
}

func (h *recordingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.reqs = append(h.reqs, captured{method: r.Method, uri: r.URL.RequestURI(), header: r.Header.Clone(), body: body})
	h.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	h.next.ServeHTTP(w, r)
}

// since returns the requests recorded after the first n.
func (h *recordingHandler) since(n int) []captured {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.reqs[n:])
}

func (h *recordingHandler) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.reqs)
}

// startSim runs the stand-in on a small generated dataset without the
// Manager's rate limit (the tests send bursts).
func startSim(t *testing.T) *wazuhsim.Sim {
	t.Helper()
	sim, err := wazuhsim.Start(wazuhsim.Options{
		Seed: 42, Alerts: 500, Now: simNow,
		ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// clientCall is one typed call of internal/wazuh with realistic arguments.
type clientCall struct {
	method string // the *wazuh.Client method exercised
	what   string
	call   func(context.Context, *wazuh.Client) error
	// gap, when set, says why the stand-in answers this (valid) request
	// with an error: the call must fail, its requests are still validated.
	gap string
}

// errOf drops a typed call's result.
func errOf[T any](_ T, err error) error { return err }

// untypedMethods are the generic plumbing of *wazuh.Client, not typed calls
// (VerifyDecodedCache is a test aid that sends nothing).
var untypedMethods = []string{"BaseURL", "Close", "Get", "GetRaw", "Put", "VerifyDecodedCache"}

// clientCalls exercises every typed call; names come from the dataset so
// the requests address things that exist.
func clientCalls(ds *dataset.Dataset) []clientCall {
	linux, windows, mgr := "001", "010", "000"
	linuxPolicy := firstString(ds.SCA[linux], "policy_id")
	windowsPolicy := firstString(ds.SCA[windows], "policy_id")
	sshdRules := firstMatching(ds.RuleFiles, "file", "sshd") // /rules/files items name it "file"
	calls := []clientCall{
		{"Info", "GET /", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.Info(ctx)) }, ""},
		{"Ping", "uncached GET /", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.Ping(ctx)) }, ""},
		{"ListAgents", "ids, statuses, select, sort, paging", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ListAgents(ctx, wazuh.AgentFilter{IDs: []string{linux, windows, "17"}, Status: []string{"active", "disconnected"},
				Select: []string{"id", "name", "os.name", "status"}, Sort: "-name", Offset: 1, Limit: 2}))
		}, ""},
		{"ListAgents", "group, platform, q, search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ListAgents(ctx, wazuh.AgentFilter{Group: "webservers", Platform: "ubuntu", Search: "web",
				Q: wazuh.And(wazuh.Eq("status", "active"), wazuh.Or(wazuh.Like("name", "web"), wazuh.Eq("os.platform", "ubuntu")))}))
		}, ""},
		{"ListAgents", "name", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ListAgents(ctx, wazuh.AgentFilter{Name: "dc-01", Status: []string{"never_connected", "pending"}}))
		}, ""},
		{"GetAgent", "linux", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.GetAgent(ctx, linux)) }, ""},
		{"GetAgent", "windows, short id", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.GetAgent(ctx, "10")) }, ""},
		{"GetAgent", "manager", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.GetAgent(ctx, mgr)) }, ""},
		{"AgentsSummary", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.AgentsSummary(ctx)) }, ""},
		{"Groups", "sort, select, search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Groups(ctx, wazuh.ListOptions{Sort: "+name", Select: []string{"name", "count"}, Search: "serv", Limit: 10}))
		}, ""},
		{"AgentConfig", "linux agent/client", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.AgentConfig(ctx, linux, "agent", "client"))
		}, ""},
		{"AgentConfig", "windows logcollector/localfile", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.AgentConfig(ctx, windows, "logcollector", "localfile"))
		}, ""},
		{"AgentConfig", "linux syscheck/syscheck", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.AgentConfig(ctx, linux, "syscheck", "syscheck"))
		}, ""},
		{"LogcollectorStats", "linux", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.LogcollectorStats(ctx, linux)) }, ""},
		{"LogcollectorStats", "windows", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.LogcollectorStats(ctx, windows)) }, ""},
		{"Processes", "linux q and params", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Processes(ctx, linux, wazuh.ListOptions{Q: wazuh.Eq("name", "sshd"), Select: []string{"pid", "name", "cmd"},
				Sort: "-pid", Limit: 20, Params: map[string][]string{"euser": {"root"}}}))
		}, ""},
		{"Processes", "windows search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Processes(ctx, windows, wazuh.ListOptions{Search: "svchost", Offset: 5, Limit: 5}))
		}, ""},
		{"Ports", "linux listening tcp", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Ports(ctx, linux, wazuh.ListOptions{Params: map[string][]string{"protocol": {"tcp"}, "state": {"listening"}},
				Sort: "+local.port", Select: []string{"local.ip", "local.port", "process", "pid"}}))
		}, ""},
		{"Ports", "windows q", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Ports(ctx, windows, wazuh.ListOptions{Q: wazuh.Lt("local.port", "1024")}))
		}, ""},
		{"Packages", "linux search and select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Packages(ctx, linux, wazuh.ListOptions{Search: "openssl", Select: []string{"name", "version", "architecture"},
				Params: map[string][]string{"format": {"deb"}}}))
		}, ""},
		{"Packages", "windows vendor", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Packages(ctx, windows, wazuh.ListOptions{Params: map[string][]string{"vendor": {"Microsoft Corporation"}}, Sort: "+name", Limit: 50}))
		}, ""},
		{"NetAddr", "linux", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.NetAddr(ctx, linux, wazuh.ListOptions{Params: map[string][]string{"proto": {"ipv4"}}}))
		}, ""},
		{"NetAddr", "windows", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.NetAddr(ctx, windows, wazuh.ListOptions{}))
		}, ""},
		{"NetIface", "linux", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.NetIface(ctx, linux, wazuh.ListOptions{Select: []string{"name", "mac", "state"}}))
		}, ""},
		{"OS", "manager", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.OS(ctx, mgr, wazuh.ListOptions{})) }, ""},
		{"OS", "windows select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.OS(ctx, windows, wazuh.ListOptions{Select: []string{"os.name", "os.version", "hostname"}}))
		}, ""},
		{"Hardware", "linux", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Hardware(ctx, linux, wazuh.ListOptions{}))
		}, ""},
		{"Hotfixes", "windows", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Hotfixes(ctx, windows, wazuh.ListOptions{Sort: "-hotfix", Limit: 10}))
		}, ""},
		{"Rules", "group, level range, sort, select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Rules(ctx, wazuh.ListOptions{Params: map[string][]string{"group": {"sshd"}, "level": {"5-10"}},
				Sort: "-level", Select: []string{"id", "level", "description", "groups"}, Limit: wazuh.MaxLimit}))
		}, ""},
		{"Rules", "q, search, mitre, ids", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Rules(ctx, wazuh.ListOptions{Q: wazuh.Gt("level", "10"), Search: "brute",
				Params: map[string][]string{"mitre": {"T1110"}, "rule_ids": {"5712,5720"}, "status": {"enabled"}}}))
		}, ""},
		{"RuleGroups", "search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.RuleGroups(ctx, wazuh.ListOptions{Search: "ssh", Limit: 10}))
		}, ""},
		{"RuleFiles", "filter", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.RuleFiles(ctx, wazuh.ListOptions{Sort: "-file", Search: "sshd", Params: map[string][]string{"status": {"enabled"}}}))
		}, ""},
		{"RuleFile", sshdRules, func(ctx context.Context, c *wazuh.Client) error { return errOf(c.RuleFile(ctx, sshdRules)) }, ""},
		{"Decoders", "names, select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Decoders(ctx, wazuh.ListOptions{Select: []string{"name", "filename"}, Limit: 10,
				Params: map[string][]string{"decoder_names": {"sshd"}}}))
		}, ""},
		{"DecoderFiles", "", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.DecoderFiles(ctx, wazuh.ListOptions{Sort: "-filename", Limit: 5}))
		}, ""},
		{"Lists", "filename", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Lists(ctx, wazuh.ListOptions{Params: map[string][]string{"filename": {"malicious-ip"}}}))
		}, ""},
		{"ListFiles", "", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ListFiles(ctx, wazuh.ListOptions{Sort: "+filename"}))
		}, ""},
		{"ListFile", "audit-keys", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ListFile(ctx, "audit-keys")) }, ""},
		{"SCA", "linux", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.SCA(ctx, linux, wazuh.ListOptions{})) }, ""},
		{"SCA", "windows select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.SCA(ctx, windows, wazuh.ListOptions{Select: []string{"policy_id", "name", "score"}}))
		}, ""},
		{"SCAChecks", "linux failed", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.SCAChecks(ctx, linux, linuxPolicy, wazuh.ListOptions{Params: map[string][]string{"result": {"failed"}}, Limit: 10, Sort: "+id"}))
		}, ""},
		{"SCAChecks", "windows q", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.SCAChecks(ctx, windows, windowsPolicy, wazuh.ListOptions{Q: wazuh.Eq("result", "passed"), Search: "password"}))
		}, ""},
		{"Syscheck", "linux files", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Syscheck(ctx, linux, wazuh.ListOptions{Params: map[string][]string{"type": {"file"}}, Sort: "-date", Limit: 10, Search: "/etc"}))
		}, ""},
		{"Syscheck", "windows registry", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Syscheck(ctx, windows, wazuh.ListOptions{Params: map[string][]string{"type": {"registry_key"}}}))
		}, ""},
		{"SyscheckLastScan", "linux", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.SyscheckLastScan(ctx, linux)) }, ""},
		{"Rootcheck", "linux outstanding", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.Rootcheck(ctx, linux, wazuh.ListOptions{Params: map[string][]string{"status": {"outstanding"}}}))
		}, ""},
		{"RootcheckLastScan", "linux", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.RootcheckLastScan(ctx, linux)) }, ""},
		{"ManagerInfo", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerInfo(ctx)) }, ""},
		{"ManagerStatus", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerStatus(ctx)) }, ""},
		{"ManagerConfiguration", "all", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerConfiguration(ctx, "", "")) }, ""},
		{"ManagerConfiguration", "section and field", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ManagerConfiguration(ctx, "global", "email_maxperhour"))
		}, ""},
		{"ManagerStats", "today", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerStats(ctx, "")) }, ""},
		{"ManagerStats", "date", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ManagerStats(ctx, simNow.Format(time.DateOnly)))
		}, ""},
		{"ManagerStatsHourly", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerStatsHourly(ctx)) }, ""},
		{"ManagerStatsWeekly", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerStatsWeekly(ctx)) }, ""},
		{"ManagerAnalysisd", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerAnalysisd(ctx)) }, ""},
		{"ManagerRemoted", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerRemoted(ctx)) }, ""},
		{"ManagerDaemonStats", "all", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerDaemonStats(ctx, nil)) }, ""},
		{"ManagerDaemonStats", "every daemon with stats", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ManagerDaemonStats(ctx, []string{"wazuh-remoted", "wazuh-analysisd", "wazuh-db"}))
		}, ""},
		{"ManagerLogs", "level, tag, search, sort", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ManagerLogs(ctx, wazuh.LogFilter{Level: "error", Tag: "wazuh-modulesd:syscollector",
				ListOptions: wazuh.ListOptions{Limit: wazuh.MaxLogLimit, Sort: "-timestamp", Search: "scan"}}))
		}, ""},
		{"ManagerLogs", "q", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ManagerLogs(ctx, wazuh.LogFilter{ListOptions: wazuh.ListOptions{Q: wazuh.Like("tag", "remoted"), Offset: 10}}))
		}, ""},
		{"ManagerLogsSummary", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ManagerLogsSummary(ctx)) }, ""},
		{"ClusterStatus", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ClusterStatus(ctx)) }, ""},
		{"ClusterNodes", "masters", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ClusterNodes(ctx, wazuh.ListOptions{Params: map[string][]string{"type": {"master"}}, Select: []string{"name", "ip"}}))
		}, ""},
		{"ClusterHealthcheck", "all", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ClusterHealthcheck(ctx, nil)) }, ""},
		{"ClusterHealthcheck", "one node", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ClusterHealthcheck(ctx, []string{dataset.MasterNode}))
		}, ""},
		{"ClusterLocalInfo", "", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ClusterLocalInfo(ctx)) }, ""},
		{"MitreTechniques", "select, sort, search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreTechniques(ctx, wazuh.ListOptions{Select: []string{"name", "external_id"}, Sort: "+name", Search: "brute", Limit: 5}))
		}, ""},
		{"MitreTechniqueByExternalID", "T1110", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreTechniqueByExternalID(ctx, "T1110"))
		}, ""},
		{"MitreTactics", "search", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreTactics(ctx, wazuh.ListOptions{Search: "credential", Limit: 5}))
		}, ""},
		{"MitreTacticsByID", "one id", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreTacticsByID(ctx, []string{"x-mitre-tactic--7141578b-e50b-4dcc-bfa4-08a8dd689e9e"}))
		}, ""},
		{"MitreMitigations", "select", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreMitigations(ctx, wazuh.ListOptions{Select: []string{"name", "external_id"}, Limit: 5}))
		}, ""},
		{"MitreMitigationsByID", "two ids", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.MitreMitigationsByID(ctx, []string{"course-of-action--12241367-a8b7-49b4-b86e-2236901ba50c", "course-of-action--78bb71be-92b4-46de-acd6-5f998fedf1cc"}))
		}, ""},
		{"ActiveResponse", "firewall-drop600 on 001", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.ActiveResponse(ctx, []string{linux}, wazuh.ActiveResponseCommand{
				Command: "firewall-drop600", Alert: wazuh.AlertData{SrcIP: "203.0.113.7"}}))
		}, ""},
		{"RestartAgent", "001", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.RestartAgent(ctx, linux)) }, ""},
		{"SendWrite", "manager restart", func(ctx context.Context, c *wazuh.Client) error {
			return errOf(c.SendWrite(ctx, wazuh.RestartManagerRequest()))
		}, ""},
		{"ARCommands", "ar.conf names", func(ctx context.Context, c *wazuh.Client) error { return errOf(c.ARCommands(ctx)) }, ""},
	}
	return calls
}

func firstString(items []dataset.Item, key string) string {
	for _, it := range items {
		if s, ok := it[key].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func firstMatching(items []dataset.Item, key, sub string) string {
	for _, it := range items {
		if s, ok := it[key].(string); ok && strings.Contains(s, sub) {
			return s
		}
	}
	return ""
}

// TestClientRequestsMatchSpec sends every typed call of the Manager client
// to the stand-in through a recorder and validates each request it sent
// (the login included) against the real spec.
func TestClientRequestsMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	sim := startSim(t)
	rec := &recordingHandler{next: sim.Manager.Handler()}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := wazuh.New(wazuh.Config{BaseURL: srv.URL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword,
		CacheTTL: -1, RequestsPerMinute: 600000, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)

	ctx := t.Context()
	exercised := map[string]int{} // spec operation -> validated requests
	covered := map[string]bool{}  // client method -> validated non-login requests
	for _, tc := range clientCalls(sim.Dataset) {
		name := tc.method + "/" + tc.what
		before := rec.count()
		err := tc.call(ctx, c)
		switch {
		case tc.gap == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.gap != "" && err == nil:
			t.Errorf("%s: succeeded, but the stand-in was known not to serve it (%s): drop the gap", name, tc.gap)
		}
		for _, r := range rec.since(before) {
			op, err := validateRequest(doc, r)
			if err != nil {
				t.Errorf("%s: %s %s does not match the spec: %v", name, r.method, r.uri, err)
				continue
			}
			exercised[op]++
			if op != loginOp {
				covered[tc.method] = true
			}
		}
	}
	if exercised[loginOp] == 0 {
		t.Errorf("the login (%s) was not seen", loginOp)
	}
	for _, m := range typedMethods() {
		if !covered[m] {
			t.Errorf("(*wazuh.Client).%s: no case sent a request that validates against the spec", m)
		}
	}
	ops := slices.Sorted(func(yield func(string) bool) {
		for op := range exercised {
			if !yield(op) {
				return
			}
		}
	})
	t.Logf("%d spec operations exercised by %d typed calls:", len(ops), len(covered))
	for _, op := range ops {
		t.Logf("  %-60s %d request(s)", op, exercised[op])
	}
}

// typedMethods lists the exported methods of *wazuh.Client but the plumbing.
func typedMethods() []string {
	typ := reflect.TypeFor[*wazuh.Client]()
	var out []string
	for i := range typ.NumMethod() {
		if m := typ.Method(i).Name; !slices.Contains(untypedMethods, m) {
			out = append(out, m)
		}
	}
	return out
}

// validateRequest finds r's spec operation and validates it; it returns
// "METHOD /path/template".
func validateRequest(doc *openapi3.T, r captured) (string, error) {
	req := httptest.NewRequest(r.method, r.uri, bytes.NewReader(r.body))
	req.Header = r.header.Clone()
	route, params, err := findRoute(doc, req)
	if err != nil {
		return "", err
	}
	op := route.Method + " " + route.Path
	if err := undeclaredQuery(route, req.URL.Query()); err != nil {
		return op, err
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: validationOptions()}
	return op, openapi3filter.ValidateRequest(context.Background(), explodeArrays(in))
}

// undeclaredQuery refuses query parameters the operation does not declare.
// openapi3filter ignores them, but the real API answers 400 to any unknown
// parameter (connexion strict validation), so a typo would break the call.
func undeclaredQuery(route *routers.Route, q url.Values) error {
	declared := map[string]bool{}
	for _, params := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	var unknown []string
	for k := range q {
		if !declared[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("query parameters %v are not declared by the operation", unknown)
	}
	return nil
}

// TestRequestValidatorRejects keeps TestClientRequestsMatchSpec honest: the
// checks it relies on do reject malformed requests.
func TestRequestValidatorRejects(t *testing.T) {
	doc := loadSpec(t)
	bearer := http.Header{"Authorization": {"Bearer aaa.bbb.ccc"}}
	basic := http.Header{"Authorization": {"Basic d2F6dWg6d2F6dWg="}}
	cases := []struct {
		name   string
		req    captured
		wantOK bool
	}{
		{"valid list", captured{method: "GET", uri: "/agents?agents_list=001,010&limit=5", header: bearer}, true},
		{"valid login", captured{method: "POST", uri: "/security/user/authenticate", header: basic}, true},
		{"valid active response", captured{method: "PUT", uri: "/active-response?agents_list=001", header: jsonHeader(bearer),
			body: []byte(`{"command":"firewall-drop600","alert":{"data":{"srcip":"203.0.113.7"}}}`)}, true},
		{"unknown parameter", captured{method: "GET", uri: "/agents?unknown=1", header: bearer}, false},
		{"limit not a number", captured{method: "GET", uri: "/agents?limit=abc", header: bearer}, false},
		{"limit below minimum", captured{method: "GET", uri: "/agents?limit=0", header: bearer}, false},
		{"no token", captured{method: "GET", uri: "/agents", header: http.Header{}}, false},
		{"token on the login", captured{method: "POST", uri: "/security/user/authenticate", header: bearer}, false},
		{"active response without command", captured{method: "PUT", uri: "/active-response?agents_list=001", header: jsonHeader(bearer),
			body: []byte(`{"arguments":[]}`)}, false},
		{"no such operation", captured{method: "GET", uri: "/alerts", header: bearer}, false},
		{"wrong method", captured{method: "DELETE", uri: "/manager/info", header: bearer}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := validateRequest(doc, tc.req)
			if (err == nil) != tc.wantOK {
				t.Errorf("%s %s: error %v, want ok=%v", tc.req.method, tc.req.uri, err, tc.wantOK)
			}
		})
	}
}

func jsonHeader(h http.Header) http.Header {
	h = h.Clone()
	h.Set("Content-Type", "application/json")
	return h
}

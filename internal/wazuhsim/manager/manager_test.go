package manager

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

func TestLoginIssuesRealToken(t *testing.T) {
	s, clock := newTestServer(t, Options{})
	c := newClient(t, s)
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(c.token, claims); err != nil {
		t.Fatal(err)
	}
	tok, _, _ := jwt.NewParser().ParseUnverified(c.token, jwt.MapClaims{})
	if tok.Method.Alg() != "ES512" {
		t.Errorf("alg = %s", tok.Method.Alg())
	}
	now := clock.Now().Unix()
	want := map[string]any{"iss": "wazuh", "aud": "Wazuh API REST", // a string, as PyJWT writes it "sub": "wazuh", "run_as": false,
		"rbac_mode": "white", "rbac_roles": []any{float64(1)}, "nbf": float64(now), "exp": float64(now + 900)}
	for k, v := range want {
		if !reflect.DeepEqual(claims[k], v) {
			t.Errorf("claim %s = %#v, want %#v", k, claims[k], v)
		}
	}
	// raw=true answers the bare token; GET is the deprecated login.
	req, _ := http.NewRequest(http.MethodGet, "/security/user/authenticate?raw=true", nil)
	req.SetBasicAuth("wazuh", "wazuh")
	rec := c.serve(req)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") || strings.Count(rec.Body.String(), ".") != 2 {
		t.Errorf("raw login: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if got := s.Stats().Logins; got != 2 {
		t.Errorf("Logins = %d", got)
	}
}

func (c *client) serve(req *http.Request) *responseRecorder {
	rec := newRecorder()
	c.h.ServeHTTP(rec, req)
	return rec
}

func TestLoginFailures(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxLoginAttempts: 3})
	c := &client{t: t, h: s.Handler()}
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest(http.MethodPost, "/security/user/authenticate", nil)
		req.SetBasicAuth("wazuh", "wrong")
		rec := c.serve(req)
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), `"detail":"Invalid credentials"`) {
			t.Fatalf("bad password: %d %s", rec.Code, rec.Body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, "/security/user/authenticate", nil)
	req.SetBasicAuth("wazuh", "wazuh")
	if rec := c.serve(req); rec.Code != 403 {
		t.Fatalf("blocked IP: %d %s", rec.Code, rec.Body)
	}
}

func TestUnauthorized(t *testing.T) {
	s, clock := newTestServer(t, Options{})
	c := newClient(t, s)
	check := func(name string, wantCode int) {
		t.Helper()
		rec := c.do(http.MethodGet, "/agents", "")
		if rec.Code != wantCode {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
		if wantCode == 401 {
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("%s: content type %q", name, ct)
			}
			if got := rec.Body.String(); !strings.Contains(got, `{"title":"Unauthorized","detail":"No authorization token provided"}`) {
				t.Errorf("%s: body %s", name, got)
			}
		}
	}
	check("valid", 200)
	clock.Advance(899 * time.Second)
	check("before exp", 200)
	clock.Advance(2 * time.Second)
	check("expired", 401)

	c.token = c.login("wazuh", "wazuh")
	check("fresh", 200)
	s.ExpireAllTokens()
	check("forced expiry", 401)
	c.token = c.login("wazuh", "wazuh") // same clock instant as the revocation
	check("login after forced expiry", 200)

	s.SetTokenLifetime(60 * time.Second)
	check("lifetime changed", 401)
	c.token = c.login("wazuh", "wazuh")
	check("new lifetime", 200)
	clock.Advance(61 * time.Second)
	check("short lifetime expired", 401)

	c.token = "not.a.jwt"
	check("garbage", 401)
	c.token = ""
	check("missing", 401)
	if s.Stats().Unauthorized != 6 {
		t.Errorf("Unauthorized = %d", s.Stats().Unauthorized)
	}
}

func TestRateLimit(t *testing.T) {
	s, clock := newTestServer(t, Options{})
	c := newClient(t, s) // the login counts
	for i := 2; i <= 300; i++ {
		if rec := c.do(http.MethodGet, "/manager/info", ""); rec.Code != 200 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := c.do(http.MethodGet, "/manager/info", "")
	if rec.Code != 429 {
		t.Fatalf("301st request: %d", rec.Code)
	}
	var p map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if p["error"] != float64(6001) || p["title"] != "Too Many Requests" || p["detail"] != "Maximum number of requests per minute reached" {
		t.Errorf("429 body: %s", rec.Body)
	}
	st := s.Stats()
	if st.RateLimited != 1 || st.TotalRequests != 301 || st.ByPath["GET /manager/info"] != 300 {
		t.Errorf("stats: %+v", st)
	}
	clock.Advance(61 * time.Second)
	c.token = c.login("wazuh", "wazuh")
	if rec := c.do(http.MethodGet, "/manager/info", ""); rec.Code != 200 {
		t.Fatalf("after the window: %d", rec.Code)
	}
	// The stand-in stats endpoint is not counted and needs no token.
	c.token = ""
	if code, m := c.get("/__sim/stats"); code != 200 || m["rate_limited"] != float64(1) {
		t.Errorf("/__sim/stats: %d %v", code, m)
	}
}

func TestRateLimitDisabled(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxRequestsPerMinute: -1})
	c := newClient(t, s)
	for i := 0; i < 400; i++ {
		if rec := c.do(http.MethodGet, "/cluster/status", ""); rec.Code != 200 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
}

func TestEnvelopeAndMessages(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	rec := c.do(http.MethodGet, "/agents?limit=1", "")
	want := `{"data":{"affected_items":[`
	if !strings.HasPrefix(rec.Body.String(), want) {
		t.Fatalf("body %s", rec.Body)
	}
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	data := m["data"].(map[string]any)
	if data["total_affected_items"] != float64(5) || data["total_failed_items"] != float64(0) ||
		m["message"] != "All selected agents information was returned" || m["error"] != float64(0) {
		t.Errorf("envelope: %v", m)
	}
	_, m = c.get("/agents?agents_list=001,999")
	if m["error"] != float64(2) || m["message"] != "Some agents information was not returned" {
		t.Errorf("partial: %v", m)
	}
	failed := m["data"].(map[string]any)["failed_items"].([]any)[0].(map[string]any)
	if failed["error"].(map[string]any)["code"] != float64(1701) || failed["id"].([]any)[0] != "999" {
		t.Errorf("failed item: %v", failed)
	}
	_, m = c.get("/agents?agents_list=998,999")
	if m["error"] != float64(1) || m["message"] != "No agents information was returned" {
		t.Errorf("all failed: %v", m)
	}
	_, m = c.get("/")
	if m["data"].(map[string]any)["title"] == nil || m["error"] != float64(0) {
		t.Errorf("GET /: %v", m)
	}
}

func TestListParameters(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	tests := []struct {
		target string
		want   []string
		total  int
	}{
		{"/agents", []string{"000", "001", "002", "003", "004"}, 5},
		{"/agents?offset=1&limit=2", []string{"001", "002"}, 5},
		{"/agents?sort=-id&limit=2", []string{"004", "003"}, 5},
		{"/agents?sort=%2Bname", []string{"003", "000", "001", "004", "002"}, 5},
		{"/agents?sort=status,-id", []string{"004", "001", "000", "002", "003"}, 5},
		{"/agents?status=active", []string{"000", "001", "004"}, 3},
		{"/agents?status=active,disconnected&offset=3", []string{"004"}, 4},
		{"/agents?q=status=active%3Bid!=000", []string{"001", "004"}, 2},
		{"/agents?q=id=002,id=003%3Bstatus=never_connected", []string{"002", "003"}, 2},
		{"/agents?q=(id=002,id=003)%3Bstatus=never_connected", []string{"003"}, 1},
		{"/agents?q=os.platform=windows", []string{"002"}, 1},
		{"/agents?q=name~WEB", []string{"001", "004"}, 2},
		{"/agents?q=lastKeepAlive<2026-11-10", []string{"002"}, 1},
		{"/agents?search=win-02", []string{"002"}, 1},
		{"/agents?search=-web", []string{"000", "002", "003"}, 3},
		{"/agents?group=web", []string{"001", "004"}, 2},
		{"/agents?os.platform=windows", []string{"002"}, 1},
		{"/agents?older_than=7d", []string{"002", "003"}, 2},
		{"/agents?agents_list=004,001", []string{"004", "001"}, 2},
		{"/agents?offset=10", nil, 5},
		{"/agents?q=name=web-01,name=db-03&sort=-name", []string{"001", "003"}, 2},
	}
	for _, tt := range tests {
		items, total := c.items(tt.target)
		if got := ids(items); !reflect.DeepEqual(got, tt.want) || total != tt.total {
			t.Errorf("%s = %v (%d), want %v (%d)", tt.target, got, total, tt.want, tt.total)
		}
	}
}

func TestSelectAndDistinct(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	items, _ := c.items("/agents?select=os.name,name&agents_list=001")
	want := map[string]any{"id": "001", "name": "web-01", "os": map[string]any{"name": "Ubuntu"}}
	if !reflect.DeepEqual(items[0], want) {
		t.Errorf("select: %v", items[0])
	}
	items, total := c.items("/agents?select=status&distinct=true&sort=status")
	if total != 3 || len(items) != 3 || items[0]["status"] != "active" {
		t.Errorf("distinct: %v %d", items, total)
	}
	items, _ = c.items("/syscollector/001/packages?select=name")
	if len(items[0]) != 2 || items[0]["agent_id"] != "001" {
		t.Errorf("syscollector select keeps agent_id: %v", items[0])
	}
}

func TestBadParameters(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	tests := []struct {
		target string
		status int
		code   float64
		detail string
	}{
		{"/agents?q=status=active;id=001", 400, 2009, "Semicolon (;) is a reserved character"},
		{"/agents?select=nope", 400, 1724, "Not a valid select field: nope"},
		{"/agents?sort=nope", 400, 1403, "Not a valid sort field : nope"},
		{"/agents?q=status=active%3B(", 400, 1407, "Query does not match expected format"},
		{"/agents?q=status==active", 400, 1409, "Invalid query operator"},
		{"/agents?q=nope=1", 400, 1408, "Field does not exist.: nope"},
		{"/agents?limit=0", 400, 0, "0 is less than the minimum of 1"},
		{"/agents?limit=100001", 400, 0, "100001 is greater than the maximum of 100000"},
		{"/agents?limit=abc", 400, 0, "Wrong type, expected 'integer' for query parameter 'limit'"},
		{"/agents?status=sleeping", 400, 0, "'sleeping' is not one of ['active', 'pending', 'never_connected', 'disconnected']"},
		{"/agents?agents_list=1", 400, 0, "'1' is too short"},
		{"/agents?agents_list=00a", 400, 0, "'00a' is not a 'numbers'"},
		{"/agents?foo=1&bar=2", 400, 0, "Extra query parameter(s) bar, foo not in spec"},
		{"/agents?older_than=yesterday", 400, 0, "'yesterday' is not a 'timeframe'"},
		{"/syscollector/1/os", 400, 0, "'1' is too short"},
		{"/rules?level=9-x", 400, 0, "'9-x' is not a 'range'"},
		{"/manager/logs?limit=501", 400, 0, "501 is greater than the maximum of 500"},
		{"/manager/configuration?section=nope", 400, 0, "'nope' is not one of"},
		{"/manager/stats?date=2020-01-01", 400, 1308, "Stats file does not exist"},
		{"/agents/999/config/agent/client", 404, 1701, "Agent does not exist"},
		{"/agents/002/config/agent/client", 400, 1740, "Action only available for active agents"},
	}
	for _, tt := range tests {
		code, m := c.get(tt.target)
		detail, _ := m["detail"].(string)
		if code != tt.status || m["title"] == nil || !strings.HasPrefix(detail, tt.detail) {
			t.Errorf("%s: %d %v", tt.target, code, m)
			continue
		}
		if got, _ := m["error"].(float64); got != tt.code {
			t.Errorf("%s: error %v, want %v", tt.target, m["error"], tt.code)
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	rec := c.do(http.MethodGet, "/nope", "")
	if rec.Code != 404 || rec.Body.String() != `{"title":"Not Found","detail":"404: Not Found"}`+"\n" {
		t.Errorf("404: %d %s", rec.Code, rec.Body)
	}
	rec = c.do(http.MethodDelete, "/manager/info", "")
	if rec.Code != 405 || !strings.Contains(rec.Body.String(), "Specified method is invalid for this resource") {
		t.Errorf("405: %d %s", rec.Code, rec.Body)
	}
	// Routing happens before authentication.
	c.token = ""
	if rec := c.do(http.MethodGet, "/nope", ""); rec.Code != 404 {
		t.Errorf("404 without token: %d", rec.Code)
	}
}

func TestPerAgentFailures(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	for _, target := range []string{"/syscollector/999/packages", "/sca/999", "/syscheck/999", "/rootcheck/999"} {
		code, m := c.get(target)
		data := m["data"].(map[string]any)
		if code != 200 || m["error"] != float64(1) || data["total_failed_items"] != float64(1) {
			t.Errorf("%s: %d %v", target, code, m)
		}
	}
	items, total := c.items("/syscollector/001/processes?q=pid=1")
	if total != 1 || items[0]["name"] != "bash" {
		t.Errorf("processes q: %v", items)
	}
	items, _ = c.items("/syscollector/001/ports?protocol=tcp&local.port=46841")
	if len(items) != 1 {
		t.Errorf("ports filters: %v", items)
	}
}

func TestRulesEndpoints(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	rules := func(target string) []string {
		items, _ := c.items(target)
		var out []string
		for _, it := range items {
			out = append(out, fmt.Sprint(it["id"]))
		}
		return out
	}
	tests := map[string][]string{
		"/rules?rule_ids=5712,550":              {"5712", "550"},
		"/rules?level=5-7":                      {"550", "5710"},
		"/rules?level=10":                       {"5712"},
		"/rules?group=sshd&status=enabled":      {"5712"},
		"/rules?mitre=T1110":                    {"5712"},
		"/rules?pci_dss=11.5":                   {"550"},
		"/rules?filename=0095-sshd_rules.xml":   {"5712", "5710"},
		"/rules?q=level>6&sort=-level":          {"5712", "550"},
		"/rules?search=brute%20force":           {"5712"},
		"/rules?status=all&sort=id&limit=2":     {"550", "1001"},
		"/rules?nist-800-53=AC.7&rule_ids=1001": {"1001"},
	}
	for target, want := range tests {
		if got := rules(target); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", target, got, want)
		}
	}
	_, m := c.get("/rules/groups?limit=3")
	if got := m["data"].(map[string]any)["affected_items"]; !reflect.DeepEqual(got, []any{"authentication_failed", "authentication_failures", "errors"}) {
		t.Errorf("groups: %v", got)
	}
	_, m = c.get("/rules/requirement/mitre")
	if got := m["data"].(map[string]any)["affected_items"]; !reflect.DeepEqual(got, []any{"T1021.004", "T1110", "T1110.001", "T1565.001"}) {
		t.Errorf("requirement: %v", got)
	}
	rec := c.do(http.MethodGet, "/rules/files/0010-rules_config.xml?raw=true", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") || !strings.Contains(rec.Body.String(), `<group name="syslog,">`) {
		t.Errorf("raw rule file: %d %s", rec.Code, rec.Header())
	}
	items, _ := c.items("/rules/files/0010-rules_config.xml")
	groups := items[0]["group"].([]any)
	first := groups[0].(map[string]any)
	if first["@name"] != "syslog," || first["rule"].(map[string]any)["@id"] != "1" {
		t.Errorf("rule file JSON: %v", first)
	}
	rec = c.do(http.MethodGet, "/lists/files/audit-keys?raw=true", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "audit-wazuh-w:write\n") {
		t.Errorf("raw list: %d %s", rec.Code, rec.Body)
	}
}

func TestActiveResponse(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	ar := func(query, body string) map[string]any {
		rec := c.do(http.MethodPut, "/active-response"+query, body)
		var m map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &m)
		m["_status"] = float64(rec.Code)
		return m
	}
	m := ar("?agents_list=001,002,003,000,999", `{"command":"firewall-drop600","arguments":[],"alert":{"data":{"srcip":"203.0.113.7"}}}`)
	data := m["data"].(map[string]any)
	if m["error"] != float64(2) || m["message"] != "AR command was not sent to some agents" ||
		!reflect.DeepEqual(data["affected_items"], []any{"001"}) || data["total_failed_items"] != float64(4) {
		t.Fatalf("AR result: %v", m)
	}
	codes := map[float64][]any{}
	for _, f := range data["failed_items"].([]any) {
		fi := f.(map[string]any)
		codes[fi["error"].(map[string]any)["code"].(float64)] = fi["id"].([]any)
	}
	want := map[float64][]any{1707: {"002", "003"}, 1703: {"000"}, 1701: {"999"}}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("failed codes: %v", codes)
	}
	m = ar("?agents_list=001", `{"command":"rm-rf0"}`)
	if m["error"] != float64(1) || !strings.Contains(fmt.Sprint(m["data"]), "1652") {
		t.Errorf("unknown command: %v", m)
	}
	m = ar("?agents_list=001", `{"command":"!custom-script.sh","arguments":["x"]}`)
	if m["error"] != float64(0) || m["message"] != "AR command was sent to all agents" {
		t.Errorf("! command: %v", m)
	}
	m = ar("?agents_list=001", `{"arguments":[]}`)
	if m["_status"] != float64(400) || m["detail"] != "'command' is a required property" {
		t.Errorf("missing command: %v", m)
	}
	m = ar("?agents_list=001", `{"command":"a b; rm"}`)
	if m["_status"] != float64(400) {
		t.Errorf("bad command format: %v", m)
	}
	reqs := s.Requests()
	if len(reqs) != 5 {
		t.Fatalf("recorded %d requests", len(reqs))
	}
	r0 := reqs[0]
	if r0.Method != "PUT" || r0.Path != "/active-response" || r0.User != "wazuh" ||
		r0.Query["agents_list"][0] != "001,002,003,000,999" || !strings.Contains(r0.Body, "203.0.113.7") ||
		!reflect.DeepEqual(r0.Affected, []string{"001"}) {
		t.Errorf("record: %+v", r0)
	}
	// The log is also served to out-of-process tests.
	c.token = ""
	rec := c.do(http.MethodGet, "/__sim/requests", "")
	var served []RecordedRequest
	if err := json.Unmarshal(rec.Body.Bytes(), &served); err != nil || len(served) != 5 {
		t.Errorf("/__sim/requests: %v %s", err, rec.Body)
	}
}

func TestRestart(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	rec := c.do(http.MethodPut, "/agents/001/restart", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"message":"Restart command was sent to all agents","error":0`) {
		t.Errorf("restart 001: %s", rec.Body)
	}
	rec = c.do(http.MethodPut, "/agents/002/restart", "")
	if !strings.Contains(rec.Body.String(), `"code":1707`) || !strings.Contains(rec.Body.String(), `"error":1}`) {
		t.Errorf("restart inactive: %s", rec.Body)
	}
	rec = c.do(http.MethodPut, "/agents/restart?agents_list=001,004", "")
	if !strings.Contains(rec.Body.String(), `"affected_items":["001","004"]`) {
		t.Errorf("restart list: %s", rec.Body)
	}
	if n := len(s.Requests()); n != 3 {
		t.Errorf("recorded %d", n)
	}
}

func TestFaultInjection(t *testing.T) {
	inj := faults.New(1)
	inj.Set(faults.Settings{Next5xx: 1, Next429: 1, ExcludePaths: []string{"/security/user/authenticate"}})
	s, _ := newTestServer(t, Options{Faults: inj})
	c := newClient(t, s)
	if rec := c.do(http.MethodGet, "/agents", ""); rec.Code != 503 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("injected 503: %d", rec.Code)
	}
	rec := c.do(http.MethodGet, "/agents", "")
	if rec.Code != 429 || !strings.Contains(rec.Body.String(), `"error":6001`) || rec.Header().Get("Retry-After") == "" {
		t.Errorf("injected 429: %d %s", rec.Code, rec.Body)
	}
	if rec := c.do(http.MethodGet, "/agents", ""); rec.Code != 200 {
		t.Errorf("after faults: %d", rec.Code)
	}
}

func TestSummaryAndManager(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	_, m := c.get("/agents/summary/status")
	conn := m["data"].(map[string]any)["connection"].(map[string]any)
	if conn["active"] != float64(3) || conn["total"] != float64(5) || conn["never_connected"] != float64(1) {
		t.Errorf("summary: %v", m)
	}
	items, _ := c.items("/manager/configuration?section=global&field=email_maxperhour")
	if items[0]["global"].(map[string]any)["email_maxperhour"] != float64(12) {
		t.Errorf("config field: %v", items)
	}
	items, _ = c.items("/manager/logs?level=info&limit=500")
	for _, it := range items {
		if it["level"] != "info" {
			t.Errorf("log level filter: %v", it)
		}
	}
}

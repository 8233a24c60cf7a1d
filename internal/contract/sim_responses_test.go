package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// simAgents cover the manager, Linux (001), Windows (010), macOS (017) and
// a disconnected Windows workstation (014).
var simAgents = []string{"000", "001", "010", "017", "014"}

// simTarget is one GET and the status the real API gives it.
type simTarget struct {
	path   string
	status int
}

// simTargets lists a GET of every operation the stand-in serves, over the
// generated data: every agent-config pair, syscollector kind, SCA policy and
// ruleset file that exists. Lists ask for every item (limit=100000, 500 for
// logs) so each generated item is validated, not only the first page.
func simTargets(ds *dataset.Dataset) []simTarget {
	const all = "?limit=100000"
	paths := []string{
		"/", "/agents" + all, "/agents/summary/status", "/groups",
		"/rules" + all, "/rules/files" + all, "/rules/groups" + all, "/rules/requirement/pci_dss",
		"/decoders" + all, "/decoders/files" + all, "/lists" + all, "/lists/files" + all,
		"/manager/info", "/manager/status", "/manager/configuration", "/manager/stats", "/manager/stats/hourly",
		"/manager/stats/weekly", "/manager/stats/analysisd", "/manager/stats/remoted", "/manager/daemons/stats",
		"/manager/logs?limit=500", "/manager/logs/summary",
		"/cluster/status", "/cluster/nodes", "/cluster/healthcheck", "/cluster/local/info",
		"/mitre/techniques" + all,
	}
	for _, f := range ds.RuleFiles {
		paths = append(paths, "/rules/files/"+url.PathEscape(f["file"].(string)))
	}
	for _, l := range ds.Lists {
		paths = append(paths, "/lists/files/"+url.PathEscape(l["filename"].(string)))
	}
	var out []simTarget
	for _, p := range paths {
		out = append(out, simTarget{p, http.StatusOK})
	}
	for _, id := range simAgents {
		for _, p := range []string{"/agents/" + id + "/stats/logcollector", "/sca/" + id + all, "/syscheck/" + id + all, "/rootcheck/" + id + all,
			"/syscheck/" + id + "/last_scan", "/rootcheck/" + id + "/last_scan"} {
			out = append(out, simTarget{p, http.StatusOK})
		}
		for _, kind := range syscollectorKinds() {
			out = append(out, simTarget{"/syscollector/" + id + "/" + kind + pagedKind(kind), http.StatusOK})
		}
		for _, p := range ds.SCA[id] {
			out = append(out, simTarget{"/sca/" + id + "/checks/" + url.PathEscape(p["policy_id"].(string)) + all, http.StatusOK})
		}
		// The active configuration is asked from the agent itself: one that
		// is not active gets a 400 (code 1740).
		configStatus := http.StatusOK
		if agentStatus(ds, id) != "active" {
			configStatus = http.StatusBadRequest
		}
		for _, pair := range slices.Sorted(maps.Keys(ds.AgentConfig[id])) {
			out = append(out, simTarget{"/agents/" + id + "/config/" + pair, configStatus})
		}
	}
	return out
}

func agentStatus(ds *dataset.Dataset, id string) string {
	for _, a := range ds.Agents {
		if a["id"] == id {
			s, _ := a["status"].(string)
			return s
		}
	}
	return ""
}

// syscollectorKinds are the /syscollector/{agent_id}/{kind} operations of
// the spec, which the stand-in serves all of.
func syscollectorKinds() []string {
	return []string{"hardware", "hotfixes", "netaddr", "netiface", "netproto", "os", "packages",
		"ports", "processes", "users", "groups", "browser_extensions", "services"}
}

// pagedKind: the spec gives os and hardware no paging parameters.
func pagedKind(kind string) string {
	if kind == "os" || kind == "hardware" {
		return ""
	}
	return "?limit=100000"
}

// TestSimResponsesOverGeneratedData validates every GET answer of the
// stand-in over a generated dataset against the real spec. A failure is a
// fidelity bug of internal/wazuhsim/dataset (the items) or
// internal/wazuhsim/manager (how they are served).
func TestSimResponsesOverGeneratedData(t *testing.T) {
	doc := loadSpec(t)
	ds, h, token := generatedManager(t)
	ops := map[string]bool{}
	for _, tc := range simTargets(ds) {
		target := tc.path
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		route, params, err := findRoute(doc, req)
		if err != nil {
			t.Errorf("GET %s: %v", target, err)
			continue
		}
		ops[route.Method+" "+route.Path] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: validationOptions()}
		if err := openapi3filter.ValidateRequest(context.Background(), explodeArrays(in)); err != nil {
			t.Errorf("GET %s: the test's own request does not match the spec: %v", target, err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("GET %s: status %d, want %d: %s", target, rec.Code, tc.status, truncate(rec.Body.String(), 300))
		}
		if err := validateResponse(in, rec); err != nil {
			t.Errorf("GET %s: response does not match the spec: %v\n%s", target, err, truncate(rec.Body.String(), 600))
		}
	}
	t.Logf("%d GET operations validated over generated data (agents %s)", len(ops), strings.Join(simAgents, ", "))
}

// TestSimAPIInfo: GET / is the real wrapped answer built from dataset.Info,
// not the spec's flat example (api_version v4.5.0).
func TestSimAPIInfo(t *testing.T) {
	ds, h, token := generatedManager(t)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body struct {
		Data  map[string]any `json:"data"`
		Error *int           `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("GET /: %d %s: %v", rec.Code, rec.Body, err)
	}
	if body.Error == nil || *body.Error != 0 || body.Data["title"] != "Wazuh API REST" || body.Data["api_version"] != "4.14.7" {
		t.Errorf("GET / = %s, want {\"data\":{\"title\":\"Wazuh API REST\",\"api_version\":\"4.14.7\",…},\"error\":0}", rec.Body)
	}
	want, _ := json.Marshal(ds.Info)
	got, _ := json.Marshal(body.Data)
	if !bytes.Equal(got, want) {
		t.Errorf("GET / data = %s, want dataset.Info %s", got, want)
	}
}

// generatedManager serves a generated dataset (fixed seed and clock, 500
// alerts) with the stand-in's Manager API, in process; it returns the data,
// the handler and a token.
func generatedManager(t *testing.T) (*dataset.Dataset, http.Handler, string) {
	t.Helper()
	ds, err := dataset.Generate(dataset.Options{Seed: 42, Alerts: 500, Now: simNow})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := manager.New(ds, manager.Options{MaxRequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	return ds, srv.Handler(), login(t, srv.Handler())
}

// login returns a token from the basic-auth login of h.
func login(t *testing.T, h http.Handler) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/security/user/authenticate", nil)
	req.SetBasicAuth(manager.DefaultUser, manager.DefaultPassword)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body struct {
		Data struct{ Token string } `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Data.Token == "" {
		t.Fatalf("login: %d %s: %v", rec.Code, rec.Body, err)
	}
	return body.Data.Token
}

// validateResponse checks status, content type and body against the
// operation's declared responses. Error bodies are problem+json, which the
// spec declares as application/json with the same schemas, so the check
// uses the declared media type (as the manager contract test does).
func validateResponse(in *openapi3filter.RequestValidationInput, rec *httptest.ResponseRecorder) error {
	header := rec.Header().Clone()
	if strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
		header.Set("Content-Type", "application/json")
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                validationOptions(),
	})
}

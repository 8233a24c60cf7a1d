package manager

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
)

// validationOptions: the spec secures everything with a JWT scheme, which
// the server under test enforces itself, so the validator accepts any
// credentials. The spec's custom string formats (numbers, names, ...) are
// unknown to kin-openapi and therefore not checked by it; the server's own
// format checks are covered by TestBadParameters.
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:    func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		IncludeResponseStatus: true,
		MultiError:            true,
	}
}

// contractCase is one request and the status it must get.
type contractCase struct {
	method, target, body string
	status               int
	// badRequest marks requests that are invalid on purpose: only the
	// response is validated.
	badRequest bool
	// undeclared marks statuses the real API answers but the spec does not
	// declare for the operation (404 1701 on agent config): the body is only
	// checked to be a problem.
	undeclared bool
}

func contractCases() []contractCase {
	get := func(target string, status int) contractCase {
		return contractCase{method: http.MethodGet, target: target, status: status}
	}
	bad := func(target string, status int) contractCase {
		c := get(target, status)
		c.badRequest = true
		return c
	}
	cases := []contractCase{
		get("/", 200),
		get("/agents", 200),
		get("/agents?select=id,name,os.name&sort=-name&offset=1&limit=2", 200),
		get("/agents?q=status%3Dactive%3Bos.platform%3Dubuntu&search=web", 200),
		get("/agents?agents_list=001,002,999&status=active,disconnected", 200),
		get("/agents?older_than=7d&group=web&distinct=true&select=status", 200),
		get("/agents/summary/status", 200),
		get("/agents/001/config/agent/client", 200),
		{method: http.MethodGet, target: "/agents/999/config/agent/client", status: 404, badRequest: true, undeclared: true},
		bad("/agents/000/config/agent/client", 400),
		bad("/agents/002/config/agent/client", 400),
		get("/agents/001/stats/logcollector", 200),
		get("/agents/999/stats/logcollector", 200),
		get("/groups?sort=name&select=name,count", 200),
		get("/rules?limit=2&sort=-level&select=id,level,description", 200),
		get("/rules?group=sshd&level=5-10&mitre=T1110", 200),
		get("/rules?q=level%3E5&search=sshd&status=enabled", 200),
		get("/rules/groups?search=ssh&limit=10", 200),
		get("/rules/requirement/pci_dss", 200),
		get("/rules/files", 200),
		get("/rules/files/0010-rules_config.xml", 200),
		get("/rules/files/0010-rules_config.xml?raw=true", 200),
		get("/decoders?limit=10&select=name,filename", 200),
		get("/decoders/files", 200),
		get("/lists", 200),
		get("/lists/files", 200),
		get("/lists/files/audit-keys", 200),
		get("/lists/files/audit-keys?raw=true", 200),
		get("/sca/001", 200),
		get("/sca/001/checks/cis_ubuntu20-04?result=not%20applicable&limit=5", 200),
		get("/sca/999", 200),
		get("/syscheck/001?type=file&sort=-date&limit=10", 200),
		get("/rootcheck/001?status=outstanding", 200),
		get("/syscheck/001/last_scan", 200),
		get("/syscheck/999/last_scan", 200),
		get("/rootcheck/001/last_scan", 200),
		get("/rootcheck/999/last_scan", 200),
		get("/manager/info", 200),
		get("/manager/status", 200),
		get("/manager/configuration", 200),
		get("/manager/configuration?section=global&field=email_maxperhour", 200),
		get("/manager/stats", 200),
		get("/manager/stats/hourly", 200),
		get("/manager/stats/weekly", 200),
		get("/manager/stats/analysisd", 200),
		get("/manager/stats/remoted", 200),
		get("/manager/daemons/stats?daemons_list=wazuh-remoted", 200),
		get("/manager/logs?level=info&limit=100&sort=-timestamp", 200),
		get("/manager/logs?q=tag~syscollector&search=scan", 200),
		get("/manager/logs/summary", 200),
		get("/cluster/status", 200),
		get("/cluster/nodes?type=master", 200),
		get("/cluster/healthcheck", 200),
		get("/cluster/local/info", 200),
		get("/mitre/techniques?technique_ids=T1590&select=name,external_id", 200),
		get("/mitre/tactics?search=credential&limit=5", 200),
		get("/mitre/mitigations?select=name,external_id&sort=external_id", 200),
		bad("/agents?select=nope", 400),
		bad("/agents?q=status%3D%3Dactive", 400),
		bad("/agents?limit=0", 400),
		bad("/agents?unknown=1", 400),
		{method: http.MethodPut, target: "/active-response?agents_list=001,002,999",
			body: `{"command":"firewall-drop600","arguments":[],"alert":{"data":{"srcip":"203.0.113.7"}}}`, status: 200},
		{method: http.MethodPut, target: "/agents/001/restart", status: 200},
		{method: http.MethodPut, target: "/agents/restart?agents_list=001,003", status: 200},
		{method: http.MethodPut, target: "/manager/restart", status: 202},
	}
	for _, kind := range syscollectorKinds() {
		target := "/syscollector/001/" + kind + "?limit=5&offset=0"
		if kind == "os" || kind == "hardware" { // the spec gives these no paging
			target = "/syscollector/001/" + kind + "?select=agent_id"
		}
		cases = append(cases, get(target, 200))
	}
	cases = append(cases,
		get("/syscollector/001/packages?select=name,version&sort=name&search=lib&format=deb", 200),
		get("/syscollector/001/processes?q=pid%3D1&name=bash", 200),
		get("/syscollector/001/ports?protocol=tcp&local.port=46841", 200),
		get("/syscollector/999/os", 200),
	)
	return cases
}

// TestContract sends every served operation through the handler and
// validates the request and the response against the real spec.
func TestContract(t *testing.T) {
	doc := testref.Spec(t)
	relaxValidator()
	s, _ := newTestServer(t, Options{MaxRequestsPerMinute: -1})
	c := newClient(t, s)
	served := map[string]bool{}
	for _, tc := range contractCases() {
		route := validateExchange(t, doc, s, c.token, tc)
		if route != "" {
			served[route] = true
		}
	}
	// Every served operation is exercised at least once.
	for _, rt := range s.routes {
		key := rt.method + " " + rt.pattern
		if !served[key] && !strings.HasPrefix(rt.pattern, "/security/") {
			t.Errorf("no contract case for %s", key)
		}
	}
}

// validateExchange runs one case; it returns "METHOD /pattern".
func validateExchange(t *testing.T, doc *openapi3.T, s *Server, token string, tc contractCase) string {
	t.Helper()
	req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
	if tc.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rt, vars, apiErr := s.match(req.Method, req.URL.Path)
	if apiErr != nil {
		t.Fatalf("%s %s: no route: %v", tc.method, tc.target, apiErr)
	}
	input := routeInput(t, doc, req, rt, vars)
	if !tc.badRequest {
		if err := openapi3filter.ValidateRequest(context.Background(), explodeArrays(input)); err != nil {
			t.Errorf("%s %s: request does not match the spec: %v", tc.method, tc.target, err)
		}
	}
	req.Body = io.NopCloser(strings.NewReader(tc.body))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != tc.status {
		t.Errorf("%s %s: status %d, want %d: %s", tc.method, tc.target, rec.Code, tc.status, rec.Body)
	}
	if tc.undeclared {
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") || !strings.Contains(rec.Body.String(), `"title":`) {
			t.Errorf("%s %s: undeclared status without a problem body: %s", tc.method, tc.target, rec.Body)
		}
	} else {
		validateResponse(t, input, rec, tc.method+" "+tc.target)
	}
	return rt.method + " " + rt.pattern
}

func routeInput(t *testing.T, doc *openapi3.T, req *http.Request, rt *route, vars map[string]string) *openapi3filter.RequestValidationInput {
	t.Helper()
	item := doc.Paths.Value(rt.pattern)
	if item == nil {
		t.Fatalf("spec has no path %s", rt.pattern)
	}
	op := item.GetOperation(rt.method)
	if op == nil {
		t.Fatalf("spec has no operation %s %s", rt.method, rt.pattern)
	}
	return &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: vars,
		Route:      &routers.Route{Spec: doc, Path: rt.pattern, PathItem: item, Method: rt.method, Operation: op},
		Options:    validationOptions(),
	}
}

// validateResponse checks status, content type and body against the
// operation's declared responses. Error bodies are problem+json, which the
// spec declares as application/json with the same schemas, so the check
// uses the declared media type.
func validateResponse(t *testing.T, input *openapi3filter.RequestValidationInput, rec *httptest.ResponseRecorder, name string) {
	t.Helper()
	header := rec.Header().Clone()
	if strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
		header.Set("Content-Type", "application/json")
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 rec.Code,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                validationOptions(),
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s: response does not match the spec: %v\n%s", name, err, truncate(rec.Body.String(), 600))
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// relaxOnce guards the validator's global registries.
var relaxOnce sync.Once

// relaxValidator works around two spec quirks, narrowly:
//   - Many schemas declare format date-time for values the real API writes
//     as "2022-07-21 10:48:32+00:00" (space instead of "T"); the spec's own
//     examples use that form. date-time accepts both separators here.
//   - Raw rule files are application/xml, for which kin-openapi has no body
//     decoder; the body is decoded as a plain string (the schema is string).
func relaxValidator() {
	relaxOnce.Do(func() {
		openapi3.DefineStringFormatValidator("date-time", openapi3.NewRegexpFormatValidator(
			`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`))
		openapi3filter.RegisterBodyDecoder("application/xml", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			b, err := io.ReadAll(r)
			return string(b), err
		})
	})
}

// explodeArrays rewrites comma lists ("agents_list=001,002") of array
// parameters into repeated parameters before validation. The spec declares
// these arrays with the default style (form, explode), but the real API
// (connexion) also splits commas and every Wazuh client sends commas.
func explodeArrays(in *openapi3filter.RequestValidationInput) *openapi3filter.RequestValidationInput {
	req := in.Request.Clone(in.Request.Context())
	q := req.URL.Query()
	for _, p := range in.Route.Operation.Parameters {
		if p.Value == nil || p.Value.In != "query" || p.Value.Schema == nil || p.Value.Schema.Value == nil ||
			!p.Value.Schema.Value.Type.Is("array") {
			continue
		}
		var parts []string
		for _, v := range q[p.Value.Name] {
			parts = append(parts, strings.Split(v, ",")...)
		}
		if parts != nil {
			q[p.Value.Name] = parts
		}
	}
	req.URL.RawQuery = q.Encode()
	out := *in
	out.Request = req
	out.QueryParams = nil
	return &out
}

// TestContractErrors validates the 401 and 429 answers against the
// operations' declared error responses.
func TestContractErrors(t *testing.T) {
	doc := testref.Spec(t)
	relaxValidator()
	s, _ := newTestServer(t, Options{MaxRequestsPerMinute: 3})
	c := newClient(t, s) // request 1
	validateExchange(t, doc, s, "", contractCase{method: http.MethodGet, target: "/agents", status: 401, badRequest: true})
	validateExchange(t, doc, s, "bad.token.here", contractCase{method: http.MethodGet, target: "/manager/info", status: 401, badRequest: true})
	validateExchange(t, doc, s, c.token, contractCase{method: http.MethodGet, target: "/rules", status: 429})
}

// TestParamTableMatchesSpec keeps spec_params.go in step with the spec:
// same parameters, locations, requiredness and types per operation.
func TestParamTableMatchesSpec(t *testing.T) {
	doc := testref.Spec(t)
	for key, specs := range specParams() {
		method, path, _ := strings.Cut(key, " ")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s: not in the spec", key)
			continue
		}
		want := map[string]string{}
		for _, p := range item.GetOperation(method).Parameters {
			v := p.Value
			typ := ""
			if v.Schema != nil && v.Schema.Value != nil && v.Schema.Value.Type != nil && len(*v.Schema.Value.Type) > 0 {
				typ = (*v.Schema.Value.Type)[0]
			}
			want[v.In+":"+v.Name] = typ + fmt.Sprint(v.Required)
		}
		got := map[string]string{}
		for _, ps := range specs {
			got[ps.In+":"+ps.Name] = [...]string{"string", "integer", "boolean", "array"}[ps.Type] + fmt.Sprint(ps.Required)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: table %v, spec %v", key, got, want)
		}
	}
}

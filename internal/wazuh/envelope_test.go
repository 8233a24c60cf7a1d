package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestEnvelopeErrors(t *testing.T) {
	notFound := []map[string]any{{"error": map[string]any{"code": 1701, "message": "Agent does not exist",
		"remediation": "Please, use `GET /agents?select=id,name` to find all available agents"}, "id": []string{"999"}}}
	other := []map[string]any{{"error": map[string]any{"code": 1707, "message": "Cannot send request, agent is not active"}, "id": []any{"002", 3}}}
	tests := []struct {
		name       string
		body       string
		wantItems  int
		wantFailed int
		wantErr    error
		wantPart   bool
	}{
		{"error 0", envelopeOf([]map[string]any{{"id": "001"}, {"id": "002"}}, 2, 0, nil), 2, 0, nil, false},
		{"error 2 partial keeps items", envelopeOf([]map[string]any{{"id": "001"}}, 1, 2, other), 1, 1, nil, false},
		{"error 1 not found", envelopeOf([]any{}, 0, 1, notFound), 0, 0, ErrNotFound, true},
		{"error 1 other", envelopeOf([]any{}, 0, 1, other), 0, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodePage[Agent]("GET", "/agents", []byte(tt.body))
			var pe *PartialError
			if got := errors.As(err, &pe); got != tt.wantPart {
				t.Fatalf("PartialError = %v (err %v)", got, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantPart {
				if errors.Is(err, ErrNotFound) != (tt.wantErr == ErrNotFound) {
					t.Fatalf("ErrNotFound mismatch: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != tt.wantItems || len(p.Failed) != tt.wantFailed {
				t.Fatalf("items %d failed %d", len(p.Items), len(p.Failed))
			}
			if tt.wantFailed > 0 && (p.Failed[0].Error.Code != 1707 || strings.Join(p.Failed[0].IDs, ",") != "002,3") {
				t.Fatalf("failed = %+v", p.Failed[0])
			}
		})
	}
}

func TestProblemErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     map[string]any
		is       error
		wantCode int
	}{
		{"unauthorized", 401, map[string]any{"title": "Unauthorized", "detail": "No authorization token provided"}, ErrUnauthorized, 0},
		{"forbidden", 403, map[string]any{"title": "Permission Denied", "detail": "Permission denied: Resource type: *:*", "error": 4000,
			"remediation": "Please, make sure you have permissions"}, ErrForbidden, 4000},
		{"not found", 404, map[string]any{"title": "Resource Not Found", "detail": "The group does not exist", "code": 1710}, ErrNotFound, 1710},
		{"rate limited", 429, map[string]any{"title": "Wazuh Error", "detail": "Maximum number of requests per minute reached", "code": 6001}, ErrRateLimited, 6001},
		{"bad request", 400, map[string]any{"title": "Bad Request", "detail": "'x' is not a 'integer'"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(tt.body)
			ae := decodeProblem("GET", "/groups/{group_id}/agents", tt.status, "application/problem+json", b)
			if ae.Code != tt.wantCode || ae.Title != tt.body["title"] || ae.Detail != tt.body["detail"] {
				t.Fatalf("decoded %+v", ae)
			}
			for _, s := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrUnavailable} {
				if got := errors.Is(ae, s); got != (s == tt.is) {
					t.Errorf("errors.Is(%v) = %v", s, got)
				}
			}
			if !strings.Contains(ae.Error(), "/groups/{group_id}/agents") {
				t.Errorf("message lacks endpoint: %q", ae)
			}
		})
	}
	t.Run("html proxy page", func(t *testing.T) {
		ae := decodeProblem("GET", "/", 502, "text/html", []byte("<html>Bad gateway</html>"))
		if ae.Detail != "" || ae.Title != http.StatusText(502) || !errors.Is(ae, ErrUnavailable) {
			t.Fatalf("%+v", ae)
		}
	})
}

func TestGetAgentNotFound(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 1, []map[string]any{{"error": map[string]any{"code": 1701,
		"message": "Agent does not exist"}, "id": []string{"999"}}}))
	c := testClient(t, f, nil)
	_, err := c.GetAgent(context.Background(), "999")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "Agent does not exist") {
		t.Fatalf("err = %v", err)
	}
	req, _ := f.last("/agents")
	if req.URL.Query().Get("agents_list") != "999" {
		t.Fatalf("query = %s", req.URL.RawQuery)
	}
	// An empty answer without failures is also not found.
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
	if _, err := c.GetAgent(WithoutCache(context.Background()), "7"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.GetAgent(context.Background(), "1;DROP"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v", err)
	}
}

func TestFlexDecoding(t *testing.T) {
	var p struct {
		A FlexInt     `json:"a"`
		B FlexInt     `json:"b"`
		C FlexInt     `json:"c"`
		D FlexString  `json:"d"`
		E FlexStrings `json:"e"`
		F FlexInt     `json:"f"`
	}
	if err := json.Unmarshal([]byte(`{"a":"12","b":7,"c":4.0,"d":1,"e":["1",2],"f":""}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.A != 12 || p.B != 7 || p.C != 4 || p.D != "1" || strings.Join(p.E, ",") != "1,2" || p.F != 0 {
		t.Fatalf("%+v", p)
	}
	var bad FlexInt
	if err := json.Unmarshal([]byte(`"abc"`), &bad); err == nil {
		t.Fatal("non-numeric string accepted as int")
	}
}

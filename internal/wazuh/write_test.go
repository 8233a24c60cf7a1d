package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// TestSendWriteRevalidatesRestarts: a restart read back from storage is
// sent only if it is exactly what its constructor builds; anything else is
// refused before any request (login included).
func TestSendWriteRevalidatesRestarts(t *testing.T) {
	agent := func(params ...string) WriteRequest {
		return WriteRequest{Method: http.MethodPut, Endpoint: "/agents/{agent_id}/restart", PathParams: params}
	}
	valid, err := RestartAgentRequest("1")
	if err != nil {
		t.Fatal(err)
	}
	withQuery := func(w WriteRequest) WriteRequest { w.Query = map[string]string{"wait_for_complete": "true"}; return w }
	withBody := func(w WriteRequest) WriteRequest { w.Body = json.RawMessage(`{}`); return w }
	withParam := func(w WriteRequest) WriteRequest { w.PathParams = []string{"001"}; return w }
	tests := []struct {
		name string
		req  WriteRequest
		sent string // path the Manager sees; "" = refused
	}{
		{"agent restart", valid, "/agents/001/restart"},
		{"agent restart, built by hand", agent("001"), "/agents/001/restart"},
		{"manager restart", RestartManagerRequest(), "/manager/restart"},
		{"agent id not digits", agent("abc"), ""},
		{"agent id with a path", agent("1/../2"), ""},
		{"agent id not canonical", agent("0001"), ""},
		{"agent id too long", agent("123456789"), ""},
		{"no agent id", agent(), ""},
		{"two agent ids", agent("001", "002"), ""},
		{"agent restart with a query", withQuery(valid), ""},
		{"agent restart with a body", withBody(valid), ""},
		{"manager restart with a query", withQuery(RestartManagerRequest()), ""},
		{"manager restart with a body", withBody(RestartManagerRequest()), ""},
		{"manager restart with a path parameter", withParam(RestartManagerRequest()), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			f.handleJSON("/agents/001/restart", envelopeOf([]string{"001"}, 1, 0, nil))
			f.handleJSON("/manager/restart", envelopeOf([]string{"manager"}, 1, 0, nil))
			c := testClient(t, f, nil)
			_, err := c.SendWrite(context.Background(), tt.req)
			if tt.sent == "" {
				if !errors.Is(err, ErrInvalidArgument) {
					t.Fatalf("SendWrite(%+v) = %v, want ErrInvalidArgument", tt.req, err)
				}
				if n := f.total.Load(); n != 0 {
					t.Fatalf("%d requests sent for a refused write", n)
				}
				return
			}
			if err != nil || f.hitsFor(tt.sent) != 1 {
				t.Fatalf("SendWrite(%+v) = %v, %d requests to %s; want it sent", tt.req, err, f.hitsFor(tt.sent), tt.sent)
			}
		})
	}
}

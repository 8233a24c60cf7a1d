package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// WriteRequest is one state-changing Manager request, exact to the byte:
// what an approver sees and what is sent are the same value. It is built
// only by the constructors below, from validated fields.
type WriteRequest struct {
	Method     string            `json:"method"`
	Endpoint   string            `json:"endpoint"`
	PathParams []string          `json:"path_params,omitempty"`
	Query      map[string]string `json:"query,omitempty"`
	Body       json.RawMessage   `json:"body,omitempty"`
}

// writeRoutes are the only writes this server ever sends.
var writeRoutes = []string{
	"PUT /active-response",
	"PUT /agents/{agent_id}/restart",
	"PUT /manager/restart",
}

// Path is the request path with its parameters escaped.
func (w WriteRequest) Path() (string, error) { return expandPath(w.Endpoint, w.PathParams) }

// String is the request as one line: method, path and query.
func (w WriteRequest) String() string {
	p, err := w.Path()
	if err != nil {
		p = w.Endpoint
	}
	if q := w.values().Encode(); q != "" {
		p += "?" + q
	}
	return w.Method + " " + p
}

func (w WriteRequest) values() url.Values {
	q := url.Values{}
	for k, v := range w.Query {
		q.Set(k, v)
	}
	return q
}

// validate re-checks a request read back from storage before it is sent.
func (w WriteRequest) validate() error {
	if !slices.Contains(writeRoutes, w.Method+" "+w.Endpoint) {
		return fmt.Errorf("%w: %s %s is not a write this server sends", ErrInvalidArgument, w.Method, w.Endpoint)
	}
	switch w.Endpoint {
	case "/active-response":
		ids := strings.Split(w.Query["agents_list"], ",")
		if w.Query["agents_list"] == "" || len(w.Query) != 1 {
			return ErrNoAgents
		}
		if _, err := normalizeAgentIDs(ids); err != nil {
			return err
		}
	case "/agents/{agent_id}/restart":
		// Path escaping alone would let "abc" or "1/../2" through: the
		// request must be exactly what RestartAgentRequest builds.
		if len(w.PathParams) != 1 {
			return fmt.Errorf("%w: %s %s takes one agent id, got %d path parameters", ErrInvalidArgument, w.Method, w.Endpoint, len(w.PathParams))
		}
		want, err := RestartAgentRequest(w.PathParams[0])
		if err != nil {
			return err
		}
		return w.sameAs(want)
	case "/manager/restart":
		return w.sameAs(RestartManagerRequest())
	}
	if len(w.Body) > 0 && !json.Valid(w.Body) {
		return fmt.Errorf("%w: the request body is not JSON", ErrInvalidArgument)
	}
	return nil
}

// sameAs refuses w unless it is want: a restart carries no query or body,
// and its agent id is in canonical form.
func (w WriteRequest) sameAs(want WriteRequest) error {
	if len(w.Query) > 0 || len(w.Body) > 0 {
		return fmt.Errorf("%w: %s takes no query or body", ErrInvalidArgument, want.String())
	}
	if w.Method != want.Method || w.Endpoint != want.Endpoint || !slices.Equal(w.PathParams, want.PathParams) {
		return fmt.Errorf("%w: %s is not a request this server builds (want %s)", ErrInvalidArgument, w.String(), want.String())
	}
	return nil
}

// RestartAgentRequest builds PUT /agents/{agent_id}/restart.
func RestartAgentRequest(agentID string) (WriteRequest, error) {
	id, err := NormalizeAgentID(agentID)
	if err != nil {
		return WriteRequest{}, err
	}
	return WriteRequest{Method: http.MethodPut, Endpoint: "/agents/{agent_id}/restart", PathParams: []string{id}}, nil
}

// RestartManagerRequest builds PUT /manager/restart.
func RestartManagerRequest() WriteRequest {
	return WriteRequest{Method: http.MethodPut, Endpoint: "/manager/restart"}
}

// SendWrite sends w once. Writes are never retried (except once after a
// 401, which the Manager rejects before acting), never cached and never
// coalesced; when the request was sent but no answer arrived, the error is
// a *WriteUnknownError. Zero affected items is an error.
func (c *Client) SendWrite(ctx context.Context, w WriteRequest) (WriteResult, error) {
	if err := w.validate(); err != nil {
		return WriteResult{}, err
	}
	var body any
	if len(w.Body) > 0 {
		body = w.Body
	}
	var q url.Values
	if len(w.Query) > 0 {
		q = w.values()
	}
	res, err := writeResult(putPage[FlexString](ctx, c, w.Endpoint, w.PathParams, q, body))
	if err == nil && len(res.Affected) == 0 {
		err = fmt.Errorf("wazuh: %s affected nothing (%s)", w.String(), res.Message)
	}
	return res, err
}

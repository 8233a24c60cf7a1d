package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// newTestServer serves an MCP server with one tool, "echo", that waits a
// little so that concurrent calls overlap, and answers with its argument.
func newTestServer(t *testing.T, origins ...string) *httptest.Server {
	t.Helper()
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "0"}, nil)
	srv.AddTool(&mcp.Tool{Name: "echo", InputSchema: &jsonschema.Schema{Type: "object"}},
		func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			time.Sleep(50 * time.Millisecond)
			var in map[string]any
			_ = json.Unmarshal(req.Params.Arguments, &in)
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprint(in["v"])}}}, nil
		})
	h := NewHandler(Options{Server: srv, AllowedOrigins: origins, SessionTimeout: time.Minute, Version: "test"})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	closeSessionsAtEnd(t, srv)
	return ts
}

type rpcReply struct {
	ID     json.RawMessage `json:"id"`
	Result struct {
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		IsError bool `json:"isError"`
	} `json:"result"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, url, session, accept, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

// initialize opens a session the way Wazuh Autopilot does (Accept: */*).
func initialize(t *testing.T, url string) string {
	t.Helper()
	resp, b := post(t, url, "", "*/*", initBody)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("initialize: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	sid := resp.Header.Get("Mcp-Session-Id")
	if sid == "" {
		t.Fatal("no session id")
	}
	post(t, url, sid, "*/*", `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return sid
}

func TestAcceptVariantsGetJSON(t *testing.T) {
	ts := newTestServer(t)
	for _, accept := range []string{"*/*", "application/json", "", "application/json, text/event-stream"} {
		for _, path := range []string{"/mcp", "/"} {
			resp, b := post(t, ts.URL+path, "", accept, initBody)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Accept %q %s: %d %s", accept, path, resp.StatusCode, b)
			}
		}
	}
}

func TestUnknownSessionIs404(t *testing.T) {
	ts := newTestServer(t)
	resp, _ := post(t, ts.URL+"/mcp", "no-such-session", "*/*", `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("stale session: got %d, want 404", resp.StatusCode)
	}
}

func TestConcurrentCallsMayShareAnID(t *testing.T) {
	ts := newTestServer(t)
	sid := initialize(t, ts.URL+"/mcp")
	const n = 8
	var wg sync.WaitGroup
	replies := make([]rpcReply, n)
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"jsonrpc":"2.0","id":"same-hash","method":"tools/call","params":{"name":"echo","arguments":{"v":%d}}}`, i)
			resp, b := post(t, ts.URL+"/mcp", sid, "*/*", body)
			codes[i] = resp.StatusCode
			_ = json.Unmarshal(b, &replies[i])
		}()
	}
	wg.Wait()
	for i, r := range replies {
		if codes[i] != 200 || r.Error != nil || len(r.Result.Content) != 1 {
			t.Fatalf("call %d: status %d reply %+v", i, codes[i], r)
		}
		if string(r.ID) != `"same-hash"` {
			t.Errorf("call %d: id %s, want the original id back", i, r.ID)
		}
		if got := r.Result.Content[0].Text; got != fmt.Sprint(i) {
			t.Errorf("call %d got the reply of another call: %q", i, got)
		}
	}
}

func TestOriginPolicy(t *testing.T) {
	ts := newTestServer(t, "https://soc.example.com")
	tests := []struct {
		origin string
		want   int
	}{
		{"", 200},
		{"https://soc.example.com", 200},
		{ts.URL, 200}, // same origin
		{"https://evil.example", 403},
		{"null", 403},
	}
	for _, tt := range tests {
		var hdr []string
		if tt.origin != "" {
			hdr = []string{"Origin", tt.origin}
		}
		resp, _ := post(t, ts.URL+"/mcp", "", "*/*", initBody, hdr...)
		if resp.StatusCode != tt.want {
			t.Errorf("Origin %q: got %d, want %d", tt.origin, resp.StatusCode, tt.want)
		}
	}
}

func TestHealthAndCorrelationID(t *testing.T) {
	ts := newTestServer(t)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/health", nil)
	req.Header.Set(CorrelationHeader, "abc-123 Injected:\tx")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health: %d", resp.StatusCode)
	}
	if got := resp.Header.Get(CorrelationHeader); got != "abc-123Injected:x" {
		t.Fatalf("correlation id echoed as %q", got)
	}
}

// TestLegacySSE drives the HTTP+SSE transport by hand: the endpoint event,
// then a message POST whose reply arrives on the stream.
func TestLegacySSE(t *testing.T) {
	ts := newTestServer(t)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/sse", nil)
	req.Header.Set("Accept", "text/event-stream")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := readSSE(resp.Body)
	ev := <-events
	if ev.name != "endpoint" || !strings.Contains(ev.data, "sessionid=") {
		t.Fatalf("first event = %+v, want the endpoint event", ev)
	}
	endpoint := ts.URL + ev.data
	if strings.HasPrefix(ev.data, "http") {
		endpoint = ev.data
	}
	r, b := post(t, endpoint, "", "", initBody)
	if r.StatusCode/100 != 2 {
		t.Fatalf("message POST: %d %s", r.StatusCode, b)
	}
	select {
	case ev = <-events:
		if !strings.Contains(ev.data, `"protocolVersion"`) {
			t.Fatalf("reply event = %+v", ev)
		}
	case <-ctx.Done():
		t.Fatal("no reply on the SSE stream")
	}
}

type sseEvent struct{ name, data string }

func readSSE(r io.Reader) <-chan sseEvent {
	ch := make(chan sseEvent, 8)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				ev.data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
			case line == "":
				if ev.name != "" || ev.data != "" {
					ch <- ev
				}
				ev = sseEvent{}
			}
		}
	}()
	return ch
}

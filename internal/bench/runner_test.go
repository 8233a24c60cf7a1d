package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// testServer is an MCP server with an "ok" tool, a "fail" tool (isError)
// and counters of what it served.
type testServer struct {
	url         string
	srv         *mcp.Server
	okCalls     atomic.Int64
	failCalls   atomic.Int64
	initialized atomic.Int64
}

type noArgs struct{}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.srv = mcp.NewServer(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ServerOptions{
		InitializedHandler: func(context.Context, *mcp.InitializedRequest) { ts.initialized.Add(1) },
	})
	mcp.AddTool(ts.srv, &mcp.Tool{Name: "ok"}, func(context.Context, *mcp.CallToolRequest, noArgs) (*mcp.CallToolResult, any, error) {
		ts.okCalls.Add(1)
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "fine"}}}, nil, nil
	})
	mcp.AddTool(ts.srv, &mcp.Tool{Name: "fail"}, func(context.Context, *mcp.CallToolRequest, noArgs) (*mcp.CallToolResult, any, error) {
		ts.failCalls.Add(1)
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "boom: the backend said no"}}}, nil, nil
	})
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return ts.srv }, &mcp.StreamableHTTPOptions{JSONResponse: true})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	ts.url = hs.URL
	return ts
}

func (ts *testServer) openSessions() int {
	n := 0
	for range ts.srv.Sessions() {
		n++
	}
	return n
}

func TestRunLoadCountsAndClassifies(t *testing.T) {
	ts := newTestServer(t)
	d := NewDialer(ts.url, "", "test", 16)
	names, err := d.ListTools(context.Background())
	if err != nil || len(names) != 2 {
		t.Fatalf("ListTools = %v, %v", names, err)
	}
	mix, _ := ParseMix("ok:3,fail:1,nosuch:1")
	res, err := RunLoad(context.Background(), d, LoadOptions{Sessions: 3, Duration: 300 * time.Millisecond, Mix: mix})
	if err != nil {
		t.Fatal(err)
	}
	if res.SessionsOpened != 3 || res.SessionErrors.Total() != 0 {
		t.Errorf("sessions opened %d, errors %+v", res.SessionsOpened, res.SessionErrors)
	}
	byTool := map[string]ToolResult{}
	sum := 0
	for _, tr := range res.Tools {
		byTool[tr.Tool] = tr
		sum += tr.Calls
	}
	ok, fail, nosuch := byTool["ok"], byTool["fail"], byTool["nosuch"]
	if res.Calls == 0 || sum != res.Calls || ok.Calls == 0 || fail.Calls == 0 || nosuch.Calls == 0 {
		t.Fatalf("calls: total %d, per tool %d/%d/%d", res.Calls, ok.Calls, fail.Calls, nosuch.Calls)
	}
	// Without warmup every call the server served was counted, and only those.
	if int64(ok.Calls) != ts.okCalls.Load() || int64(fail.Calls) != ts.failCalls.Load() {
		t.Errorf("bench counted ok %d fail %d, server served %d and %d", ok.Calls, fail.Calls, ts.okCalls.Load(), ts.failCalls.Load())
	}
	if ok.Errors != (Errors{}) {
		t.Errorf("ok errors: %+v", ok.Errors)
	}
	if fail.Errors.Tool != fail.Calls || fail.Errors.Transport+fail.Errors.JSONRPC != 0 || fail.Errors.ToolSample != "boom: the backend said no" {
		t.Errorf("fail errors: %+v of %d calls", fail.Errors, fail.Calls)
	}
	if nosuch.Errors.JSONRPC != nosuch.Calls || nosuch.Errors.Tool+nosuch.Errors.Transport != 0 || nosuch.Errors.JSONRPCSample == "" {
		t.Errorf("unknown tool errors: %+v of %d calls", nosuch.Errors, nosuch.Calls)
	}
	if res.Failed != fail.Calls+nosuch.Calls {
		t.Errorf("failed %d, want %d", res.Failed, fail.Calls+nosuch.Calls)
	}
	if ok.Latency.P50 <= 0 || ok.Latency.Max < ok.Latency.P99 || ok.Latency.P99 < ok.Latency.P50 {
		t.Errorf("latency %+v", ok.Latency)
	}
	waitSessions(t, ts, 0)
}

func TestRunLoadWarmupNotCounted(t *testing.T) {
	ts := newTestServer(t)
	d := NewDialer(ts.url, "", "test", 4)
	mix, _ := ParseMix("ok")
	var served atomic.Int64
	res, err := RunLoad(context.Background(), d, LoadOptions{Sessions: 1, Warmup: 200 * time.Millisecond, Duration: 200 * time.Millisecond, Mix: mix,
		OnMeasure: func() { served.Store(ts.okCalls.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	atMeasure := served.Load()
	if atMeasure == 0 || res.Calls == 0 {
		t.Fatalf("warmup calls %d, counted %d", atMeasure, res.Calls)
	}
	// One session calls in sequence: the counted calls are those the server
	// served after the window opened (±1 for the call in flight then).
	after := ts.okCalls.Load() - atMeasure
	if diff := after - int64(res.Calls); diff < -1 || diff > 1 {
		t.Errorf("counted %d calls, the server served %d after the warmup", res.Calls, after)
	}
}

func TestRunSoakChurnsSessions(t *testing.T) {
	ts := newTestServer(t)
	d := NewDialer(ts.url, "", "test", 8)
	mix, _ := ParseMix("ok")
	res, err := RunLoad(context.Background(), d, LoadOptions{Sessions: 2, Duration: 300 * time.Millisecond, Mix: mix, Soak: true, SoakCalls: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.SessionsOpened < 2 || res.Calls != res.SessionsOpened*4 || res.Failed != 0 {
		t.Errorf("soak: %d sessions, %d calls, %d failed (want 4 calls per session)", res.SessionsOpened, res.Calls, res.Failed)
	}
	if got := ts.initialized.Load(); got != int64(res.SessionsOpened) {
		t.Errorf("server initialised %d sessions, bench opened %d", got, res.SessionsOpened)
	}
	waitSessions(t, ts, 0)
}

func TestOpenIdle(t *testing.T) {
	ts := newTestServer(t)
	d := NewDialer(ts.url, "", "test", 16)
	sessions, res := OpenIdle(context.Background(), d, 7, 3)
	if res.Opened != 7 || res.Requested != 7 || res.Errors.Total() != 0 || len(sessions) != 7 {
		t.Fatalf("idle: %+v", res)
	}
	waitSessions(t, ts, 7)
	CloseAll(sessions, 3)
	waitSessions(t, ts, 0)
}

func TestOpenIdleRefused(t *testing.T) {
	d := NewDialer("http://127.0.0.1:1/mcp", "", "test", 4)
	_, res := OpenIdle(context.Background(), d, 2, 2)
	if res.Opened != 0 || res.Errors.Transport != 2 || res.Errors.TransportSample == "" {
		t.Errorf("refused: %+v", res)
	}
}

func waitSessions(t *testing.T, ts *testServer, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for ts.openSessions() != want {
		if time.Now().After(deadline) {
			t.Fatalf("server has %d sessions open, want %d", ts.openSessions(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "unknown tool"}, KindJSONRPC},
		{fmt.Errorf("calling: %w", &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound}), KindJSONRPC},
		{fmt.Errorf("sending: %w", &jsonrpc.Error{Code: -32005, Message: "rejected by transport"}), KindTransport},
		{&jsonrpc.Error{Code: -32003, Message: "client is closing"}, KindTransport},
		{context.DeadlineExceeded, KindTransport},
		{mcp.ErrConnectionClosed, KindTransport},
	}
	for _, c := range cases {
		if got := Classify(c.err); got != c.want {
			t.Errorf("Classify(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type echoArgs struct {
	N int     `json:"n"`
	F float64 `json:"f,omitempty"`
}

type echoOut struct {
	Double int    `json:"double"`
	Note   string `json:"note"`
}

// echoServer is an MCP server whose "echo" tool answers with text and
// structured content that depend on its argument.
func echoServer(t *testing.T) string {
	t.Helper()
	srv := mcp.NewServer(&mcp.Implementation{Name: "echo", Version: "1"}, nil)
	mcp.AddTool(srv, &mcp.Tool{Name: "echo"}, func(_ context.Context, _ *mcp.CallToolRequest, in echoArgs) (*mcp.CallToolResult, echoOut, error) {
		return nil, echoOut{Double: 2 * in.N, Note: strings.Repeat("x", in.N)}, nil
	})
	mcp.AddTool(srv, &mcp.Tool{Name: "fail"}, func(context.Context, *mcp.CallToolRequest, noArgs) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "backend down"}}}, nil, nil
	})
	mcp.AddTool(srv, &mcp.Tool{Name: "ok"}, func(context.Context, *mcp.CallToolRequest, noArgs) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "fine"}}}, nil, nil
	})
	hs := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{JSONResponse: true}))
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestFloorReplaysCapturedResults(t *testing.T) {
	ctx := context.Background()
	// 2.50 keeps its literal in the label: the floor must match it as written.
	mix, err := ParseMix(`echo:1:{"n":1},echo:1:{"n":3,"f":2.50},ok`)
	if err != nil {
		t.Fatal(err)
	}
	captured, err := CaptureResults(ctx, NewDialer(echoServer(t), "", "test", 4), mix, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(captured) != 3 {
		t.Fatalf("captured %d results, want 3", len(captured))
	}
	fl, err := StartFloor(mix, captured, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	cs, err := NewDialer(fl.URL, "", "test", 4).Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	for _, c := range []struct {
		args       map[string]any
		text, want string
	}{
		{map[string]any{"n": 1}, `{"double":2,"note":"x"}`, `{"double":2,"note":"x"}`},
		{map[string]any{"n": 3, "f": json.Number("2.50")}, `{"double":6,"note":"xxx"}`, `{"double":6,"note":"xxx"}`},
	} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: c.args})
		if err != nil || res.IsError {
			t.Fatalf("echo %v: %v %+v", c.args, err, res)
		}
		got, _ := json.Marshal(res.StructuredContent)
		if text := res.Content[0].(*mcp.TextContent).Text; text != c.text || string(got) != c.want {
			t.Errorf("echo %v: text %s, structured %s; want the captured %s", c.args, text, got, c.want)
		}
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "ok"})
	if err != nil || res.Content[0].(*mcp.TextContent).Text != "fine" {
		t.Fatalf("ok: %v %+v", err, res)
	}
	// Arguments that were not captured get no made-up answer.
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"n": 2}})
	if err == nil && !res.IsError {
		t.Fatalf("uncaptured arguments answered: %+v", res)
	}
	// The whole mix loads the floor without a failure.
	lr, err := RunLoad(ctx, NewDialer(fl.URL, "", "test", 4), LoadOptions{Sessions: 2, Duration: 200 * time.Millisecond, Mix: mix})
	if err != nil || lr.Calls == 0 || lr.Failed != 0 {
		t.Fatalf("load on the floor: %v %+v", err, lr)
	}
}

// TestCaptureRefusesErrorResults: an isError answer cannot stand in for the
// server's work, so the floor is not started on it.
func TestCaptureRefusesErrorResults(t *testing.T) {
	mix, _ := ParseMix(`ok,fail`)
	_, err := CaptureResults(context.Background(), NewDialer(echoServer(t), "", "test", 4), mix, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "fail: the server answered with an error") || !strings.Contains(err.Error(), "backend down") {
		t.Fatalf("err = %v, want the failing entry and its text", err)
	}
}

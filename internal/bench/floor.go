package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Floor is a bare go-sdk MCP server: Streamable HTTP with JSON replies, as
// wazuh-mcp serves, with one tool per name in the mix whose handler does no
// work at all: it answers with the result the server under test gave for
// the same arguments. Loading it with the same sessions and mix measures
// what the go-sdk client, the go-sdk server and loopback HTTP cost for
// exactly those bytes: the part of a call no server built on the SDK can
// remove, and the floor under any overhead ratio.
type Floor struct {
	URL string
	srv *http.Server
}

// Captured is the result of one mix entry, as the server under test gave it.
type Captured map[string]*mcp.CallToolResult // by MixEntry.Label

// CaptureResults calls every mix entry once on one session and keeps its
// result, structured content re-encoded as raw JSON (as a server sends it).
// An isError answer is refused: replaying an error would measure the floor
// on the wrong bytes (and count every floor call as failed).
func CaptureResults(ctx context.Context, d *Dialer, mix []MixEntry, callTimeout time.Duration) (Captured, error) {
	cs, err := d.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", d.URL, err)
	}
	defer cs.Close()
	out := Captured{}
	for _, e := range mix {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		res, err := cs.CallTool(cctx, &mcp.CallToolParams{Name: e.Tool, Arguments: e.arguments()})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Label(), err)
		}
		if res.IsError {
			return nil, fmt.Errorf("%s: the server answered with an error, which the floor cannot stand in for: %s", e.Label(), resultText(res))
		}
		if res.StructuredContent != nil {
			raw, err := json.Marshal(res.StructuredContent)
			if err != nil {
				return nil, fmt.Errorf("%s: structured content: %w", e.Label(), err)
			}
			res.StructuredContent = json.RawMessage(raw)
		}
		out[e.Label()] = res
	}
	return out, nil
}

// StartFloor serves the captured results on a free loopback port.
func StartFloor(mix []MixEntry, results Captured, version string) (*Floor, error) {
	srv := mcp.NewServer(&mcp.Implementation{Name: "go-sdk-floor", Version: version}, nil)
	for tool, byLabel := range floorTools(mix, results) {
		srv.AddTool(&mcp.Tool{Name: tool, InputSchema: json.RawMessage(`{"type":"object"}`)}, replay(tool, byLabel))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("go-sdk floor: %w", err)
	}
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{JSONResponse: true})
	f := &Floor{URL: "http://" + ln.Addr().String() + "/mcp", srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// Close stops the floor server and drops its connections: the load is over,
// and a graceful shutdown would wait on the sessions' idle GET streams.
func (f *Floor) Close() { _ = f.srv.Close() }

// floorTools groups the captured results by tool name, then by label.
func floorTools(mix []MixEntry, results Captured) map[string]map[string]*mcp.CallToolResult {
	tools := map[string]map[string]*mcp.CallToolResult{}
	for _, e := range mix {
		res, ok := results[e.Label()]
		if !ok {
			continue
		}
		if tools[e.Tool] == nil {
			tools[e.Tool] = map[string]*mcp.CallToolResult{}
		}
		tools[e.Tool][e.Label()] = res
	}
	return tools
}

// replay answers a call with the result captured for its arguments. With a
// single captured entry the arguments are not even decoded.
func replay(tool string, byLabel map[string]*mcp.CallToolResult) mcp.ToolHandler {
	var only *mcp.CallToolResult
	if len(byLabel) == 1 {
		for _, r := range byLabel {
			only = r
		}
	}
	return func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res := only
		if res == nil {
			var args map[string]any
			if len(req.Params.Arguments) > 0 {
				// Numbers as literals, as ParseMix reads them: 20.0 stays 20.0 in the label.
				dec := json.NewDecoder(bytes.NewReader(req.Params.Arguments))
				dec.UseNumber()
				if err := dec.Decode(&args); err != nil {
					return nil, fmt.Errorf("arguments: %w", err)
				}
			}
			res = byLabel[MixEntry{Tool: tool, Args: args}.Label()]
		}
		if res == nil {
			return nil, errors.New("go-sdk floor: no result was captured for these arguments")
		}
		cp := *res // the SDK may set fields on the result it sends
		return &cp, nil
	}
}

// FloorComparison is one mix entry loaded on the floor server, with the
// ratios of the server under test to it.
type FloorComparison struct {
	ToolResult
	P50Ratio float64 `json:"p50_ratio"` // MCP p50 / floor p50
	P99Ratio float64 `json:"p99_ratio"` // MCP p99 / floor p99
	// FloorDirectP50Ratio: floor p50 / direct p50, when --direct ran: how
	// far the SDK alone already is from the Manager's own answer time.
	FloorDirectP50Ratio float64 `json:"floor_direct_p50_ratio,omitempty"`
}

// FloorReport is the go-sdk floor phase.
type FloorReport struct {
	Process     string            `json:"process"` // where the floor server ran: "bench" (this process)
	CallsPerSec float64           `json:"calls_per_s"`
	Results     []FloorComparison `json:"results"`
}

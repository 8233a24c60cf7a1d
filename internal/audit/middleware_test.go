package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// connect serves two tools behind the audit middleware and returns a client
// session: "ok_tool" answers, "fail_tool" answers with isError.
func connect(t *testing.T, l *Log, log *slog.Logger) *mcp.ClientSession {
	t.Helper()
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "0"}, nil)
	schema := json.RawMessage(`{"type":"object"}`)
	srv.AddTool(&mcp.Tool{Name: "ok_tool", InputSchema: schema}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: `{"answer":42}`}}}, nil
	})
	srv.AddTool(&mcp.Tool{Name: "fail_tool", InputSchema: schema}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{
			Text: "Wazuh refused: password=hunter2 " + strings.Repeat("x", 600)}}}, nil
	})
	srv.AddReceivingMiddleware(Middleware(l, log))
	ct, st := mcp.NewInMemoryTransports()
	ctx := context.Background()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func TestMiddlewareRecordsToolCalls(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{})
	defer l.Close()
	cs := connect(t, l, nil)
	ctx := context.Background()
	args := map[string]any{"password": "x", "ip": "1.2.3.4"}
	if res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "ok_tool", Arguments: args}); err != nil || res.IsError {
		t.Fatalf("ok_tool: %v %+v", err, res)
	}
	if res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "fail_tool", Arguments: map[string]any{}}); err != nil || !res.IsError {
		t.Fatalf("fail_tool: %v %+v", err, res)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "no_such_tool"}); err == nil {
		t.Fatal("an unknown tool did not fail")
	}
	if _, err := cs.ListTools(ctx, nil); err != nil { // not audited
		t.Fatal(err)
	}
	got := events(t, st)
	if len(got) != 3 {
		t.Fatalf("%d events, want 3 (one per tools/call, none for tools/list): %+v", len(got), got)
	}
	tests := []struct {
		tool, outcome, args string
		errPrefix           string
	}{
		{"ok_tool", OutcomeOK, `{"ip":"1.2.3.4","password":"[redacted]"}`, ""},
		{"fail_tool", OutcomeError, `{}`, "Wazuh refused: password=[redacted] xxx"},
		{"no_such_tool", OutcomeFailed, `{}`, "unknown tool"},
	}
	for i, tt := range tests {
		e := got[i]
		if e.Kind != KindToolCall || e.Tool != tt.tool || e.Outcome != tt.outcome || e.Principal != "local" || string(e.Arguments) != tt.args {
			t.Errorf("event %d: %+v (arguments %s), want tool %s outcome %s principal local arguments %s", i, e, e.Arguments, tt.tool, tt.outcome, tt.args)
		}
		if !strings.Contains(e.Error, tt.errPrefix) || strings.Contains(e.Error, "hunter2") || len([]rune(e.Error)) > maxErrorRunes+1 {
			t.Errorf("event %d error %q, want it to contain %q, scrubbed and at most %d characters", i, e.Error, tt.errPrefix, maxErrorRunes)
		}
		if e.Time.IsZero() || e.DurationMS < 0 {
			t.Errorf("event %d: time %v duration %d", i, e.Time, e.DurationMS)
		}
	}
	mustVerify(t, st, 3)
}

func TestMiddlewareWithholdsUnauditedResult(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{})
	defer l.Close()
	var logBuf bytes.Buffer
	cs := connect(t, l, slog.New(slog.NewTextHandler(&logBuf, nil)))
	st.Close() // every write fails from now on
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "ok_tool", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	text := res.Content[0].(*mcp.TextContent).Text
	if !res.IsError || !strings.Contains(text, "audit log could not be written") || strings.Contains(text, "42") {
		t.Fatalf("result %v %q, want an error result without the tool's answer", res.IsError, text)
	}
	if !strings.Contains(logBuf.String(), "tool call not audited") || !strings.Contains(logBuf.String(), "tool=ok_tool") {
		t.Fatalf("the failure was not logged: %s", logBuf.String())
	}
}

func TestToolCallEventIdentity(t *testing.T) {
	key := &auth.Principal{ID: "key_abc", Name: "soar", Kind: auth.KindAPIKey, Scopes: []string{auth.ScopeRead}}
	hdr := http.Header{}
	hdr.Set("X-Correlation-ID", "corr-1\r\nInjected: yes")
	tests := []struct {
		name             string
		ctx              context.Context
		extra            *mcp.RequestExtra
		principal, pname string
		correlation      string
	}{
		{"nobody: local", context.Background(), nil, "local", "", ""},
		{"token info", context.Background(), &mcp.RequestExtra{TokenInfo: key.TokenInfo()}, "key_abc", "soar", ""},
		{"token info wins over context", auth.WithPrincipal(context.Background(), &auth.Principal{ID: "oauth:x"}),
			&mcp.RequestExtra{TokenInfo: &mcpauth.TokenInfo{UserID: "key_abc"}}, "key_abc", "", ""},
		{"context principal (legacy SSE)", auth.WithPrincipal(context.Background(), key), nil, "key_abc", "soar", ""},
		{"correlation header, cleaned", context.Background(), &mcp.RequestExtra{Header: hdr}, "local", "", "corr-1Injected:yes"},
		{"correlation from context", requestid.With(context.Background(), "ctx-id"), &mcp.RequestExtra{Header: http.Header{}}, "local", "", "ctx-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Name: "get_alerts"}, Extra: tt.extra}
			e := toolCallEvent(tt.ctx, call, nil, errors.New("boom"), t0, t0)
			if e.Principal != tt.principal || e.PrincipalName != tt.pname || e.CorrelationID != tt.correlation {
				t.Fatalf("principal %q name %q correlation %q; want %q %q %q", e.Principal, e.PrincipalName, e.CorrelationID, tt.principal, tt.pname, tt.correlation)
			}
			if e.Outcome != OutcomeFailed || e.Error != "boom" || e.Tool != "get_alerts" {
				t.Fatalf("event %+v", e)
			}
		})
	}
}

// TestMiddlewareAnnouncesOnlyFinishedCalls: the writer's linger may wait
// for records of calls whose tool has returned, never for a tool still
// running. With the linger at an hour, a call finishing while another one's
// tool runs must still be answered at once; and nothing stays counted after
// a call, whatever its outcome.
func TestMiddlewareAnnouncesOnlyFinishedCalls(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{Linger: time.Hour})
	defer l.Close()
	mw := Middleware(l, nil)
	call := &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Name: "get_alerts"}}

	release := make(chan struct{})
	running := make(chan struct{})
	slowDone := make(chan struct{})
	go func() {
		defer close(slowDone)
		_, _ = mw(func(context.Context, string, mcp.Request) (mcp.Result, error) {
			close(running)
			<-release
			return &mcp.CallToolResult{}, nil
		})(context.Background(), "tools/call", call)
	}()
	<-running
	for _, fail := range []bool{false, true} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = mw(func(context.Context, string, mcp.Request) (mcp.Result, error) {
				if fail {
					return nil, errors.New("boom")
				}
				return &mcp.CallToolResult{}, nil
			})(context.Background(), "tools/call", call)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("fail=%v: the call waited for the record of a tool still running", fail)
		}
	}
	close(release)
	<-slowDone
	if n := l.expecting.Load(); n != 0 {
		t.Fatalf("%d calls still announced after all returned", n)
	}
}

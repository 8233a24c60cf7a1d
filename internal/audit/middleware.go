package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// Outcomes of a tool call.
const (
	OutcomeOK     = "ok"     // the tool answered
	OutcomeError  = "error"  // the tool answered with isError
	OutcomeFailed = "failed" // a protocol error: unknown tool, bad params...
)

// Bounds of what a tool call record keeps from the request and the result.
const (
	maxErrorRunes = 500
	maxToolName   = 128
	// correlationHeader is the client's correlation id (as in httpapi).
	correlationHeader = "X-Correlation-ID"
	// localPrincipal is the caller when nobody authenticated: stdio, or
	// AUTH_MODE=none on loopback.
	localPrincipal = "local"
)

// auditFailedText is what a caller gets when its call could not be audited.
const auditFailedText = "the audit log could not be written, so this call's result is withheld; " +
	"the server operator has been told (see the server log)"

// recordTimeout bounds how long a call waits for its record to be stored.
const recordTimeout = 15 * time.Second

// Middleware records every tools/call in l after the call and before its
// response is returned. When the record cannot be written the caller gets
// a tool error instead of the result (a call that cannot be audited must
// not look successful) and the failure is logged. Install it with
// server.AddReceivingMiddleware; other methods pass through untouched.
func Middleware(l *Log, log *slog.Logger) mcp.Middleware {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			call, ok := req.(*mcp.CallToolRequest)
			if !ok || method != "tools/call" {
				return next(ctx, method, req)
			}
			start := l.now()
			res, err := next(ctx, method, req)
			ev := toolCallEvent(ctx, call, res, err, start, l.now())
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
			defer cancel()
			// Announced only now, microseconds before it is queued: the writer
			// may wait for this record, never for a tool still running.
			l.expecting.Add(1)
			aerr := l.Record(rctx, ev)
			l.expecting.Add(-1)
			if aerr != nil {
				log.LogAttrs(ctx, slog.LevelError, "tool call not audited; result withheld",
					slog.String("tool", ev.Tool), slog.String("correlation_id", ev.CorrelationID),
					slog.String("outcome", ev.Outcome), slog.Any("error", aerr))
				if err != nil {
					return nil, err // already a failure: keep the protocol error
				}
				return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: auditFailedText}}}, nil
			}
			return res, err
		}
	}
}

// toolCallEvent is the record of one call.
func toolCallEvent(ctx context.Context, call *mcp.CallToolRequest, res mcp.Result, err error, start, end time.Time) Event {
	e := Event{Time: start, Kind: KindToolCall, DurationMS: end.Sub(start).Milliseconds(), CorrelationID: correlationID(ctx, call)}
	e.Principal, e.PrincipalName = Principal(ctx, call)
	if call.Session != nil {
		e.Session = call.Session.ID()
	}
	if call.Params != nil {
		e.Tool = truncateUTF8(call.Params.Name, maxToolName)
		e.Arguments = RedactArguments(call.Params.Arguments)
	}
	e.Outcome, e.Error = outcome(res, err)
	return e
}

// CallPrincipal is who made call: the token of a Streamable HTTP request,
// the principal of the context (legacy SSE), else the local operator (ID
// "local", kind local). Records, evidence packs and write proposals all
// name the caller through it, so they cannot disagree.
func CallPrincipal(ctx context.Context, call *mcp.CallToolRequest) auth.Principal {
	if call != nil && call.Extra != nil && call.Extra.TokenInfo != nil && call.Extra.TokenInfo.UserID != "" {
		ti := call.Extra.TokenInfo
		p := auth.Principal{ID: ti.UserID, Scopes: ti.Scopes, ExpiresAt: ti.Expiration}
		p.Name, _ = ti.Extra["name"].(string)
		kind, _ := ti.Extra["kind"].(string)
		p.Kind = auth.Kind(kind)
		p.Delegated, _ = ti.Extra["delegated"].(bool)
		return p
	}
	if p := auth.FromContext(ctx); p != nil && p.ID != "" {
		return *p
	}
	return auth.Principal{ID: localPrincipal, Kind: auth.KindLocal}
}

// Principal is CallPrincipal's id and name.
func Principal(ctx context.Context, call *mcp.CallToolRequest) (id, name string) {
	p := CallPrincipal(ctx, call)
	return p.ID, p.Name
}

// correlationID prefers the call's own header: the context of a Streamable
// HTTP session carries the request that opened the session.
func correlationID(ctx context.Context, call *mcp.CallToolRequest) string {
	if call.Extra != nil && call.Extra.Header != nil {
		if id := requestid.Clean(call.Extra.Header.Get(correlationHeader)); id != "" {
			return id
		}
	}
	return requestid.From(ctx)
}

// outcome classifies the call and keeps the start of its error text.
func outcome(res mcp.Result, err error) (string, string) {
	if err != nil {
		return OutcomeFailed, shortError(err.Error())
	}
	r, ok := res.(*mcp.CallToolResult)
	if !ok || r == nil || !r.IsError {
		return OutcomeOK, ""
	}
	for _, c := range r.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			return OutcomeError, shortError(t.Text)
		}
	}
	return OutcomeError, ""
}

func shortError(s string) string {
	s = policy.Scrub(s)
	n := 0
	for i := range s {
		if n == maxErrorRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

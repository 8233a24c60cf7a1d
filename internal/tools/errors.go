package tools

import (
	"context"
	"errors"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

// errorResult reports a failed call as a tool result with isError set (HTTP
// 200), never as a protocol error: clients count HTTP errors toward their
// circuit breakers, and a model can correct a bad argument from the text.
func errorResult(err error) *mcp.CallToolResult {
	return &mcp.CallToolResult{
		IsError: true,
		Content: []mcp.Content{&mcp.TextContent{Text: "Error: " + errorText(err)}},
	}
}

// errorText is the message shown for err: the backend clients already
// produce clear messages; this adds the timeout case and scrubs anything
// credential-like that a backend might have echoed.
func errorText(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "the Wazuh request timed out (REQUEST_TIMEOUT_SECONDS); narrow the query or try again"
	case errors.Is(err, context.Canceled):
		return "the call was cancelled"
	}
	msg := policy.Scrub(err.Error())
	return strings.TrimSpace(policy.Fence(msg, 1024))
}

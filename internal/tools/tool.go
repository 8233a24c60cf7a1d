// Package tools defines wazuh-mcp's MCP tools, one file per toolset. Each
// tool has typed input and output structs; this file turns them into MCP
// tools with inferred schemas, lenient argument decoding, structured output
// plus a compact JSON text, and clear error results.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// Tool is one registrable tool.
type Tool struct {
	Toolset string
	Def     *mcp.Tool
	Handler mcp.ToolHandler
	// Write marks tools that change state in Wazuh; they are registered only
	// when read-only mode is off.
	Write bool
	// OutputDetail is the full inferred output schema (with field
	// descriptions), for documentation; clients get Def.OutputSchema, its
	// outline.
	OutputDetail *jsonschema.Schema
}

// Result is embedded in every tool output: what the server needs to tell
// the caller besides the answer itself.
type Result struct {
	// IgnoredArguments lists arguments the tool does not take; they were
	// ignored, not rejected (models often add extras such as "reason").
	IgnoredArguments []string `json:"ignored_arguments,omitempty" jsonschema:"arguments that this tool does not take and ignored"`
	// Notes say how the result was computed and what it leaves out.
	Notes []string `json:"notes,omitempty" jsonschema:"how the result was computed, truncation and caveats"`
}

func (r *Result) result() *Result { return r }

// AddNote appends a note.
func (r *Result) AddNote(format string, a ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, a...))
}

type resultCarrier interface{ result() *Result }

// Spec describes a tool for newTool.
type Spec struct {
	Name        string
	Title       string
	Description string
	// Write tools are destructive; everything else is a read.
	Write bool
}

// maxResultBytes bounds one result; larger answers fail with advice rather
// than flooding the model's context.
type limits struct{ maxResultBytes int }

// newTool builds a Tool from a typed handler. Out must embed Result.
func newTool[In any, Out resultCarrier](toolset string, spec Spec, lim limits, h func(context.Context, *In) (Out, error)) Tool {
	in := mustSchema[In](spec.Name, true)
	detail := mustSchema[Out](spec.Name, false)
	out := outlineSchema(detail)
	known := propertyNames(in)
	def := &mcp.Tool{
		Name:         spec.Name,
		Title:        spec.Title,
		Description:  spec.Description,
		InputSchema:  in,
		OutputSchema: out,
		Annotations:  annotations(spec),
	}
	handler := func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var input In
		var raw json.RawMessage
		if req != nil && req.Params != nil {
			raw = req.Params.Arguments
		}
		ctx = withCorrelationID(ctx, req)
		ctx = context.WithValue(ctx, callRequestKey{}, req)
		ignored, err := decodeArguments(raw, known, &input)
		if err != nil {
			return errorResult(err), nil
		}
		output, err := h(ctx, &input)
		if err != nil {
			return errorResult(err), nil
		}
		if ir, ok := any(output).(interface {
			inputRequired() (mcp.InputRequestMap, string)
		}); ok {
			if m, state := ir.inputRequired(); m != nil {
				return &mcp.CallToolResult{InputRequests: m, RequestState: state}, nil
			}
		}
		output.result().IgnoredArguments = ignored
		res := structuredResult(output, lim.maxResultBytes)
		if f, ok := any(output).(interface{ failed() bool }); ok && f.failed() {
			res.IsError = true // the answer is complete, and it says the request failed
		}
		return res, nil
	}
	return Tool{Toolset: toolset, Def: def, Handler: handler, Write: spec.Write, OutputDetail: detail}
}

type callRequestKey struct{}

// callRequest is the MCP request of the call being handled (nil outside a
// call): write tools read the caller, session and client capabilities
// from it.
func callRequest(ctx context.Context) *mcp.CallToolRequest {
	req, _ := ctx.Value(callRequestKey{}).(*mcp.CallToolRequest)
	return req
}

// withCorrelationID carries the HTTP request's correlation id (set by the
// HTTP layer) into the handler's context, so backend requests and logs of
// this call share it.
func withCorrelationID(ctx context.Context, req *mcp.CallToolRequest) context.Context {
	if req == nil || req.Extra == nil || req.Extra.Header == nil {
		return ctx
	}
	return requestid.With(ctx, req.Extra.Header.Get("X-Correlation-ID"))
}

// annotations states the hints; the title lives on the tool itself and
// destructiveHint is only meaningful for writes, so neither is repeated here
// (tools/list is paid for in every conversation's context).
func annotations(spec Spec) *mcp.ToolAnnotations {
	openWorld := true // every tool talks to a Wazuh deployment outside this server
	a := &mcp.ToolAnnotations{
		ReadOnlyHint:   !spec.Write,
		IdempotentHint: !spec.Write,
		OpenWorldHint:  &openWorld,
	}
	if spec.Write {
		destructive := true
		a.DestructiveHint = &destructive
	}
	return a
}

// mustSchema infers a JSON schema from T. Input schemas allow additional
// properties so that extra arguments are ignored (and reported) rather than
// rejected. Schema inference only fails on programming errors, so it panics
// at registration, which every test exercises.
func mustSchema[T any](tool string, input bool) *jsonschema.Schema {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		panic(fmt.Sprintf("tool %s: schema: %v", tool, err))
	}
	if input {
		dropNull(s)
		s.AdditionalProperties = nil
		if s.Properties == nil {
			s.Properties = map[string]*jsonschema.Schema{}
		}
	}
	return s
}

// outlineSchema keeps the top level of an inferred output schema: the
// names of the result's fields, each with the empty schema {} (any value),
// and no types, nesting or descriptions. tools/list is paid for in every
// conversation: with types the default toolsets cost ~550 tokens more,
// over the 5,000-token budget. The names are what a model and a client
// need to find their way in the answer; Tool.OutputDetail keeps the full
// inferred schema for documentation (`wazuh-mcp tools --json`).
// The outline is plain JSON, not a jsonschema.Schema, because that type
// marshals an empty schema as the boolean `true`, which the TypeScript SDK
// (Claude Desktop, VS Code, Inspector) rejects, failing the whole
// tools/list. The fields every result shares (ignored_arguments, notes)
// are left out: the outline does not forbid other properties.
func outlineSchema(full *jsonschema.Schema) map[string]any {
	props := map[string]any{}
	for name := range full.Properties {
		if name == "ignored_arguments" || name == "notes" {
			continue
		}
		props[name] = map[string]any{}
	}
	return map[string]any{"type": "object", "properties": props}
}

// dropNull makes optional arguments plain types: a model may omit an
// argument, and ["null","boolean"] only costs tokens in tools/list.
func dropNull(s *jsonschema.Schema) {
	for _, p := range s.Properties {
		if len(p.Types) == 2 && p.Types[0] == "null" {
			p.Type, p.Types = p.Types[1], nil
		}
	}
}

func propertyNames(s *jsonschema.Schema) map[string]bool {
	names := make(map[string]bool, len(s.Properties))
	for k := range s.Properties {
		names[k] = true
	}
	return names
}

// maxArgumentBytes bounds the raw arguments of one call.
const maxArgumentBytes = 64 << 10

// decodeArguments decodes raw into in, one known argument at a time so that
// an error names its argument, and returns the unknown argument names.
func decodeArguments(raw json.RawMessage, known map[string]bool, in any) ([]string, error) {
	if len(raw) > maxArgumentBytes {
		return nil, fmt.Errorf("arguments are %d bytes, at most %d allowed", len(raw), maxArgumentBytes)
	}
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" || trimmed == "null" {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("arguments must be a JSON object: %v", err)
	}
	var ignored []string
	for name := range fields {
		if !known[name] {
			ignored = append(ignored, truncateName(name))
		}
	}
	// Every key is an argument: one decode of the whole object. Only a
	// failure (or a key to leave out, since encoding/json would match it
	// to a field case-insensitively) takes the per-argument path, which
	// names the argument at fault.
	if len(ignored) == 0 && json.Unmarshal(raw, in) == nil {
		return nil, nil
	}
	slices.Sort(ignored)
	for _, name := range sortedKeys(fields) {
		if !known[name] {
			continue
		}
		one, _ := json.Marshal(map[string]json.RawMessage{name: fields[name]})
		if err := json.Unmarshal(one, in); err != nil {
			return nil, fmt.Errorf("invalid argument %s: %s", name, cleanDecodeError(err))
		}
	}
	return ignored, nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func truncateName(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// cleanDecodeError turns encoding/json's messages into argument-level text.
func cleanDecodeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("expected %s, got %s", jsonTypeName(te.Type.Kind().String()), te.Value)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "json:") {
		msg = msg[i+2:]
	}
	return msg
}

func jsonTypeName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "an integer"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "slice":
		return "a list"
	case kind == "struct", kind == "map":
		return "an object"
	}
	return "a " + kind
}

// structuredResult returns out as structured content and as compact JSON
// text (clients such as Wazuh Autopilot read only content[0].text).
func structuredResult(out any, maxBytes int) *mcp.CallToolResult {
	b, err := json.Marshal(out)
	if err != nil {
		return errorResult(fmt.Errorf("encoding the result: %w", err))
	}
	if maxBytes > 0 && len(b) > maxBytes {
		return errorResult(fmt.Errorf("the result is %d KiB, over the %d KiB limit of this server: lower limit, narrow the time range or filters, or page with the cursor", len(b)>>10, maxBytes>>10))
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: string(b)}},
		StructuredContent: json.RawMessage(b),
	}
}

// Names returns the names of tools, sorted.
func Names(tools []Tool) []string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Def.Name
	}
	slices.Sort(names)
	return names
}

package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// JSON-RPC 2.0 error codes for messages the MCP transport refuses.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
)

// maxBatch bounds the messages of one JSON-RPC batch (protocol 2025-03-26
// allows batches): rate limits count HTTP requests, so an unbounded batch
// would run thousands of tool calls for one token.
const maxBatch = 20

// rpcErrors guards POSTs to the Streamable HTTP transport: it reads the
// body once (answering a body over the cap with 413 and one too slow with
// 408, as JSON-RPC errors), refuses batches over maxBatch, decodes the
// envelope once for the id deduper, and rewrites the go-sdk's plain-text
// refusals (malformed JSON, wrong version, unknown method...) as JSON-RPC
// error objects with their standard codes, keeping the HTTP status.
// Clients parse JSON-RPC errors, not text.
func rpcErrors(d *idDeduper, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.Header().Set("Connection", "close") // the rest of the body is not read
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				refuse(w, r, http.StatusRequestEntityTooLarge, codeRefused, fmt.Sprintf("request body exceeds the limit of %d bytes", tooBig.Limit), 0)
			case errors.Is(err, os.ErrDeadlineExceeded):
				refuse(w, r, http.StatusRequestTimeout, codeRefused, "the request body did not arrive in time", 0)
			default:
				refuse(w, r, http.StatusBadRequest, codeRefused, "the request body could not be read", 0)
			}
			return
		}
		var env rpcEnvelope
		ok := false
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
			var batch []json.RawMessage
			if json.Unmarshal(trimmed, &batch) == nil && len(batch) > maxBatch {
				writeRPCError(w, http.StatusBadRequest, nil, codeInvalidRequest,
					fmt.Sprintf("a batch of %d messages; at most %d are accepted in one request", len(batch), maxBatch))
				return
			}
		} else {
			ok = json.Unmarshal(trimmed, &env) == nil
		}
		rw := &rpcErrorWriter{ResponseWriter: w, id: env.ID}
		d.serve(rw, r, next, body, env, ok)
		rw.finish()
	})
}

// rpcErrorWriter passes a reply through unless it is a plain-text error,
// which it holds back and rewrites in finish.
type rpcErrorWriter struct {
	http.ResponseWriter
	id      json.RawMessage
	status  int
	capture bool
	text    bytes.Buffer
}

func (w *rpcErrorWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	if code >= 400 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.capture = true
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *rpcErrorWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.capture {
		if w.text.Len() < 4096 {
			w.text.Write(p[:min(len(p), 4096-w.text.Len())])
		}
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *rpcErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *rpcErrorWriter) Flush() {
	if !w.capture {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *rpcErrorWriter) finish() {
	if !w.capture {
		return
	}
	msg := strings.TrimSpace(w.text.String())
	code := codeInvalidRequest
	switch {
	case strings.Contains(msg, "JSON RPC not handled"):
		code = codeMethodNotFound
	case strings.HasPrefix(msg, "malformed payload: unmarshaling"), strings.HasPrefix(msg, "malformed payload: parse error"):
		code = codeParseError
	}
	w.Header().Del("Content-Length")
	w.Header().Del("X-Content-Type-Options")
	writeRPCError(w.ResponseWriter, w.status, w.id, code, msg)
}

// writeRPCError answers one JSON-RPC error object (id null when unknown).
func writeRPCError(w http.ResponseWriter, status int, id json.RawMessage, code int, msg string) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": msg}})
}

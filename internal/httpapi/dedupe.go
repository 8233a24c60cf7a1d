package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// idDeduper lets concurrent requests of one session reuse a JSON-RPC id.
// Some clients derive the id from a hash of the call, so identical calls in
// flight share it; the go-sdk rejects the second with "duplicate in-flight
// request ID". When an id is already in flight in the session, the request
// gets a fresh internal id and its reply gets the original id back.
type idDeduper struct {
	mu       sync.Mutex
	inFlight map[string]int // session id + raw JSON-RPC id -> count
	seq      atomic.Uint64
}

func newIDDeduper() *idDeduper { return &idDeduper{inFlight: map[string]int{}} }

// rpcEnvelope is the part of a JSON-RPC message the deduper looks at.
type rpcEnvelope struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
}

// serve passes one POSTed message on to next, renaming its id when the
// same id is already in flight in the session. body is the whole request
// body and env its envelope, read and decoded once by rpcErrors (a batch or
// an undecodable body has no envelope: ok is false).
func (d *idDeduper) serve(w http.ResponseWriter, r *http.Request, next http.Handler, body []byte, env rpcEnvelope, ok bool) {
	session := r.Header.Get("Mcp-Session-Id")
	if session == "" || !ok || env.Method == "" || len(env.ID) == 0 || string(env.ID) == "null" {
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
		return
	}
	key := session + "\x00" + string(env.ID)
	defer d.release(key)
	if d.acquire(key) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
		return
	}
	d.serveRenamed(w, r, next, body, env.ID)
}

// acquire registers key and reports whether it was the only one in flight.
func (d *idDeduper) acquire(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inFlight[key]++
	return d.inFlight[key] == 1
}

func (d *idDeduper) release(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inFlight[key]--; d.inFlight[key] <= 0 {
		delete(d.inFlight, key)
	}
}

// serveRenamed forwards the request under a fresh id and restores the
// original id in the JSON reply.
func (d *idDeduper) serveRenamed(w http.ResponseWriter, r *http.Request, next http.Handler, body, original json.RawMessage) {
	internal := strconv.Quote("wazuh-mcp-dedupe-" + strconv.FormatUint(d.seq.Add(1), 10))
	renamed, err := replaceID(body, json.RawMessage(internal))
	if err != nil {
		http.Error(w, "invalid JSON-RPC message", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(renamed))
	r.ContentLength = int64(len(renamed))
	buf := &bufferedWriter{header: http.Header{}}
	next.ServeHTTP(buf, r)
	out := buf.body.Bytes()
	if restored, err := replaceID(out, original); err == nil {
		out = restored
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(buf.statusOr200())
	_, _ = w.Write(out)
}

// replaceID swaps the top-level "id" of one JSON-RPC object, keeping every
// other member byte for byte.
func replaceID(msg []byte, id json.RawMessage) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(msg, &obj); err != nil {
		return nil, err
	}
	if _, ok := obj["id"]; !ok {
		return nil, errors.New("no id")
	}
	obj["id"] = id
	return json.Marshal(obj)
}

// bufferedWriter captures a whole JSON reply so its id can be restored.
type bufferedWriter struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Flush() {}
func (b *bufferedWriter) statusOr200() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

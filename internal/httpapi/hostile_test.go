package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Hostile HTTP clients (issue 6): slow clients, oversized bodies, malformed
// JSON-RPC, unknown methods and floods. Every test ends by checking that
// the server still answers a normal tools/call promptly.

// hostile is a guarded server served by NewHTTPServer, as serve runs it,
// with short timeouts.
type hostile struct {
	*guarded
	url string
}

func newHostile(t *testing.T, opts Options, to ServerTimeouts) *hostile {
	t.Helper()
	g := newGuarded(t, opts) // its own httptest server is not used
	ts := httptest.NewUnstartedServer(g.h)
	ts.Config = NewHTTPServer(g.h, to)
	ts.Start()
	t.Cleanup(ts.Close)
	return &hostile{guarded: g, url: ts.URL}
}

// rpcResult is one HTTP answer to a JSON-RPC POST.
type rpcResult struct {
	status     int
	retryAfter string
	body       string
	err        error
}

// rpcPost is safe to call from any goroutine.
func rpcPost(url, session, body string, hdr ...string) rpcResult {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return rpcResult{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return rpcResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: string(b), err: err}
}

// rpcErr decodes a JSON-RPC error reply.
type rpcErrReply struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func decodeRPCError(t *testing.T, r rpcResult) rpcErrReply {
	t.Helper()
	var e rpcErrReply
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error == nil || e.JSONRPC != "2.0" {
		t.Fatalf("want a JSON-RPC error object, got %d %q (%v)", r.status, r.body, err)
	}
	return e
}

const echoCall = `{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"echo","arguments":{"v":"still-up"}}}`

// stillAnswers opens a session and makes a tools/call that must be
// answered within 2 s.
func stillAnswers(t *testing.T, url string, hdr ...string) {
	t.Helper()
	start := time.Now()
	sid := sessionOf(t, url, hdr...)
	r := rpcPost(url, sid, echoCall, hdr...)
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, `{\"v\":\"still-up\"}`) {
		t.Fatalf("tools/call: %d %v %s", r.status, r.err, r.body)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("a normal client waited %v", d)
	}
}

// sessionOf initializes a session and returns its id.
func sessionOf(t *testing.T, url string, hdr ...string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(initBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	sid := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != 200 || sid == "" {
		t.Fatalf("initialize: %d", resp.StatusCode)
	}
	if r := rpcPost(url, sid, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, hdr...); r.status != http.StatusAccepted {
		t.Fatalf("initialized: %d %s", r.status, r.body)
	}
	return sid
}

// dialRaw opens a TCP connection to the test server.
func dialRaw(t *testing.T, url string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// trickle writes s one byte every step until done is closed or a write
// fails (the server closed the connection).
func trickle(c net.Conn, s string, step time.Duration, done <-chan struct{}) {
	for i := 0; i < len(s); i++ {
		select {
		case <-done:
			return
		case <-time.After(step):
		}
		if _, err := c.Write([]byte{s[i]}); err != nil {
			return
		}
	}
}

func TestSlowlorisHeadersAreCut(t *testing.T) {
	h := newHostile(t, Options{}, ServerTimeouts{ReadHeader: 300 * time.Millisecond})
	const n = 8
	done := make(chan struct{})
	defer close(done)
	type cut struct {
		after time.Duration
		got   string
		err   error
	}
	cuts := make(chan cut, n)
	for range n {
		c := dialRaw(t, h.url)
		start := time.Now()
		go trickle(c, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "+strings.Repeat("a", 1000)+"\r\n\r\n", 20*time.Millisecond, done)
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			b, err := io.ReadAll(c)
			cuts <- cut{time.Since(start), string(b), err}
		}()
	}
	// While the slow clients hold their connections, others are served.
	stillAnswers(t, h.url)
	for range n {
		c := <-cuts
		// At the header timeout the server answers 400 and closes.
		if c.err != nil || !strings.HasPrefix(c.got, "HTTP/1.1 400 Bad Request\r\n") || !strings.Contains(c.got, "Connection: close") ||
			c.after < 250*time.Millisecond || c.after > 3*time.Second {
			t.Fatalf("slow header client: closed after %v with %q (%v); want 400 and close at ~300ms", c.after, c.got, c.err)
		}
	}
	stillAnswers(t, h.url)
}

func TestTrickledBodyIsCut(t *testing.T) {
	h := newHostile(t, Options{BodyReadTimeout: 300 * time.Millisecond}, ServerTimeouts{})
	sid := sessionOf(t, h.url)
	done := make(chan struct{})
	defer close(done)
	body := strings.Replace(echoCall, "still-up", strings.Repeat("z", 200), 1)
	c := dialRaw(t, h.url)
	fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\nMcp-Session-Id: %s\r\nContent-Length: %d\r\n\r\n", sid, len(body))
	start := time.Now()
	go trickle(c, body, 50*time.Millisecond, done) // would take 13 s
	stillAnswers(t, h.url)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to the trickled body: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if d := time.Since(start); resp.StatusCode != http.StatusRequestTimeout || d > 3*time.Second {
		t.Fatalf("trickled body: %d after %v, want 408 at ~300ms: %s", resp.StatusCode, d, b)
	}
	e := decodeRPCError(t, rpcResult{status: resp.StatusCode, body: string(b)})
	if e.Error.Code != codeRefused || !strings.Contains(e.Error.Message, "did not arrive in time") {
		t.Fatalf("408 body = %s", b)
	}
	stillAnswers(t, h.url)
}

// TestSlowToolOutlivesBodyTimeout: the body timeout covers the body only;
// a tool call running longer than it is not cut.
func TestSlowToolOutlivesBodyTimeout(t *testing.T) {
	h := newHostile(t, Options{BodyReadTimeout: 200 * time.Millisecond}, ServerTimeouts{})
	sid := sessionOf(t, h.url)
	res := make(chan rpcResult, 1)
	go func() {
		res <- rpcPost(h.url, sid, `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow","arguments":{}}}`)
	}()
	<-h.started
	time.Sleep(600 * time.Millisecond) // three body timeouts
	close(h.release)
	r := <-res
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "slow done") {
		t.Fatalf("slow call: %d %v %s", r.status, r.err, r.body)
	}
}

// countingReader serves n bytes of a JSON string and counts what was read.
type countingReader struct {
	n, read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.read)
	for i := range k {
		p[i] = 'x'
	}
	if c.read == 0 {
		copy(p, `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"`)
	}
	atomic.AddInt64(&c.read, k)
	return int(k), nil
}

func TestOversizedBodiesAreRefusedWithJSONRPCErrors(t *testing.T) {
	const limit = 64 << 10
	h := newHostile(t, Options{MaxBodyBytes: limit}, ServerTimeouts{})
	sid := sessionOf(t, h.url)
	for _, tc := range []struct {
		name    string
		chunked bool
	}{{"declared 1 MiB", false}, {"chunked 64 MiB stream", true}} {
		t.Run(tc.name, func(t *testing.T) {
			src := &countingReader{n: 1 << 20}
			var body io.Reader = io.LimitReader(src, src.n)
			if tc.chunked {
				src.n = 64 << 20
				body = struct{ io.Reader }{src} // no length: chunked
			}
			req, _ := http.NewRequest(http.MethodPost, h.url+"/mcp", body)
			if !tc.chunked {
				req.ContentLength = src.n
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Mcp-Session-Id", sid)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("got %d %s, want 413", resp.StatusCode, b)
			}
			e := decodeRPCError(t, rpcResult{status: resp.StatusCode, body: string(b)})
			if e.Error.Code != codeRefused || !strings.Contains(e.Error.Message, "exceeds the limit of 65536 bytes") {
				t.Fatalf("413 body = %s", b)
			}
			if read := atomic.LoadInt64(&src.read); tc.chunked && read > 16<<20 {
				t.Fatalf("the server read on: the client sent %d MiB of a 64 MiB body", read>>20)
			}
		})
	}
	stillAnswers(t, h.url)
}

func TestMalformedJSONRPC(t *testing.T) {
	h := newHostile(t, Options{}, ServerTimeouts{})
	sid := sessionOf(t, h.url)
	batch := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping"}`, i+1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	hugeStringID := strings.Repeat("i", 100_000)
	for _, tc := range []struct {
		name, body string
		status     int
		code       int    // JSON-RPC error code; 0 = not an error reply
		want       string // fragment of the message (or body)
	}{
		{"invalid JSON", `{"jsonrpc":"2.0","id":1,"method":`, 400, codeParseError, "unexpected EOF"},
		{"not JSON at all", `GET / HTTP/1.0`, 400, codeParseError, "malformed payload"},
		{"version 1.0", `{"jsonrpc":"1.0","id":1,"method":"ping"}`, 400, codeInvalidRequest, `invalid message version tag "1.0"`},
		{"no version", `{"id":1,"method":"ping"}`, 400, codeInvalidRequest, "invalid message version tag"},
		{"empty body", ``, 400, codeInvalidRequest, "non-empty body"},
		{"white space body", "  \n", 400, codeParseError, "malformed payload"},
		{"empty batch", `[]`, 400, codeInvalidRequest, "empty batch"},
		{"batch over the cap", batch(maxBatch + 1), 400, codeInvalidRequest, "a batch of 21 messages; at most 20"},
		{"batch of two", batch(2), 200, 0, `[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":2,"result":{}}]`},
		{"id object", `{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, 400, codeParseError, "invalid ID type"},
		{"id boolean", `{"jsonrpc":"2.0","id":true,"method":"ping"}`, 400, codeParseError, "invalid ID type bool"},
		{"id null on a request", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, 400, codeInvalidRequest, `missing id for "ping"`},
		{"huge numeric id", `{"jsonrpc":"2.0","id":1` + strings.Repeat("0", 1000) + `,"method":"ping"}`, 400, codeParseError, "cannot unmarshal"},
		{"huge string id", `{"jsonrpc":"2.0","id":"` + hugeStringID + `","method":"ping"}`, 200, 0, `{"jsonrpc":"2.0","id":"` + hugeStringID + `","result":{}}`},
		{"method not a string", `{"jsonrpc":"2.0","id":1,"method":42}`, 400, codeParseError, "cannot unmarshal"},
		{"nested 1000 levels", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"a":` +
			strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}}}`, 400, codeParseError, "exceeded maximum nesting depth of 1000"},
		{"params not an object", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}`, 200, -32602, "invalid params"},
		{"no method: a response to nothing", `{"jsonrpc":"2.0","id":1}`, 202, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rpcPost(h.url+"/mcp", sid, tc.body)
			if r.err != nil || r.status != tc.status {
				t.Fatalf("got %d %v %.300s, want %d", r.status, r.err, r.body, tc.status)
			}
			if tc.code == 0 {
				if strings.TrimSpace(r.body) != tc.want && !sameBatch(r.body, tc.want) {
					t.Fatalf("body = %.300s, want %.300s", r.body, tc.want)
				}
				return
			}
			e := decodeRPCError(t, r)
			if e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.want) {
				t.Fatalf("error %d %q, want %d containing %q", e.Error.Code, e.Error.Message, tc.code, tc.want)
			}
		})
	}
	// The session survived all of it.
	if r := rpcPost(h.url+"/mcp", sid, echoCall); r.status != 200 || !strings.Contains(r.body, "still-up") {
		t.Fatalf("the session no longer answers: %d %s", r.status, r.body)
	}
	stillAnswers(t, h.url)
}

func TestUnknownMethodsAreMethodNotFound(t *testing.T) {
	h := newHostile(t, Options{}, ServerTimeouts{})
	sid := sessionOf(t, h.url)
	for _, tc := range []struct{ name, session, body, id string }{
		{"in a session", sid, `{"jsonrpc":"2.0","id":41,"method":"tools/destroy","params":{}}`, "41"},
		{"string id", sid, `{"jsonrpc":"2.0","id":"x-1","method":"admin/shutdown"}`, `"x-1"`},
		{"before initialize", "", `{"jsonrpc":"2.0","id":42,"method":"shell/exec","params":{"cmd":"id"}}`, "42"},
		{"rpc internals", sid, `{"jsonrpc":"2.0","id":43,"method":"rpc.discover"}`, "43"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rpcPost(h.url+"/mcp", tc.session, tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("got %d %s, want 400", r.status, r.body)
			}
			e := decodeRPCError(t, r)
			if e.Error.Code != codeMethodNotFound || string(e.ID) != tc.id || !strings.Contains(e.Error.Message, "unsupported") {
				t.Fatalf("reply %s, want -32601 with id %s", r.body, tc.id)
			}
		})
	}
	stillAnswers(t, h.url)
}

// flood sends n concurrent tools/call (or initialize when session is "")
// and counts the answers by status.
func concurrentFlood(url, session string, n int, hdr ...string) (byStatus map[int]int, limited []rpcResult) {
	var mu sync.Mutex
	byStatus = map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := initBody
			if session != "" {
				body = strings.Replace(echoCall, `"id":77`, `"id":`+strconv.Itoa(1000+i), 1)
			}
			r := rpcPost(url, session, body, hdr...)
			mu.Lock()
			defer mu.Unlock()
			if r.err != nil {
				byStatus[-1]++
				return
			}
			byStatus[r.status]++
			if r.status == http.StatusTooManyRequests {
				limited = append(limited, r)
			}
		}()
	}
	close(start)
	wg.Wait()
	return byStatus, limited
}

func checkLimited(t *testing.T, limited []rpcResult) {
	t.Helper()
	for _, r := range limited {
		if n, err := strconv.Atoi(r.retryAfter); err != nil || n < 1 {
			t.Fatalf("429 without a usable Retry-After: %q", r.retryAfter)
		}
		e := decodeRPCError(t, r)
		if e.Error.Code != codeRateLimited || !strings.Contains(e.Error.Message, "retry after") {
			t.Fatalf("429 body = %s", r.body)
		}
	}
}

func TestConcurrentFloodFromOneKey(t *testing.T) {
	// 1/min refills nothing during the test: exactly the burst gets through.
	e := newAuthEnvWith(t, AuthBearer, true, func(o *Options) { o.RateLimits = RateLimits{PerMinute: 1, Burst: 10} })
	flooder := e.open(t, bearer(e.readKey)) // initialize + initialized: 2 of the 10
	const n = 60
	byStatus, limited := concurrentFlood(e.ts.URL+"/mcp", flooder.id, n, "Authorization", bearer(e.readKey))
	if byStatus[200] != 8 || byStatus[429] != n-8 || len(byStatus) != 2 {
		t.Fatalf("flood of %d calls: %v, want exactly 8 answered and %d limited", n, byStatus, n-8)
	}
	checkLimited(t, limited)
	// Another key is answered at once.
	other := e.open(t, bearer(e.writeKey))
	if text, isErr := other.call(t, "echo"); isErr || text != "echo" {
		t.Fatalf("another key during the flood: %q %v", text, isErr)
	}
	if status, _, _ := e.request(t, http.MethodPost, "/mcp", bearer("wrong"), initBody); status != http.StatusUnauthorized {
		t.Fatalf("a wrong key got %d", status) // (the log-leak check of the env needs one failure)
	}
}

func TestConcurrentFloodFromOneAddress(t *testing.T) {
	loop, _ := ParseTrustedProxies([]string{"127.0.0.1", "::1"})
	h := newHostile(t, Options{TrustedProxies: loop, RateLimits: RateLimits{IPPerMinute: 1, IPBurst: 10}}, ServerTimeouts{})
	const n = 60
	byStatus, limited := concurrentFlood(h.url+"/mcp", "", n, "X-Forwarded-For", "203.0.113.66")
	if byStatus[200] != 10 || byStatus[429] != n-10 || len(byStatus) != 2 {
		t.Fatalf("flood of %d requests: %v, want exactly 10 answered and %d limited", n, byStatus, n-10)
	}
	checkLimited(t, limited)
	stillAnswers(t, h.url+"/mcp", "X-Forwarded-For", "203.0.113.67")
	if r := rpcPost(h.url+"/mcp", "", initBody, "X-Forwarded-For", "203.0.113.66"); r.status != http.StatusTooManyRequests {
		t.Fatalf("the flooding address got %d after its flood", r.status)
	}
}

// sameBatch reports whether two JSON-RPC batch answers hold the same
// responses: a batch's responses may come in any order (JSON-RPC 2.0, 6).
func sameBatch(got, want string) bool {
	var g, w []json.RawMessage
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil || len(g) != len(w) {
		return false
	}
	key := func(ms []json.RawMessage) []string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = string(m)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(g), key(w))
}

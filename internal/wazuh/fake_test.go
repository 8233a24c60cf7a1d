package wazuh

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
)

const (
	testUser = "wazuh-wui"
	testPass = "S3cret.Passw0rd!"
)

// fakeManager is a Wazuh Manager API stand-in speaking the real shapes:
// basic-auth login returning {"data":{"token":…},"error":0}, short-lived JWTs
// with iat/exp, 401 problem+json for bad tokens, and per-path handlers.
type fakeManager struct {
	t         *testing.T
	srv       *httptest.Server
	tokenLife time.Duration
	logins    atomic.Int64
	total     atomic.Int64

	mu       sync.Mutex
	tokens   map[string]time.Time // token → expiry
	hits     map[string]int       // path → requests (excluding login)
	handlers map[string]http.HandlerFunc
	lastReq  map[string]*http.Request
	bodies   map[string][]byte
	seq      int
}

func newFakeManager(t *testing.T) *fakeManager {
	t.Helper()
	f := &fakeManager{t: t, tokenLife: 900 * time.Second, tokens: map[string]time.Time{},
		hits: map[string]int{}, handlers: map[string]http.HandlerFunc{}, lastReq: map[string]*http.Request{}, bodies: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.handle("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"data": map[string]any{"title": "Wazuh API REST", "api_version": "4.14.7",
			"revision": 41417, "license_name": "GPL 2.0", "hostname": "wazuh-manager", "timestamp": "2026-11-21T08:00:00Z"}, "error": 0})
	})
	return f
}

func (f *fakeManager) handle(path string, h http.HandlerFunc) {
	f.mu.Lock()
	f.handlers[path] = h
	f.mu.Unlock()
}

// handleJSON serves a fixed body with status 200.
func (f *fakeManager) handleJSON(path string, body string) {
	f.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})
}

func (f *fakeManager) hitsFor(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func (f *fakeManager) last(path string) (*http.Request, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastReq[path], f.bodies[path]
}

func (f *fakeManager) revokeAll() {
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
}

func (f *fakeManager) serve(w http.ResponseWriter, r *http.Request) {
	f.total.Add(1)
	if r.URL.Path == loginEndpoint {
		f.login(w, r)
		return
	}
	body := make([]byte, 0)
	if r.Body != nil {
		body, _ = readAllLimit(r)
	}
	f.mu.Lock()
	f.hits[r.URL.Path]++
	f.lastReq[r.URL.Path] = r
	f.bodies[r.URL.Path] = body
	h := f.handlers[r.URL.Path]
	exp, known := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if !known || time.Now().After(exp) {
		writeProblem(w, 401, map[string]any{"title": "Unauthorized", "detail": "Invalid token"})
		return
	}
	if h == nil {
		writeProblem(w, 404, map[string]any{"title": "Not Found", "detail": "404: Not Found"})
		return
	}
	h(w, r)
}

func (f *fakeManager) login(w http.ResponseWriter, r *http.Request) {
	f.logins.Add(1)
	u, p, ok := r.BasicAuth()
	if r.Method != http.MethodPost || !ok || u != testUser || p != testPass {
		writeProblem(w, 401, map[string]any{"title": "Unauthorized", "detail": "Invalid credentials"})
		return
	}
	now := time.Now()
	f.mu.Lock()
	f.seq++
	tok := makeJWT(now, f.tokenLife, f.seq)
	f.tokens[tok] = now.Add(f.tokenLife)
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"data": map[string]any{"token": tok}, "error": 0})
}

// makeJWT builds an unsigned-looking ES512-shaped JWT with fractional iat/exp.
func makeJWT(now time.Time, life time.Duration, seq int) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"ES512","typ":"JWT"}`))
	iat := float64(now.UnixNano()) / 1e9
	payload, _ := json.Marshal(map[string]any{"iss": "wazuh", "aud": "Wazuh API REST", "nbf": int64(iat),
		"iat": iat, "exp": iat + life.Seconds(), "sub": testUser, "run_as": false, "rbac_roles": []int{1}, "seq": seq})
	return head + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString([]byte("signature-"+strconv.Itoa(seq)))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, status int, v map[string]any) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func readAllLimit(r *http.Request) ([]byte, error) {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return []byte(b.String()), nil
		}
	}
}

// envelopeOf wraps items in the list envelope.
func envelopeOf(items any, total, errCode int, failed []map[string]any) string {
	if failed == nil {
		failed = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"data": map[string]any{"affected_items": items, "total_affected_items": total,
		"total_failed_items": len(failed), "failed_items": failed}, "message": "ok", "error": errCode})
	return string(b)
}

// testClient returns a client for f with test-friendly defaults.
func testClient(t *testing.T, f *fakeManager, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: f.srv.URL, Username: testUser, Password: testPass,
		RequestsPerMinute: 600000, RetryBackoff: time.Millisecond, MaxRetryWait: 2 * time.Second, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// specExamples loads the real Wazuh examples when the shared reference is present.
func specExamples(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(testref.Path("api-response-examples.json"))
	if err != nil {
		t.Skip("reference examples not present")
	}
	var doc struct {
		Operations map[string]struct {
			Responses map[string]map[string]json.RawMessage `json:"responses"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("examples: %v", err)
	}
	out := map[string]json.RawMessage{}
	for op, v := range doc.Operations {
		if ok := v.Responses["200"]; ok != nil {
			if body, found := ok["application/json"]; found {
				out[op] = body
			}
		}
	}
	return out
}

func mustExample(t *testing.T, ex map[string]json.RawMessage, op string) string {
	t.Helper()
	b, ok := ex[op]
	if !ok {
		t.Fatalf("no example for %s", op)
	}
	return string(b)
}

var _ = fmt.Sprintf

func timeNowForTest() time.Time { return time.Now() }

package manager

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// fakeClock is a settable clock for token expiry and rate-limit windows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// loadFixture reads testdata/dataset.json: a few items per collection,
// taken from the real spec's examples, in the dataset contract's shape.
func loadFixture(t testing.TB) *dataset.Dataset {
	t.Helper()
	b, err := os.ReadFile("testdata/dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	var ds dataset.Dataset
	if err := json.Unmarshal(b, &ds); err != nil {
		t.Fatal(err)
	}
	return &ds
}

func newTestServer(t testing.TB, opts Options) (*Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 20, 10, 5, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s, err := New(loadFixture(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// client drives a handler in-process.
type client struct {
	t     testing.TB
	h     http.Handler
	token string
}

func newClient(t testing.TB, s *Server) *client {
	c := &client{t: t, h: s.Handler()}
	c.token = c.login("wazuh", "wazuh")
	return c
}

func (c *client) login(user, pass string) string {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/security/user/authenticate", nil)
	req.SetBasicAuth(user, pass)
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		c.t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	var body struct {
		Data  struct{ Token string } `json:"data"`
		Error int                    `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Data.Token == "" {
		c.t.Fatalf("login body %s: %v", rec.Body, err)
	}
	return body.Data.Token
}

func (c *client) do(method, target, body string) *httptest.ResponseRecorder {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return rec
}

// get returns the status and decoded JSON body.
func (c *client) get(target string) (int, map[string]any) {
	c.t.Helper()
	rec := c.do(http.MethodGet, target, "")
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		c.t.Fatalf("GET %s: %d, body not JSON: %s", target, rec.Code, rec.Body)
	}
	return rec.Code, m
}

// items returns data.affected_items and total_affected_items of a 200.
func (c *client) items(target string) ([]map[string]any, int) {
	c.t.Helper()
	code, m := c.get(target)
	if code != http.StatusOK {
		c.t.Fatalf("GET %s: %d %v", target, code, m)
	}
	data := m["data"].(map[string]any)
	var out []map[string]any
	for _, it := range data["affected_items"].([]any) {
		if mm, ok := it.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out, int(data["total_affected_items"].(float64))
}

func ids(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		out = append(out, it["id"].(string))
	}
	return out
}

type responseRecorder = httptest.ResponseRecorder

func newRecorder() *responseRecorder { return httptest.NewRecorder() }

package wazuh

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A burst of 429s is the Manager asking to slow down, not an outage: it
// must not open the breaker, each call waits Retry-After once and
// succeeds.
func TestRateLimitBurstDoesNotOpenTheBreaker(t *testing.T) {
	f := newFakeManager(t)
	// Each call's first request gets the 429, whenever it arrives: under
	// load a late first request could otherwise take a 429 meant for a
	// retry, and the test would measure scheduling, not the client.
	var calls atomic.Int32
	var seen sync.Map
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if _, again := seen.LoadOrStore(r.URL.Query().Get("offset"), true); !again {
			w.Header().Set("Retry-After", "1")
			writeProblem(w, 429, map[string]any{"title": "Too Many Requests", "detail": "injected"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]any{}, 0, 0, nil)))
	})
	c := testClient(t, f, func(cfg *Config) {
		cfg.CacheTTL = -1
		cfg.Breaker = BreakerSettings{Failures: 3, OpenTimeout: time.Minute}
	})
	if _, err := c.tokens.get(context.Background()); err != nil { // log in first: the burst is about reads
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.ListAgents(context.Background(), AgentFilter{Offset: i}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if got := calls.Load(); got != 12 {
		t.Errorf("the Manager got %d requests for 6 calls and 6 429s, want 12", got)
	}
	if s := c.breaker.state(); s != "closed" {
		t.Errorf("breaker %s after a rate-limit burst", s)
	}
}

// A 429 is retried once: a second one is reported, with the Retry-After,
// so a storm costs at most two requests per call.
func TestRateLimitRetriedOnce(t *testing.T) {
	f := newFakeManager(t)
	h, calls := failing(1000, 429, map[string]string{"Retry-After": "1"}, "")
	f.handle("/agents", h)
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1; cfg.MaxRetries = 5 })
	_, err := c.ListAgents(context.Background(), AgentFilter{})
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "retry after 1s") {
		t.Fatalf("err = %v", err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("the Manager got %d requests, want 2", got)
	}
}

// Retry-After holds the whole client: a call that did not see the 429 is
// not sent before it runs out, and a call whose deadline comes first fails
// at once without a request.
func TestRetryAfterHoldsEveryCall(t *testing.T) {
	f := newFakeManager(t)
	var limitedAt atomic.Int64
	var agentsCalls atomic.Int32
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		if agentsCalls.Add(1) == 1 {
			limitedAt.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			writeProblem(w, 429, map[string]any{"title": "Too Many Requests", "error": 6001})
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{"affected_items": []any{}, "total_affected_items": 0, "failed_items": []any{}}, "error": 0})
	})
	var groupAt atomic.Int64
	var groupCalls atomic.Int32
	f.handle("/groups", func(w http.ResponseWriter, r *http.Request) {
		groupCalls.Add(1)
		groupAt.Store(time.Now().UnixNano())
		writeJSON(w, 200, map[string]any{"data": map[string]any{"affected_items": []any{}, "total_affected_items": 0, "failed_items": []any{}}, "error": 0})
	})
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
	ctx := context.Background()
	if _, err := c.tokens.get(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.ListAgents(ctx, AgentFilter{}); done <- err }()
	for agentsCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the 429 has reached the client

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := c.Get(short, "/groups", nil, nil, nil); !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "retry after") {
		t.Fatalf("a call whose deadline ends before Retry-After: %v", err)
	}
	if el := time.Since(start); el > 200*time.Millisecond {
		t.Errorf("it took %v; it must fail at once", el)
	}
	if n := groupCalls.Load(); n != 0 {
		t.Fatalf("it was sent (%d requests)", n)
	}

	if err := c.Get(ctx, "/groups", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if gap := time.Duration(groupAt.Load() - limitedAt.Load()); gap < time.Second {
		t.Errorf("another call reached the Manager %v after a 429 with Retry-After: 1", gap)
	}
	if err := <-done; err != nil {
		t.Fatalf("the rate-limited call: %v", err)
	}
	if n := agentsCalls.Load(); n != 2 {
		t.Errorf("/agents requests: %d, want 2", n)
	}
}

package wazuh

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// failing returns a handler that fails n times with status, then succeeds.
func failing(n int32, status int, header map[string]string, ok string) (http.HandlerFunc, *atomic.Int32) {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			writeProblem(w, status, map[string]any{"title": http.StatusText(status), "detail": "injected"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(ok))
	}, &calls
}

// hangUp closes the connection without answering, n times.
func hangUp(n int32, ok string) (http.HandlerFunc, *atomic.Int32) {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(ok))
	}, &calls
}

func TestReadRetries(t *testing.T) {
	ok := envelopeOf([]any{}, 0, 0, nil)
	tests := []struct {
		name      string
		handler   func() (http.HandlerFunc, *atomic.Int32)
		wantCalls int32
		wantErr   error
		minWait   time.Duration
	}{
		{"5xx then success", func() (http.HandlerFunc, *atomic.Int32) { return failing(2, 503, nil, ok) }, 3, nil, 0},
		{"5xx exhausted", func() (http.HandlerFunc, *atomic.Int32) { return failing(10, 500, nil, ok) }, 3, ErrUnavailable, 0},
		{"transport error then success", func() (http.HandlerFunc, *atomic.Int32) { return hangUp(1, ok) }, 2, nil, 0},
		{"transport exhausted", func() (http.HandlerFunc, *atomic.Int32) { return hangUp(10, ok) }, 3, ErrUnavailable, 0},
		{"429 honours Retry-After", func() (http.HandlerFunc, *atomic.Int32) {
			return failing(1, 429, map[string]string{"Retry-After": "1"}, ok)
		}, 2, nil, 900 * time.Millisecond},
		{"429 asking too long is not retried", func() (http.HandlerFunc, *atomic.Int32) {
			return failing(1, 429, map[string]string{"Retry-After": "120"}, ok)
		}, 1, ErrRateLimited, 0},
		{"400 not retried", func() (http.HandlerFunc, *atomic.Int32) { return failing(1, 400, nil, ok) }, 1, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			h, calls := tt.handler()
			f.handle("/agents", h)
			c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1; cfg.Breaker.Failures = 100 })
			start := time.Now()
			_, err := c.ListAgents(context.Background(), AgentFilter{})
			if tt.name == "400 not retried" {
				var ae *APIError
				if !errors.As(err, &ae) || ae.HTTPStatus != 400 {
					t.Fatalf("err = %v, want APIError 400", err)
				}
			} else if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if errors.Is(err, ErrUnavailable) && !strings.HasPrefix(err.Error(), "Wazuh Manager unavailable: ") {
				t.Errorf("message = %q", err)
			}
			// net/http itself replays a GET once when a reused keep-alive
			// connection dies before answering, so transport cases may see one more.
			if got := calls.Load(); got < tt.wantCalls || (got > tt.wantCalls && !strings.HasPrefix(tt.name, "transport")) || got > tt.wantCalls+1 {
				t.Fatalf("calls = %d, want %d", got, tt.wantCalls)
			}
			if el := time.Since(start); el < tt.minWait {
				t.Fatalf("elapsed %v, want ≥ %v", el, tt.minWait)
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{"soon", 0, false},
		{"-1", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.v != "" {
			h.Set("Retry-After", tt.v)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v,%v want %v,%v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWritesAreNotRetried(t *testing.T) {
	ok := envelopeOf([]string{"001"}, 1, 0, nil)
	cmd := ActiveResponseCommand{Command: "firewall-drop600", Alert: AlertData{SrcIP: "203.0.113.7"}}
	tests := []struct {
		name        string
		handler     func() (http.HandlerFunc, *atomic.Int32)
		wantUnknown bool
		wantStatus  int
	}{
		{"503 answered", func() (http.HandlerFunc, *atomic.Int32) { return failing(5, 503, nil, ok) }, false, 503},
		{"502 gateway: ambiguous", func() (http.HandlerFunc, *atomic.Int32) { return failing(5, 502, nil, ok) }, true, 0},
		{"connection dropped after sending: ambiguous", func() (http.HandlerFunc, *atomic.Int32) { return hangUp(5, ok) }, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeManager(t)
			h, calls := tt.handler()
			f.handle("/active-response", h)
			c := testClient(t, f, nil)
			_, err := c.ActiveResponse(context.Background(), []string{"1"}, cmd)
			var wu *WriteUnknownError
			if got := errors.As(err, &wu); got != tt.wantUnknown {
				t.Fatalf("WriteUnknownError = %v (err %v)", got, err)
			}
			if tt.wantStatus != 0 {
				var ae *APIError
				if !errors.As(err, &ae) || ae.HTTPStatus != tt.wantStatus {
					t.Fatalf("err = %v, want HTTP %d", err, tt.wantStatus)
				}
			}
			if calls.Load() != 1 {
				t.Fatalf("calls = %d, want exactly 1", calls.Load())
			}
		})
	}
	t.Run("timeout after sending is ambiguous", func(t *testing.T) {
		f := newFakeManager(t)
		var calls atomic.Int32
		f.handle("/active-response", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			time.Sleep(300 * time.Millisecond)
		})
		c := testClient(t, f, nil)
		if _, err := c.tokens.get(context.Background()); err != nil { // log in outside the deadline
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.ActiveResponse(ctx, []string{"001"}, cmd)
		var wu *WriteUnknownError
		if !errors.As(err, &wu) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want WriteUnknownError wrapping deadline", err)
		}
		if !strings.Contains(err.Error(), "outcome unknown") {
			t.Fatalf("message = %q", err)
		}
		time.Sleep(250 * time.Millisecond)
		if calls.Load() != 1 {
			t.Fatalf("calls = %d", calls.Load())
		}
	})
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	f := newFakeManager(t)
	var healthy atomic.Bool
	var calls atomic.Int32
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if !healthy.Load() {
			writeProblem(w, 500, map[string]any{"title": "Internal Server Error", "detail": "boom"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]any{}, 0, 0, nil)))
	})
	var transitions []string
	c := testClient(t, f, func(cfg *Config) {
		cfg.CacheTTL = -1
		cfg.MaxRetries = -1
		cfg.Breaker = BreakerSettings{Failures: 3, OpenTimeout: 200 * time.Millisecond}
		cfg.Observer = ObserverFuncs{Breaker: func(from, to string) { transitions = append(transitions, from+">"+to) }}
	})
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.ListAgents(ctx, AgentFilter{}); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d: err = %v", i, err)
		}
	}
	start := time.Now()
	_, err := c.ListAgents(ctx, AgentFilter{})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "circuit breaker is open") {
		t.Fatalf("open breaker: err = %v", err)
	}
	if calls.Load() != 3 || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("open breaker must fail fast without calling (calls %d)", calls.Load())
	}
	healthy.Store(true)
	time.Sleep(250 * time.Millisecond)
	if _, err := c.ListAgents(ctx, AgentFilter{}); err != nil {
		t.Fatalf("half-open probe: %v", err)
	}
	if c.breaker.state() != "closed" {
		t.Fatalf("state = %s", c.breaker.state())
	}
	want := "closed>open,open>half-open,half-open>closed"
	if got := strings.Join(transitions, ","); got != want {
		t.Fatalf("transitions = %s, want %s", got, want)
	}
}

func TestBreakerIgnoresClientErrorsAndCancellation(t *testing.T) {
	f := newFakeManager(t)
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, 400, map[string]any{"title": "Bad Request", "detail": "bad q"})
	})
	c := testClient(t, f, func(cfg *Config) {
		cfg.CacheTTL = -1
		cfg.Breaker = BreakerSettings{Failures: 2, OpenTimeout: time.Minute}
	})
	for range 5 {
		_, _ = c.ListAgents(context.Background(), AgentFilter{})
	}
	if c.breaker.state() != "closed" {
		t.Fatalf("4xx answers opened the breaker")
	}
}

func TestRequestBudget(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
	var waited atomic.Int64
	c := testClient(t, f, func(cfg *Config) {
		cfg.RequestsPerMinute = 60 // 1/s, burst 6
		cfg.CacheTTL = -1
		cfg.Observer = ObserverFuncs{BudgetWait: func(d time.Duration) { waited.Add(int64(d)) }}
	})
	ctx := context.Background()
	// 1 login + 5 reads use the burst of 6.
	for i := range 5 {
		if _, err := c.ListAgents(ctx, AgentFilter{Offset: i}); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListAgents(short, AgentFilter{Offset: 99})
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "60 requests/min") {
		t.Fatalf("err = %v, want budget ErrRateLimited", err)
	}
	if el := time.Since(start); el > 80*time.Millisecond {
		t.Fatalf("budget refusal took %v; it must fail at once when the deadline cannot be met", el)
	}
	// With enough time the call waits for its slot (~1s).
	start = time.Now()
	long, cancel2 := context.WithTimeout(ctx, 3*time.Second)
	defer cancel2()
	if _, err := c.ListAgents(long, AgentFilter{Offset: 100}); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 700*time.Millisecond {
		t.Fatalf("call did not wait for the budget (%v)", el)
	}
	if waited.Load() == 0 {
		t.Fatal("BudgetWait not observed")
	}
	if f.total.Load() != 7 {
		t.Fatalf("server saw %d requests, want 7", f.total.Load())
	}
}

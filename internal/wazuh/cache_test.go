package wazuh

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestIdenticalReadsAreCoalesced(t *testing.T) {
	f := newFakeManager(t)
	release := make(chan struct{})
	f.handle("/rules", func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]map[string]any{{"id": 1001, "level": 2}}, 1, 0, nil)))
	})
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 }) // coalescing alone
	if _, err := c.tokens.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 50 {
		wg.Go(func() {
			p, err := c.Rules(context.Background(), ListOptions{Limit: 10})
			if err != nil || len(p.Items) != 1 || p.Items[0].ID != 1001 {
				failures.Add(1)
			}
		})
	}
	time.Sleep(100 * time.Millisecond) // let every caller join the flight
	close(release)
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d callers failed", failures.Load())
	}
	if h := f.hitsFor("/rules"); h != 1 {
		t.Fatalf("backend requests = %d, want 1", h)
	}
}

func TestCoalescedFollowerSurvivesLeaderCancel(t *testing.T) {
	f := newFakeManager(t)
	f.handle("/rules", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(150 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]any{}, 0, 0, nil)))
	})
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
	if _, err := c.tokens.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan error, 1)
	go func() { _, err := c.Rules(leaderCtx, ListOptions{}); leaderDone <- err }()
	time.Sleep(30 * time.Millisecond)
	followerDone := make(chan error, 1)
	go func() { _, err := c.Rules(context.Background(), ListOptions{}); followerDone <- err }()
	time.Sleep(30 * time.Millisecond)
	cancel()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader err = %v", err)
	}
	if err := <-followerDone; err != nil {
		t.Fatalf("follower inherited the leader's cancellation: %v", err)
	}
}

func TestRulesSummaryBurstCostsAtMostTwoRequests(t *testing.T) {
	f := newFakeManager(t)
	f.handle("/rules", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]map[string]any{{"id": 1001}}, 4000, 0, nil)))
	})
	c := testClient(t, f, nil) // default cache
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if _, err := c.Rules(context.Background(), ListOptions{Limit: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.total.Load(); n > 2 {
		t.Fatalf("Manager requests = %d, want ≤ 2 (login + one /rules)", n)
	}
}

func TestCacheTTL(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/rules", envelopeOf([]any{}, 0, 0, nil))
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
	f.handle("/decoders", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, 400, map[string]any{"title": "Bad Request", "detail": "x"})
	})
	f.handleJSON("/lists", envelopeOf([]any{}, 0, 1, []map[string]any{{"error": map[string]any{"code": 1802, "message": "x"}, "id": []string{"a"}}}))
	var cachedHits atomic.Int32
	c := testClient(t, f, func(cfg *Config) {
		cfg.CacheTTL = 300 * time.Millisecond
		cfg.FastCacheTTL = 100 * time.Millisecond
		cfg.Observer = ObserverFuncs{Request: func(_, _ string, _ int, _ time.Duration, cached bool) {
			if cached {
				cachedHits.Add(1)
			}
		}}
	})
	ctx := context.Background()
	for range 3 {
		_, _ = c.Rules(ctx, ListOptions{})
		_, _ = c.ListAgents(ctx, AgentFilter{})
		_, _ = c.Decoders(ctx, ListOptions{})
		_, _ = c.Lists(ctx, ListOptions{})
	}
	if f.hitsFor("/rules") != 1 || f.hitsFor("/agents") != 1 {
		t.Fatalf("rules %d agents %d, want 1 each", f.hitsFor("/rules"), f.hitsFor("/agents"))
	}
	if f.hitsFor("/decoders") != 3 || f.hitsFor("/lists") != 3 {
		t.Fatalf("errors were cached: decoders %d lists %d", f.hitsFor("/decoders"), f.hitsFor("/lists"))
	}
	if cachedHits.Load() != 4 {
		t.Fatalf("cached observations = %d", cachedHits.Load())
	}
	// Different query, different entry; same query in another order, same entry.
	_, _ = c.Rules(ctx, ListOptions{Params: map[string][]string{"level": {"3"}, "group": {"web"}}})
	_, _ = c.Rules(ctx, ListOptions{Params: map[string][]string{"group": {"web"}, "level": {"3"}}})
	if f.hitsFor("/rules") != 2 {
		t.Fatalf("rules hits = %d, want 2", f.hitsFor("/rules"))
	}
	time.Sleep(150 * time.Millisecond) // fast TTL expired, slow TTL not
	_, _ = c.Rules(ctx, ListOptions{})
	_, _ = c.ListAgents(ctx, AgentFilter{})
	if f.hitsFor("/rules") != 2 || f.hitsFor("/agents") != 2 {
		t.Fatalf("after fast TTL: rules %d agents %d", f.hitsFor("/rules"), f.hitsFor("/agents"))
	}
	time.Sleep(200 * time.Millisecond)
	_, _ = c.Rules(ctx, ListOptions{})
	if f.hitsFor("/rules") != 3 {
		t.Fatalf("after slow TTL: rules %d", f.hitsFor("/rules"))
	}
	// WithoutCache forces a fresh read; a write purges the cache.
	_, _ = c.Rules(WithoutCache(ctx), ListOptions{})
	if f.hitsFor("/rules") != 4 {
		t.Fatalf("WithoutCache: rules %d", f.hitsFor("/rules"))
	}
	f.handleJSON("/agents/001/restart", envelopeOf([]string{"001"}, 1, 0, nil))
	if _, err := c.RestartAgent(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Rules(ctx, ListOptions{})
	if f.hitsFor("/rules") != 5 {
		t.Fatalf("write did not purge: rules %d", f.hitsFor("/rules"))
	}
}

func TestCacheEviction(t *testing.T) {
	c := newTTLCache(3, false)
	for _, k := range []string{"a", "b", "c", "d"} {
		c.set(k, &response{status: 200}, time.Minute)
	}
	if len(c.entries) != 3 {
		t.Fatalf("entries = %d", len(c.entries))
	}
	if _, ok := c.get("a"); ok {
		t.Fatal("oldest entry kept")
	}
}

package wazuh

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// agentsFake answers GET /agents with two agents.
func agentsFake(t *testing.T) *fakeManager {
	t.Helper()
	f := newFakeManager(t)
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]map[string]any{
			{"id": "001", "name": "web-01", "group": []string{"default", "linux"}},
			{"id": "002", "name": "db-01", "group": []string{"default"}},
		}, 2, 0, nil)))
	})
	return f
}

func TestCachedListIsDecodedOnceAndCopiedOut(t *testing.T) {
	ctx := context.Background()
	fm := agentsFake(t)
	c := testClient(t, fm, nil)
	first, err := c.ListAgents(ctx, AgentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// What a caller may do to its page: reorder, overwrite, append.
	slices.Reverse(first.Items)
	first.Items[0].Name = "changed"
	first.Items = append(first.Items, Agent{ID: "999"})

	second, err := c.ListAgents(ctx, AgentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{second.Items[0].ID, second.Items[0].Name, second.Items[1].ID}; !slices.Equal(got, []string{"001", "web-01", "002"}) || len(second.Items) != 2 {
		t.Fatalf("second read sees the first caller's changes: %+v", second.Items)
	}
	if cap(second.Items) != len(second.Items) {
		t.Fatalf("items have spare capacity %d > %d: an append would be visible to other callers", cap(second.Items), len(second.Items))
	}
	// Decoded once: the nested slices are the memo's, not a second decode.
	if &first.Items[1].Group[0] != &second.Items[0].Group[0] {
		t.Fatal("the cached answer was decoded again instead of shared")
	}
	if h := fm.hitsFor("/agents"); h != 1 {
		t.Fatalf("backend requests = %d, want 1 (the second read is cached)", h)
	}
	if err := c.VerifyDecodedCache(); err != nil {
		t.Fatalf("VerifyDecodedCache after copy-level changes: %v", err)
	}
}

func TestVerifyDecodedCacheFindsSharedMutation(t *testing.T) {
	ctx := context.Background()
	c := testClient(t, agentsFake(t), nil)
	p, err := c.ListAgents(ctx, AgentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyDecodedCache(); err != nil {
		t.Fatalf("before any change: %v", err)
	}
	p.Items[0].Group[0] = "tampered" // nested: shared with every other reader
	err = c.VerifyDecodedCache()
	if err == nil || !strings.Contains(err.Error(), "GET /agents") || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("VerifyDecodedCache = %v, want an error naming GET /agents", err)
	}
}

func TestUncachedListIsDecodedPerCall(t *testing.T) {
	ctx := context.Background()
	c := testClient(t, agentsFake(t), func(cfg *Config) { cfg.CacheTTL = -1 })
	a, err := c.ListAgents(ctx, AgentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.ListAgents(ctx, AgentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if &a.Items[0].Group[0] == &b.Items[0].Group[0] {
		t.Fatal("two uncached reads share one decode")
	}
}

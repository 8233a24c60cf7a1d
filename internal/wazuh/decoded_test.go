package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// countedItem counts how often it is decoded; the first decode is slow, so
// that readers arriving together find it under way. "bad" fails to decode.
type countedItem struct{ Tags []string }

var countedDecodes atomic.Int32

func (c *countedItem) UnmarshalJSON(b []byte) error {
	if countedDecodes.Add(1) == 1 {
		time.Sleep(50 * time.Millisecond)
	}
	if string(b) == `"bad"` {
		return errors.New("bad item")
	}
	return json.Unmarshal(b, &c.Tags)
}

func TestConcurrentFirstReadersDecodeOnce(t *testing.T) {
	const readers = 20
	countedDecodes.Store(0)
	fm := newFakeManager(t)
	fm.handleJSON("/agents", envelopeOf([][]string{{"a", "b"}}, 1, 0, nil))
	c := testClient(t, fm, nil)
	start := make(chan struct{})
	pages := make([]Page[countedItem], readers)
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			<-start
			pages[i], errs[i] = List[countedItem](context.Background(), c, "/agents", nil, nil)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil || len(pages[i].Items) != 1 || &pages[i].Items[0].Tags[0] != &pages[0].Items[0].Tags[0] {
			t.Fatalf("reader %d: %+v, %v; want the one shared decode", i, pages[i], err)
		}
	}
	if n := countedDecodes.Load(); n != 1 {
		t.Fatalf("%d concurrent first readers decoded the cached answer %d times, want 1", readers, n)
	}
}

// TestDecodeSharedOnlyForCachedAnswers: an answer in the cache is decoded
// once per type, errors included (its body never changes); any other
// answer (a coalesced but uncached read) is decoded per call and nothing of
// it is kept or shared.
func TestDecodeSharedOnlyForCachedAnswers(t *testing.T) {
	good, bad := envelopeOf([][]string{{"a"}}, 1, 0, nil), envelopeOf([]string{"bad"}, 1, 0, nil)
	tests := []struct {
		name        string
		shared      bool
		body        string
		wantErr     bool
		wantDecodes int32
	}{
		{"cached", true, good, false, 1},
		{"cached error", true, bad, true, 1},
		{"not cached", false, good, false, 2},
		{"not cached error", false, bad, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One decode of the body unmarshals the item once, or twice when
			// it fails (the one-pass decode, then the stepwise one).
			countedDecodes.Store(1) // past the slow first decode
			_, _ = decodePage[countedItem]("GET", "/agents", []byte(tt.body))
			unit := countedDecodes.Swap(1) - 1
			resp := &response{status: 200, contentType: "application/json", body: []byte(tt.body), shared: tt.shared}
			a, aerr := decodeShared[countedItem]("GET", "/agents", resp)
			b, berr := decodeShared[countedItem]("GET", "/agents", resp)
			if (aerr != nil) != tt.wantErr || (berr != nil) != tt.wantErr {
				t.Fatalf("errors %v, %v; want error %t", aerr, berr, tt.wantErr)
			}
			if n := (countedDecodes.Load() - 1) / unit; n != tt.wantDecodes {
				t.Errorf("two calls decoded the body %d times, want %d", n, tt.wantDecodes)
			}
			if !tt.wantErr && (&a.Items[0].Tags[0] == &b.Items[0].Tags[0]) != tt.shared {
				t.Errorf("items shared between calls = %t, want %t", !tt.shared, tt.shared)
			}
			kept := 0
			resp.decoded.m.Range(func(any, any) bool { kept++; return true })
			if want := map[bool]int{true: 1, false: 0}[tt.shared]; kept != want {
				t.Errorf("%d decodes kept on the answer, want %d", kept, want)
			}
		})
	}
}

// TestVerifyDecodedCacheAfterTheAnswerLeft: a caller that changed a shared
// decode is still caught once the answer has left the cache, when
// VerifyShared keeps such answers; without it nothing is kept.
func TestVerifyDecodedCacheAfterTheAnswerLeft(t *testing.T) {
	ctx := context.Background()
	leave := map[string]func(c *Client){
		"purged (as by a write)": func(c *Client) { c.cache.purge() },
		"replaced by a re-read": func(c *Client) {
			if _, err := c.ListAgents(WithoutCache(ctx), AgentFilter{}); err != nil {
				t.Fatal(err)
			}
		},
		"expired": func(c *Client) {
			time.Sleep(20 * time.Millisecond)
			if _, err := c.ListAgents(ctx, AgentFilter{}); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, leave := range leave {
		for _, verifyShared := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/VerifyShared=%t", name, verifyShared), func(t *testing.T) {
				c := testClient(t, agentsFake(t), func(cfg *Config) {
					cfg.FastCacheTTL = 10 * time.Millisecond
					cfg.VerifyShared = verifyShared
				})
				p, err := c.ListAgents(ctx, AgentFilter{})
				if err != nil {
					t.Fatal(err)
				}
				p.Items[0].Group[0] = "tampered"
				leave(c)
				err = c.VerifyDecodedCache()
				if caught := err != nil; caught != verifyShared {
					t.Fatalf("VerifyDecodedCache = %v, want an error %t", err, verifyShared)
				}
				if n := len(c.cache.retired); (n > 0) != verifyShared {
					t.Fatalf("%d answers kept, want some only with VerifyShared", n)
				}
			})
		}
	}
}

package wazuh

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultCacheEntries bounds the cache; entries are whole response bodies.
const defaultCacheEntries = 512

// maxRetired bounds the answers kept for VerifyDecodedCache after they left
// the cache (Config.VerifyShared); the oldest go first.
const maxRetired = 1024

// ttlCache holds successful read responses for a short time. Values are
// immutable *response, shared by all readers.
type ttlCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]cacheEntry
	// keepRetired (Config.VerifyShared) keeps answers that left the cache in
	// retired, because callers that read them before may still hold and
	// change their shared decodes.
	keepRetired bool
	retired     []*response
}

type cacheEntry struct {
	resp    *response
	expires time.Time
}

func newTTLCache(max int, keepRetired bool) *ttlCache {
	return &ttlCache{max: max, entries: make(map[string]cacheEntry), keepRetired: keepRetired}
}

// drop removes key; c.mu is held.
func (c *ttlCache) drop(key string) {
	if e, ok := c.entries[key]; ok {
		c.retire(e.resp)
		delete(c.entries, key)
	}
}

// retire keeps resp for verifyDecoded when asked to; c.mu is held.
func (c *ttlCache) retire(resp *response) {
	if !c.keepRetired {
		return
	}
	if len(c.retired) >= maxRetired {
		c.retired = slices.Delete(c.retired, 0, 1)
	}
	c.retired = append(c.retired, resp)
}

func (c *ttlCache) get(key string) (*response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		c.drop(key)
		return nil, false
	}
	return e.resp, true
}

func (c *ttlCache) set(key string, resp *response, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop(key) // a replaced answer may still be held by its readers
	if len(c.entries) >= c.max {
		c.evict()
	}
	c.entries[key] = cacheEntry{resp: resp, expires: time.Now().Add(ttl)}
}

// evict drops expired entries, then, if still full, the entry closest to expiry.
func (c *ttlCache) evict() {
	now := time.Now()
	var oldestKey string
	var oldest time.Time
	for k, e := range c.entries {
		if now.After(e.expires) {
			c.drop(k)
			continue
		}
		if oldestKey == "" || e.expires.Before(oldest) {
			oldestKey, oldest = k, e.expires
		}
	}
	if len(c.entries) >= c.max && oldestKey != "" {
		c.drop(oldestKey)
	}
}

// verifyDecoded checks the typed decodes of every cached answer, and of
// the retired ones if kept (see decodedPages.verify).
func (c *ttlCache) verifyDecoded() error {
	c.mu.Lock()
	resps := make([]*response, 0, len(c.entries)+len(c.retired))
	for _, e := range c.entries {
		resps = append(resps, e.resp)
	}
	resps = append(resps, c.retired...)
	c.mu.Unlock()
	for _, r := range resps {
		if err := r.decoded.verify(); err != nil {
			return err
		}
	}
	return nil
}

func (c *ttlCache) purge() {
	c.mu.Lock()
	for k := range c.entries {
		c.drop(k)
	}
	c.mu.Unlock()
}

// slowPrefixes are endpoints whose answers change only on configuration or
// ruleset changes; they get the long TTL. Everything else gets the short one.
var slowPrefixes = []string{
	"/rules", "/decoders", "/lists", "/mitre",
	"/manager/info", "/manager/configuration", "/manager/api/config",
	"/cluster/status", "/cluster/nodes", "/cluster/local", "/cluster/api/config",
}

// ttlFor returns how long a read of endpoint may be cached (0 = not cached).
func (c *Client) ttlFor(endpoint string) time.Duration {
	if c.cfg.CacheTTL < 0 {
		return 0
	}
	if endpoint == infoEndpoint {
		return c.cfg.CacheTTL
	}
	for _, p := range slowPrefixes {
		if strings.HasPrefix(endpoint, p) {
			return c.cfg.CacheTTL
		}
	}
	return max(c.cfg.FastCacheTTL, 0)
}

// VerifyDecodedCache checks that no caller changed the decoded items that
// List shares between the calls reading one cached answer: each is compared
// with a fresh decode of its body. Tests run it after exercising tools;
// it costs a decode per cached answer. Answers that already left the cache
// (a write purges it; a re-read replaces an entry; entries expire) are
// checked only with Config.VerifyShared, which keeps the last 1024 of them.
func (c *Client) VerifyDecodedCache() error {
	return c.cache.verifyDecoded()
}

type noCacheKey struct{}

// WithoutCache returns a context whose reads skip the cache (they are still
// coalesced with identical reads in flight). Use it when a call must see the
// effect of a write, e.g. a verification after an active response.
func WithoutCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, noCacheKey{}, true)
}

func bypassCache(ctx context.Context) bool {
	v, _ := ctx.Value(noCacheKey{}).(bool)
	return v
}

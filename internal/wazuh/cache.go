package wazuh

import (
	"context"
	"strings"
	"sync"
	"time"
)

// defaultCacheEntries bounds the cache; entries are whole response bodies.
const defaultCacheEntries = 512

// ttlCache holds successful read responses for a short time. Values are
// immutable *response, shared by all readers.
type ttlCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]cacheEntry
}

type cacheEntry struct {
	resp    *response
	expires time.Time
}

func newTTLCache(max int) *ttlCache {
	return &ttlCache{max: max, entries: make(map[string]cacheEntry)}
}

func (c *ttlCache) get(key string) (*response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if time.Now().After(e.expires) {
		delete(c.entries, key)
		return nil, false
	}
	return e.resp, true
}

func (c *ttlCache) set(key string, resp *response, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
			delete(c.entries, k)
			continue
		}
		if oldestKey == "" || e.expires.Before(oldest) {
			oldestKey, oldest = k, e.expires
		}
	}
	if len(c.entries) >= c.max && oldestKey != "" {
		delete(c.entries, oldestKey)
	}
}

// verifyDecoded checks the typed decodes of every cached answer (see
// decodedPages.verify).
func (c *ttlCache) verifyDecoded() error {
	c.mu.Lock()
	resps := make([]*response, 0, len(c.entries))
	for _, e := range c.entries {
		resps = append(resps, e.resp)
	}
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
	clear(c.entries)
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
// it costs a decode per cached answer.
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

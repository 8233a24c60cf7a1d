package manager

import (
	"net/http"
	"sync"
)

// Stats counts what the stand-in received, so benchmarks can assert
// request budgets ("≤ N Manager requests", "no 429").
type Stats struct {
	TotalRequests int            `json:"total_requests"`
	ByPath        map[string]int `json:"by_path"` // "METHOD /path" as received
	Logins        int            `json:"logins"`  // successful logins
	RateLimited   int            `json:"rate_limited"`
	Unauthorized  int            `json:"unauthorized"`
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func newStatsCounter() *statsCounter {
	return &statsCounter{s: Stats{ByPath: map[string]int{}}}
}

func (c *statsCounter) request(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.TotalRequests++
	c.s.ByPath[r.Method+" "+r.URL.Path]++
}

func (c *statsCounter) login() { c.add(func(s *Stats) { s.Logins++ }) }

func (c *statsCounter) rateLimited() { c.add(func(s *Stats) { s.RateLimited++ }) }

func (c *statsCounter) unauthorized() { c.add(func(s *Stats) { s.Unauthorized++ }) }

func (c *statsCounter) add(f func(*Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.s)
}

// snapshot returns a copy safe to read while requests continue.
func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByPath = make(map[string]int, len(c.s.ByPath))
	for k, v := range c.s.ByPath {
		out.ByPath[k] = v
	}
	return out
}

func (c *statsCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = Stats{ByPath: map[string]int{}}
}

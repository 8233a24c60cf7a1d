package manager

import (
	"net/http"
	"sync"
	"time"
)

// Stats counts what the stand-in received, so benchmarks can assert
// request budgets ("≤ N Manager requests", "no 429").
type Stats struct {
	TotalRequests int            `json:"total_requests"`
	ByPath        map[string]int `json:"by_path"` // "METHOD /path" as received
	Logins        int            `json:"logins"`  // successful logins
	RateLimited   int            `json:"rate_limited"`
	Unauthorized  int            `json:"unauthorized"`
	// PeakPerMinute is the most requests (rate-limited ones included)
	// received in any 60-second window, sliding in one-second steps: the
	// figure to hold against the Manager's 300 requests/min.
	PeakPerMinute int `json:"peak_per_minute"`
}

type statsCounter struct {
	mu  sync.Mutex
	s   Stats
	now func() time.Time
	win minuteWindow
}

func newStatsCounter(now func() time.Time) *statsCounter {
	if now == nil {
		now = time.Now
	}
	return &statsCounter{s: Stats{ByPath: map[string]int{}}, now: now}
}

func (c *statsCounter) request(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.TotalRequests++
	c.s.ByPath[r.Method+" "+r.URL.Path]++
	c.s.PeakPerMinute = max(c.s.PeakPerMinute, c.win.add(c.now().Unix()))
}

// minuteWindow counts requests per second over the last 60 seconds.
type minuteWindow struct {
	sec   [60]int64 // the second each bucket holds
	count [60]int
}

// add counts one request at second t and returns the requests in the
// 60 seconds ending at t (t-59 .. t).
func (w *minuteWindow) add(t int64) int {
	i := int(((t % 60) + 60) % 60)
	if w.sec[i] != t {
		w.sec[i], w.count[i] = t, 0
	}
	w.count[i]++
	sum := 0
	for j := range w.sec {
		if w.sec[j] > t-60 && w.sec[j] <= t {
			sum += w.count[j]
		}
	}
	return sum
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
	c.win = minuteWindow{}
}

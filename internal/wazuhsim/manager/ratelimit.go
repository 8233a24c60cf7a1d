package manager

import (
	"sync"
	"time"
)

// rateLimiter reproduces the real API's global limit
// (api/api/middlewares.py check_rate_limit): one counter shared by all
// clients, a fixed one-minute window that opens with the first request,
// and every request (rejected ones included) counted. The request that
// takes the counter past max gets 429 / 6001.
type rateLimiter struct {
	mu      sync.Mutex
	max     int
	count   int
	started time.Time
	now     func() time.Time
}

func newRateLimiter(max int, now func() time.Time) *rateLimiter {
	return &rateLimiter{max: max, now: now}
}

// allow counts one request and reports whether it is within the limit.
func (l *rateLimiter) allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max <= 0 {
		return true
	}
	now := l.now()
	if l.started.IsZero() || now.Sub(l.started) > time.Minute {
		l.started, l.count = now, 0
	}
	l.count++
	return l.count <= l.max
}

func (l *rateLimiter) setMax(max int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.max = max
}

// retryAfter is how long until the current window closes.
func (l *rateLimiter) retryAfter() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := time.Minute - l.now().Sub(l.started)
	if d < time.Second {
		d = time.Second
	}
	return d
}

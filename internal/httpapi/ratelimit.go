package httpapi

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimits configures the token buckets. A rate of 0 disables that limit.
type RateLimits struct {
	PerMinute   int // per principal (authenticated caller)
	Burst       int // bucket size of the per-principal limit (and per-IP unless IPBurst)
	IPPerMinute int // per client IP, before authentication
	IPBurst     int // bucket size of the per-IP limit (default Burst)
	// AuthFailuresPerMinute is how many rejected credentials (a token
	// presented but invalid, expired or revoked; not a request without one)
	// one client IP may send per minute; beyond it every request from that
	// IP gets 429 until the bucket refills.
	AuthFailuresPerMinute int
	// MaxKeys bounds the buckets kept per kind (default 50,000); idle ones
	// are evicted after IdleTTL (default 10 minutes). While the map is
	// full, new keys share one overflow bucket and idle ones are looked
	// for at most once a second.
	MaxKeys int
	IdleTTL time.Duration
}

// RateLimiter holds per-IP, per-principal and failed-authentication token
// buckets with bounded memory. It is safe for concurrent use.
type RateLimiter struct {
	ip, principal, authFail *buckets
	now                     func() time.Time
	// onReject is told the scope of each 429 (for metrics).
	onReject func(scope string)
}

// NewRateLimiter builds the limiter.
func NewRateLimiter(l RateLimits) *RateLimiter {
	if l.MaxKeys <= 0 {
		l.MaxKeys = 50_000
	}
	if l.IdleTTL <= 0 {
		l.IdleTTL = 10 * time.Minute
	}
	burst := max(l.Burst, 1)
	rl := &RateLimiter{now: time.Now}
	ipBurst := burst
	if l.IPBurst > 0 {
		ipBurst = l.IPBurst
	}
	rl.ip = newBuckets(l.IPPerMinute, ipBurst, l.MaxKeys, l.IdleTTL)
	rl.principal = newBuckets(l.PerMinute, burst, l.MaxKeys, l.IdleTTL)
	rl.authFail = newBuckets(l.AuthFailuresPerMinute, max(l.AuthFailuresPerMinute, 1), l.MaxKeys, l.IdleTTL)
	return rl
}

// FailedAuth records one rejected credential from ip. The server's
// authentication calls it (authLayer.fail); a custom Options.Authenticate
// must call it itself.
func (rl *RateLimiter) FailedAuth(ip string) {
	if rl != nil && rl.authFail != nil {
		rl.authFail.take(ip, rl.now())
	}
}

// limitIP guards every route but the probes: first the failed-auth bucket
// (a client that keeps guessing keys is shut out for a while), then the
// per-IP bucket. Failures are counted where their reason is known
// (FailedAuth), not from 401 answers: a request without credentials (OAuth
// discovery) or the approval page's sign-in form is no guess.
func (rl *RateLimiter) limitIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" || r.URL.Path == "/ready" {
			next.ServeHTTP(w, r) // probes must not fail because a client floods
			return
		}
		ip := ClientIP(r.Context())
		now := rl.now()
		if wait := rl.authFail.blocked(ip, now); wait > 0 {
			rl.reject(w, r, "auth_failures", wait, "too many failed authentication attempts from this address")
			return
		}
		if wait := rl.ip.take(ip, now); wait > 0 {
			rl.reject(w, r, "ip", wait, "too many requests from this address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitPrincipal guards authenticated routes per principal; key returns
// the principal of the request ("" = anonymous: only the IP limit applies).
func (rl *RateLimiter) limitPrincipal(key func(*http.Request) string, next http.Handler) http.Handler {
	if rl == nil || rl.principal == nil || key == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := key(r); p != "" {
			if wait := rl.principal.take(p, rl.now()); wait > 0 {
				rl.reject(w, r, "principal", wait, "too many requests for this caller")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (rl *RateLimiter) reject(w http.ResponseWriter, r *http.Request, scope string, wait time.Duration, msg string) {
	if rl.onReject != nil {
		rl.onReject(scope)
	}
	refuse(w, r, http.StatusTooManyRequests, codeRateLimited,
		fmt.Sprintf("rate limit exceeded: %s; retry after %ds", msg, retryAfterSeconds(wait)), wait)
}

// buckets is a bounded map of token buckets keyed by IP or principal.
type buckets struct {
	limit   rate.Limit
	burst   int
	maxKeys int
	idle    time.Duration

	mu        sync.Mutex
	m         map[string]*bucket
	lastSweep time.Time
	sweeps    int // full scans done (for tests)
	// overflow is shared by new keys while the map is full of active keys,
	// so an address-spraying flood is still limited and memory stays bounded.
	overflow *rate.Limiter
}

// fullSweepGap is how often a full map is swept for idle buckets.
const fullSweepGap = time.Second

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newBuckets(perMinute, burst, maxKeys int, idle time.Duration) *buckets {
	if perMinute <= 0 {
		return nil
	}
	lim := rate.Limit(float64(perMinute) / 60)
	return &buckets{limit: lim, burst: burst, maxKeys: maxKeys, idle: idle,
		m: map[string]*bucket{}, overflow: rate.NewLimiter(lim, burst)}
}

// get returns the bucket for key, creating it (and evicting idle buckets)
// as needed. Called with b.mu held.
func (b *buckets) get(key string, now time.Time) *rate.Limiter {
	if e, ok := b.m[key]; ok {
		e.seen = now
		return e.lim
	}
	// A sweep scans the whole map under the lock, so it runs at most once
	// per idle/4, or once a second while the map is full: a flood of new
	// addresses then costs one scan a second, not one per request. Until
	// the next sweep, new keys share the overflow bucket.
	since := now.Sub(b.lastSweep)
	if since > b.idle/4 || (len(b.m) >= b.maxKeys && since >= fullSweepGap) {
		b.sweep(now)
	}
	if len(b.m) >= b.maxKeys {
		return b.overflow
	}
	e := &bucket{lim: rate.NewLimiter(b.limit, b.burst), seen: now}
	b.m[key] = e
	return e.lim
}

// sweep drops buckets idle for longer than the TTL; such a bucket is full
// again anyway, so forgetting it loses nothing.
func (b *buckets) sweep(now time.Time) {
	b.lastSweep = now
	b.sweeps++
	for k, e := range b.m {
		if now.Sub(e.seen) > b.idle {
			delete(b.m, k)
		}
	}
}

// take consumes one token for key; it returns 0 when allowed, else how long
// until a token is available (nothing is consumed then).
func (b *buckets) take(key string, now time.Time) time.Duration {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	lim := b.get(key, now)
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// blocked reports how long key must wait for one token, without taking it.
func (b *buckets) blocked(key string, now time.Time) time.Duration {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.m[key]
	if !ok {
		return 0
	}
	if tokens := e.lim.TokensAt(now); tokens < 1 {
		return time.Duration((1 - tokens) / float64(b.limit) * float64(time.Second))
	}
	return 0
}

// size is the number of buckets held (for tests).
func (b *buckets) size() int {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

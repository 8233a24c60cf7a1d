// Package faults injects failures into the stand-in's HTTP servers so that
// resilience tests can exercise latency, 5xx bursts, 429 storms and dropped
// connections against the real client code.
package faults

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Settings are the knobs. Rates are probabilities in [0,1]. Count-based
// knobs (Next5xx, Next429, NextDrops) fail exactly that many upcoming
// requests, which makes tests deterministic.
type Settings struct {
	Latency      time.Duration // added before every request
	Rate5xx      float64       // probability of a 503
	Rate429      float64       // probability of a 429
	DropRate     float64       // probability of closing the connection without an answer
	Next5xx      int
	Next429      int
	NextDrops    int
	RetryAfter   time.Duration // Retry-After sent with injected 429s (default 1s)
	ExcludePaths []string      // paths never faulted (e.g. the login endpoint)
	// RateWindow, when positive, ends the rate-based faults (Rate5xx,
	// Rate429, DropRate) this long after the first request that met them:
	// a storm of known length, measured where the requests arrive, so a
	// client that waits as asked is past it whatever its own speed.
	RateWindow time.Duration
}

// Injector applies Settings to requests. The zero value injects nothing.
type Injector struct {
	mu   sync.Mutex
	s    Settings
	rng  *rand.Rand
	seen []Received // every request that reached the middleware, oldest first
	// windowStart is when the first request met the current settings
	// (RateWindow); Set clears it.
	windowStart time.Time
}

// Received is one request as it reached the server, before any fault:
// tests read when requests arrived (a retry honouring Retry-After comes
// at least that long after the 429) and count what the backend really
// got, faulted requests included (the API's own Stats only count the
// requests that passed).
type Received struct {
	Time   time.Time
	Method string
	Path   string
	Query  string // raw query: tells concurrent calls of one endpoint apart
	Fault  Fault
}

// maxReceived bounds the record for long runs (sim, demo, soak): the oldest
// half is dropped when it is full.
const maxReceived = 100_000

// Received returns the requests received since the start or the last
// ResetReceived, oldest first.
func (i *Injector) Received() []Received {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]Received(nil), i.seen...)
}

// ResetReceived forgets the received requests.
func (i *Injector) ResetReceived() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.seen = nil
}

// New returns an injector whose random draws are deterministic for seed.
func New(seed uint64) *Injector {
	return &Injector{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Set replaces the settings.
func (i *Injector) Set(s Settings) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.s = s
	i.windowStart = time.Time{}
}

// Get returns the current settings.
func (i *Injector) Get() Settings {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.s
}

// Reset clears every fault.
func (i *Injector) Reset() { i.Set(Settings{}) }

// Fault is the decision for one request.
type Fault int

const (
	None Fault = iota
	Status5xx
	Status429
	Drop
)

// decide draws the fault for one request, consumes count-based knobs and
// records the request with its fault.
func (i *Injector) decide(method, path, query string) (Fault, time.Duration, time.Duration) {
	now := time.Now()
	i.mu.Lock()
	defer i.mu.Unlock()
	f, latency, retry := i.draw(path, now)
	if len(i.seen) >= maxReceived {
		i.seen = append(i.seen[:0], i.seen[maxReceived/2:]...)
	}
	i.seen = append(i.seen, Received{Time: now, Method: method, Path: path, Query: query, Fault: f})
	return f, latency, retry
}

// draw is decide's choice; i.mu is held.
func (i *Injector) draw(path string, now time.Time) (Fault, time.Duration, time.Duration) {
	s := &i.s
	for _, p := range s.ExcludePaths {
		if p == path {
			return None, s.Latency, 0
		}
	}
	retry := s.RetryAfter
	if retry <= 0 {
		retry = time.Second
	}
	switch {
	case s.NextDrops > 0:
		s.NextDrops--
		return Drop, s.Latency, 0
	case s.Next5xx > 0:
		s.Next5xx--
		return Status5xx, s.Latency, 0
	case s.Next429 > 0:
		s.Next429--
		return Status429, s.Latency, retry
	}
	if s.RateWindow > 0 {
		if i.windowStart.IsZero() {
			i.windowStart = now
		}
		if now.Sub(i.windowStart) > s.RateWindow {
			return None, s.Latency, 0
		}
	}
	if i.rng == nil {
		i.rng = rand.New(rand.NewPCG(1, 2))
	}
	r := i.rng.Float64()
	switch {
	case r < s.DropRate:
		return Drop, s.Latency, 0
	case r < s.DropRate+s.Rate5xx:
		return Status5xx, s.Latency, 0
	case r < s.DropRate+s.Rate5xx+s.Rate429:
		return Status429, s.Latency, retry
	}
	return None, s.Latency, 0
}

// Middleware wraps next. onError writes the server-specific error body for
// an injected status (the Manager answers problem+json, the indexer its own
// error JSON); it must set the status code itself.
func (i *Injector) Middleware(next http.Handler, onError func(w http.ResponseWriter, status int)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fault, latency, retry := i.decide(r.Method, r.URL.Path, r.URL.RawQuery)
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		switch fault {
		case Drop:
			dropConnection(w)
		case Status5xx:
			onError(w, http.StatusServiceUnavailable)
		case Status429:
			w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
			onError(w, http.StatusTooManyRequests)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// dropConnection closes the TCP connection without writing a response, as a
// crashed proxy or reset would.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection quietly
}

package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// ReadyCheck is one backend /ready probes.
type ReadyCheck struct {
	Name string // "manager", "indexer"
	// Check probes the backend cheaply; its error text is shown to anyone
	// who can reach /ready, so it must be short and hold no address or
	// credential. nil means the backend is not configured.
	Check func(context.Context) error
	// Optional backends are reported but do not make the server unready
	// when they are not configured. A configured backend that fails always
	// makes it unready.
	Optional bool
}

// readiness answers /ready: 200 when every configured backend answers, 503
// with the reasons otherwise. Results are cached for ttl so that probes and
// floods cost the backends at most one call per backend per ttl.
type readiness struct {
	checks  []ReadyCheck
	ttl     time.Duration
	timeout time.Duration
	now     func() time.Time

	mu     sync.Mutex // held during a probe: concurrent callers share it
	at     time.Time
	cached readyReport
}

type readyReport struct {
	Status string                 `json:"status"` // ready | not_ready
	Checks map[string]checkReport `json:"checks"`
}

type checkReport struct {
	Status    string `json:"status"` // ok | failing | not_configured
	Error     string `json:"error,omitempty"`
	LatencyMS int64  `json:"latency_ms,omitempty"`
}

func newReadiness(checks []ReadyCheck, ttl time.Duration) *readiness {
	if ttl <= 0 {
		ttl = 5 * time.Second
	}
	return &readiness{checks: checks, ttl: ttl, timeout: 3 * time.Second, now: time.Now}
}

func (rd *readiness) report(ctx context.Context) readyReport {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if !rd.at.IsZero() && rd.now().Sub(rd.at) < rd.ttl {
		return rd.cached
	}
	rep := readyReport{Status: "ready", Checks: map[string]checkReport{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range rd.checks {
		if c.Check == nil {
			mu.Lock()
			rep.Checks[c.Name] = checkReport{Status: "not_configured"}
			if !c.Optional {
				rep.Status = "not_ready"
			}
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Detached from the caller: a probe that gave up must not
			// poison the cached answer for the others.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rd.timeout)
			defer cancel()
			start := time.Now()
			err := c.Check(cctx)
			cr := checkReport{Status: "ok", LatencyMS: time.Since(start).Milliseconds()}
			if err != nil {
				cr = checkReport{Status: "failing", Error: clip(err.Error(), 200)}
			}
			mu.Lock()
			defer mu.Unlock()
			rep.Checks[c.Name] = cr
			if err != nil {
				rep.Status = "not_ready"
			}
		}()
	}
	wg.Wait()
	rd.at, rd.cached = rd.now(), rep
	return rep
}

func (rd *readiness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := rd.report(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if rep.Status != "ready" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(rep)
}

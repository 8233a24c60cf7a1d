package manager

import (
	"sync"
	"time"
)

// RecordedRequest is one state-changing request the stand-in received
// (active response, agent restart), kept so tests can assert exactly what
// the client sent to the fleet.
type RecordedRequest struct {
	Time   time.Time           `json:"time"`
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  map[string][]string `json:"query"`
	Body   string              `json:"body"`
	User   string              `json:"user"`
	// Status is the HTTP status answered; Affected and Failed the agent ids.
	Status   int      `json:"status"`
	Affected []string `json:"affected"`
	Failed   []string `json:"failed"`
}

type recorder struct {
	mu   sync.Mutex
	reqs []RecordedRequest
}

func (r *recorder) add(rr RecordedRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, rr)
}

func (r *recorder) all() []RecordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RecordedRequest(nil), r.reqs...)
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = nil
}

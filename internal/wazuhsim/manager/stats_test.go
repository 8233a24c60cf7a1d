package manager

import (
	"net/http"
	"testing"
	"time"
)

// TestStatsPeakPerMinute: the peak counts every request (429s included) in
// the busiest 60-second window, sliding by seconds, and ResetStats clears it.
func TestStatsPeakPerMinute(t *testing.T) {
	s, clock := newTestServer(t, Options{MaxRequestsPerMinute: -1})
	c := newClient(t, s) // 1 request (login) at 0s
	get := func(n int) {
		for range n {
			if rec := c.do(http.MethodGet, "/manager/info", ""); rec.Code != 200 {
				t.Fatalf("GET /manager/info: %d", rec.Code)
			}
		}
	}
	get(9)                          // 10 at 0s
	clock.Advance(30 * time.Second) // 30s
	get(20)                         // window 0..30s: 30
	clock.Advance(29 * time.Second) // 59s
	get(5)                          // window 0..59s: 35
	if got := s.Stats().PeakPerMinute; got != 35 {
		t.Fatalf("peak after 59s = %d, want 35", got)
	}
	clock.Advance(time.Second) // 60s: the 10 of second 0 leave the window
	get(4)                     // window 1..60s: 20+5+4 = 29
	if got := s.Stats().PeakPerMinute; got != 35 {
		t.Fatalf("peak after 60s = %d, want 35 (the earlier window)", got)
	}
	clock.Advance(10 * time.Second) // 70s: window 11..70s holds 30s, 59s, 60s and now
	get(8)                          // 20+5+4+8 = 37
	if got := s.Stats().PeakPerMinute; got != 37 {
		t.Fatalf("peak after 70s = %d, want 37", got)
	}
	clock.Advance(5 * time.Minute) // everything old has left the window
	get(3)
	if st := s.Stats(); st.PeakPerMinute != 37 || st.TotalRequests != 50 {
		t.Fatalf("after 6 min: peak %d total %d, want 37 and 50", st.PeakPerMinute, st.TotalRequests)
	}
	s.ResetStats()
	get(2)
	if got := s.Stats().PeakPerMinute; got != 2 {
		t.Fatalf("peak after reset = %d, want 2", got)
	}
}

// TestStatsPeakCountsRateLimited: rejected requests count, as they do for
// the Manager's own limit.
func TestStatsPeakCountsRateLimited(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxRequestsPerMinute: 5})
	c := newClient(t, s)
	for range 7 {
		c.do(http.MethodGet, "/manager/info", "")
	}
	if st := s.Stats(); st.PeakPerMinute != 8 || st.RateLimited != 3 {
		t.Fatalf("peak %d rate limited %d, want 8 and 3", st.PeakPerMinute, st.RateLimited)
	}
}

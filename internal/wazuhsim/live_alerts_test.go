package wazuhsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestActiveResponseAlertsInIndexer: an active response accepted by the
// Manager API shows up in the indexer as the real alerts (rule 651 at once,
// 652 when the timeout ends), in today's alert index next to the
// generated alerts.
func TestActiveResponseAlertsInIndexer(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	clock := &testClock{t: now}
	s, err := Start(Options{Seed: 3, Alerts: 300, Now: now, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{Now: clock.Now, MaxRequestsPerMinute: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })

	count := func(rule string) (int, string) {
		body := fmt.Sprintf(`{"query":{"bool":{"filter":[{"term":{"rule.id":%q}},{"term":{"data.srcip":"203.0.113.7"}},{"range":{"timestamp":{"lte":"now"}}}]}}}`, rule)
		req, _ := http.NewRequest(http.MethodPost, s.IndexerURL+"/wazuh-alerts-4.x-*/_search", strings.NewReader(body))
		req.SetBasicAuth(IndexerUser, IndexerPassword)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			Hits struct {
				Total struct{ Value int } `json:"total"`
				Hits  []struct {
					Index string `json:"_index"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		idx := ""
		if len(out.Hits.Hits) > 0 {
			idx = out.Hits.Hits[0].Index
		}
		return out.Hits.Total.Value, idx
	}
	if n, _ := count("651"); n != 0 {
		t.Fatalf("651 before any active response: %d", n)
	}
	token := login(t, s)
	req, _ := http.NewRequest(http.MethodPut, s.ManagerURL+"/active-response?agents_list=001",
		bytes.NewReader([]byte(`{"command":"firewall-drop600","alert":{"data":{"srcip":"203.0.113.7"}}}`)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("active response: %v %v", err, res)
	}
	res.Body.Close()
	if n, idx := count("651"); n != 1 || idx != "wazuh-alerts-4.x-2026.11.21" {
		t.Fatalf("651 after the active response: %d in %q", n, idx)
	}
	if n, _ := count("652"); n != 0 {
		t.Fatalf("652 visible before the timeout: %d", n)
	}
	if got := len(s.LiveAlerts()); got != 1 {
		t.Fatalf("live alerts: %d", got)
	}
	clock.Add(600 * time.Second)
	if n, _ := count("652"); n != 1 {
		t.Fatalf("652 after the timeout: %d", n)
	}
	// The generated alerts are all still there, in order.
	total := 0
	for _, idx := range s.live.indices() {
		total += len(idx.Docs)
		for i := 1; i < len(idx.Docs); i++ {
			if alertTimeOf(idx.Docs[i]).Before(alertTimeOf(idx.Docs[i-1])) {
				t.Fatalf("%s not sorted at %d", idx.Name, i)
			}
		}
	}
	if total != len(s.Dataset.Alerts)+2 {
		t.Errorf("indexed %d alerts, want %d generated + 2 live", total, len(s.Dataset.Alerts))
	}
}

func alertTimeOf(d interface{ Values(string) []any }) time.Time {
	if v := d.Values("timestamp"); len(v) > 0 {
		if t, ok := v[0].(time.Time); ok {
			return t
		}
	}
	return time.Time{}
}

func login(t *testing.T, s *Sim) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.ManagerURL+"/security/user/authenticate", nil)
	req.SetBasicAuth(ManagerUser, ManagerPassword)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Data.Token == "" {
		t.Fatalf("login: %v", err)
	}
	return out.Data.Token
}

// TestLiveAlertsConcurrent: adding alerts while searches read the indices
// is safe, and every visible alert ends up in its day's index once.
func TestLiveAlertsConcurrent(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	base := []search.Index{search.NewTimeIndex("wazuh-alerts-4.x-2026.11.21", nil, "timestamp")}
	l := newLiveAlerts(base, func() time.Time { return now })
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 50 {
				at := now.Add(-time.Duration(w*50+i) * 10 * time.Minute) // back to 2026.11.20
				l.AddAlert(at, fmt.Sprintf("%d.%d", w, i), map[string]any{"timestamp": at.Format("2006-01-02T15:04:05.000-0700")})
				l.AddAlert(now.Add(time.Hour), fmt.Sprintf("f%d.%d", w, i), map[string]any{"timestamp": now.Add(time.Hour).Format("2006-01-02T15:04:05.000-0700")})
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				_ = l.indices()
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, idx := range l.indices() {
		n += len(idx.Docs)
		for _, d := range idx.Docs {
			if name := events.AlertIndexName(alertTimeOf(d)); name != idx.Name {
				t.Errorf("%s in %s", d.ID(), idx.Name)
			}
		}
	}
	if n != 200 || len(l.visible()) != 200 {
		t.Errorf("%d indexed, %d visible; want the 200 past alerts (not the 200 future ones)", n, len(l.visible()))
	}
}

package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Scale: get_wazuh_alert_summary computes over every alert with indexer
// aggregations (size 0), so its counts are exact at any size and what the
// server reads from the indexer does not grow with the number of alerts.
//
// The large size is 50,000 alerts by default; WAZUH_MCP_SCALE_TEST=1 (and no
// -short) makes it 200,000 (about 10 s more, ~120 MB for the stand-in).
const scaleEnv = "WAZUH_MCP_SCALE_TEST"

// countingIndexer sits between the server's indexer client and the
// stand-in and counts what the client receives from searches: response
// bytes and the documents returned as hits.
type countingIndexer struct {
	mu       sync.Mutex
	bytes    int64
	requests int
	hits     int // documents in hits.hits (top-level), all responses
	sizes    []int
	paths    []string
}

func (c *countingIndexer) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bytes, c.requests, c.hits, c.sizes, c.paths = 0, 0, 0, nil, nil
}

func (c *countingIndexer) proxy(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(resp *http.Response) error {
		if !isSearch(resp.Request) {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var r struct {
			Hits struct {
				Hits []json.RawMessage `json:"hits"`
			} `json:"hits"`
		}
		_ = json.Unmarshal(body, &r)
		c.mu.Lock()
		c.bytes += int64(len(body))
		c.requests++
		c.hits += len(r.Hits.Hits)
		c.mu.Unlock()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return nil
	}
	rp.Director = wrapDirector(rp.Director, func(r *http.Request) {
		if !isSearch(r) {
			return
		}
		c.mu.Lock()
		c.paths = append(c.paths, r.Method+" "+r.URL.Path)
		c.mu.Unlock()
		if r.Body == nil {
			return
		}
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var q struct {
			Size *int `json:"size"`
		}
		if json.Unmarshal(b, &q) == nil && q.Size != nil {
			c.mu.Lock()
			c.sizes = append(c.sizes, *q.Size)
			c.mu.Unlock()
		}
	})
	ts := httptest.NewServer(rp)
	t.Cleanup(ts.Close)
	return ts.URL
}

// isSearch tells searches from the OpenSearch client's own background
// requests (it polls /_nodes/_local/stats every few seconds).
func isSearch(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/_search") }

func wrapDirector(d func(*http.Request), also func(*http.Request)) func(*http.Request) {
	return func(r *http.Request) { also(r); d(r) }
}

type scaleRun struct {
	alerts int
	bytes  map[string]int64 // indexer response bytes per group_by
}

func TestAlertSummaryScale(t *testing.T) {
	large := 50_000
	if os.Getenv(scaleEnv) == "1" && !testing.Short() {
		large = 200_000
	}
	var runs []scaleRun
	for _, n := range []int{20_000, large} {
		t.Run(fmt.Sprintf("%d_alerts", n), func(t *testing.T) { runs = append(runs, runScale(t, n)) })
	}
	if len(runs) != 2 {
		t.FailNow()
	}
	small, big := runs[0], runs[1]
	for groupBy, b := range big.bytes {
		s := small.bytes[groupBy]
		t.Logf("group_by %s: indexer responses %d bytes for %d alerts, %d bytes for %d alerts", groupBy, s, small.alerts, b, big.alerts)
		if float64(b) > 1.5*float64(s) {
			t.Errorf("group_by %s: the server read %d bytes from the indexer for %d alerts, %d for %d: it grows with the data", groupBy, b, big.alerts, s, small.alerts)
		}
	}
}

// runScale serves n alerts and checks the summary's counts exactly against
// the generated alerts, returning what the indexer sent.
func runScale(t *testing.T, n int) scaleRun {
	t.Helper()
	start := time.Now()
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 11, Alerts: n, Now: simNow, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() }) // after the session's cleanups
	if got := len(sim.Dataset.Alerts); got != n {
		t.Fatalf("stand-in has %d alerts, want %d", got, n)
	}
	counter := &countingIndexer{}
	proxied := *sim
	proxied.IndexerURL = counter.proxy(t, sim.IndexerURL)
	e := newEnvOn(t, &proxied, nil)
	t.Logf("%d alerts: stand-in ready in %v", n, time.Since(start))

	run := scaleRun{alerts: n, bytes: map[string]int64{}}
	for _, tc := range []struct {
		groupBy string
		key     func(search.Doc) []string
	}{
		{"rule.level", func(d search.Doc) []string { return []string{fmt.Sprint(level(d))} }},
		{"agent.id", func(d search.Doc) []string { return docStrings(d, "agent.id") }},
		{"rule.groups", func(d search.Doc) []string { return docStrings(d, "rule.groups") }},
	} {
		counter.reset()
		var out AlertSummary
		callStart := time.Now()
		e.call(t, "get_wazuh_alert_summary", map[string]any{"time_range": "7d", "group_by": tc.groupBy, "top": 500}, &out)
		callTime := time.Since(callStart)

		// Ground truth, computed from the generated alerts.
		from := simNow.Add(-7 * 24 * time.Hour)
		var total int64
		counts := map[string]int64{}
		for _, d := range sim.Dataset.Alerts {
			if ts := alertTime(d); ts.Before(from) || ts.After(simNow) {
				continue
			}
			total++
			for _, k := range tc.key(d) {
				counts[k]++
			}
		}
		if out.Total != total {
			t.Errorf("%d alerts, group_by %s: total %d, want %d", n, tc.groupBy, out.Total, total)
		}
		if out.DistinctValues != int64(len(counts)) || len(out.Groups) != len(counts) || out.OtherCount != 0 {
			t.Errorf("%d alerts, group_by %s: %d distinct, %d groups, other %d; want %d, %d, 0",
				n, tc.groupBy, out.DistinctValues, len(out.Groups), out.OtherCount, len(counts), len(counts))
		}
		for _, g := range out.Groups {
			if g.Count != counts[g.Key] {
				t.Errorf("%d alerts, group_by %s, %s: count %d, want %d", n, tc.groupBy, g.Key, g.Count, counts[g.Key])
			}
		}

		counter.mu.Lock()
		run.bytes[tc.groupBy] = counter.bytes
		requests, hits, sizes, paths := counter.requests, counter.hits, counter.sizes, counter.paths
		counter.mu.Unlock()
		// One aggregation request, size 0: no alert document is fetched.
		if requests != 1 || hits != 0 || len(sizes) != 1 || sizes[0] != 0 {
			t.Errorf("%d alerts, group_by %s: %d indexer requests %v with sizes %v returning %d hits; want one size-0 request and no hits",
				n, tc.groupBy, requests, paths, sizes, hits)
		}
		t.Logf("%d alerts, group_by %s: total %d, %d groups, %d indexer bytes, call %v", n, tc.groupBy, out.Total, len(out.Groups), run.bytes[tc.groupBy], callTime)
	}
	return run
}

func docStrings(d search.Doc, path string) []string {
	var out []string
	for _, v := range d.Values(path) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

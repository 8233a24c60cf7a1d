package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sample is the server's state read from its /metrics.
type Sample struct {
	AtS        float64 `json:"at_s"` // seconds since the phase started
	RSSBytes   int64   `json:"rss_bytes"`
	Goroutines int     `json:"goroutines"`
	Sessions   int     `json:"sessions"` // wazuh_mcp_sessions_active
	// CPUSeconds is the server's process_cpu_seconds_total: CPU time per
	// call is a figure that holds on a machine shared with other work.
	CPUSeconds float64 `json:"cpu_s"`
	// Backend requests the server has made since it started
	// (wazuh_mcp_backend_requests_total by backend).
	ManagerRequests int `json:"manager_requests"`
	IndexerRequests int `json:"indexer_requests"`
}

// RSSMB is the resident set in MiB.
func (s Sample) RSSMB() float64 { return float64(s.RSSBytes) / (1 << 20) }

// Scraper reads a server's /metrics.
type Scraper struct {
	URL    string // the /metrics URL
	Token  string // Bearer key, for METRICS_AUTH servers
	Client *http.Client
}

// MetricsURL derives the /metrics URL from an MCP endpoint URL.
func MetricsURL(mcpURL string) (string, error) {
	u, err := url.Parse(mcpURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("--url %q: want an http(s) URL of an MCP endpoint, e.g. http://127.0.0.1:3000/mcp", mcpURL)
	}
	u.Path, u.RawQuery, u.Fragment = "/metrics", "", ""
	return u.String(), nil
}

// Scrape reads one sample.
func (s *Scraper) Scrape(ctx context.Context) (Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return Sample{}, err
	}
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		return Sample{}, fmt.Errorf("scraping %s: %w", s.URL, err)
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusForbidden:
		return Sample{}, fmt.Errorf("scraping %s: HTTP %d (a METRICS_AUTH server needs --token)", s.URL, res.StatusCode)
	default:
		return Sample{}, fmt.Errorf("scraping %s: HTTP %d", s.URL, res.StatusCode)
	}
	return ParseMetrics(io.LimitReader(res.Body, 16<<20))
}

// ParseMetrics reads the figures of a Sample from the Prometheus text format.
func ParseMetrics(r io.Reader) (Sample, error) {
	var s Sample
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, labels, value, ok := splitSample(line)
		if !ok {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			s.RSSBytes, seen[name] = int64(value), true
		case "process_cpu_seconds_total":
			s.CPUSeconds = value
		case "go_goroutines":
			s.Goroutines, seen[name] = int(value), true
		case "wazuh_mcp_sessions_active":
			s.Sessions = int(value)
		case "wazuh_mcp_backend_requests_total":
			switch label(labels, "backend") {
			case "manager":
				s.ManagerRequests += int(value)
			case "indexer":
				s.IndexerRequests += int(value)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if !seen["go_goroutines"] {
		return s, fmt.Errorf("/metrics has no go_goroutines: is this a wazuh-mcp server?")
	}
	return s, nil
}

// splitSample splits `name{labels} value [timestamp]`.
func splitSample(line string) (name, labels string, value float64, ok bool) {
	rest := line
	if i := strings.IndexByte(line, '{'); i >= 0 {
		j := strings.LastIndexByte(line, '}')
		if j < i {
			return "", "", 0, false
		}
		name, labels, rest = line[:i], line[i+1:j], line[j+1:]
	} else {
		var found bool
		name, rest, found = strings.Cut(line, " ")
		if !found {
			return "", "", 0, false
		}
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "", "", 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return "", "", 0, false
	}
	return name, labels, v, true
}

// label returns one label's value from `a="x",b="y"` (our label values
// carry no escaped quotes).
func label(labels, key string) string {
	for _, kv := range strings.Split(labels, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

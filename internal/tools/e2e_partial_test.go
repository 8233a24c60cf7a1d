package tools

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

// partialIndexer fronts the stand-in's indexer and marks the answers to
// aggregation requests (size 0) partial (timed out, one failed shard), as
// OpenSearch does when a shard is lost mid-query; the stand-in itself always
// answers whole. Listings stay whole, so a tool that makes both kinds of
// request must note the aggregation's state itself.
const partialHeader = "X-Test-Partial"

func partialIndexer(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	director := rp.Director
	rp.Director = func(r *http.Request) {
		director(r)
		r.Header.Del("Accept-Encoding") // a plain body to rewrite
		if r.Body == nil {
			return
		}
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		if bytes.Contains(b, []byte(`"size":0`)) {
			r.Header.Set(partialHeader, "1")
		}
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK || resp.Request.Header.Get(partialHeader) == "" {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		m["timed_out"] = true
		if shards, ok := m["_shards"].(map[string]any); ok {
			shards["failed"] = 1
		}
		if b, err = json.Marshal(m); err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Tools that read the indexer say when its answer was partial, rather than
// present the counts as exact.
func TestPartialIndexerAnswersAreNoted(t *testing.T) {
	sim := sharedSim(t)
	purl := partialIndexer(t, sim.IndexerURL)
	e := newEnvOn(t, sim, func(d *Deps) {
		ic, err := indexer.New(indexer.Config{URL: purl, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ic.Close() })
		d.Indexer = ic
	})
	const partial = "the indexer answered partially (timed out: true, failed shards: "
	tests := []struct {
		tool   string
		args   map[string]any
		want   string // in a note
		absent string // in no note
	}{
		{"get_wazuh_vulnerability_summary", nil, partial + "1)", ""},
		{"get_wazuh_critical_vulnerabilities", nil, partial + "1)", ""},
		{"get_wazuh_statistics", nil, "alerts_24h: " + partial, "exact count"},
		{"get_wazuh_weekly_stats", nil, "alerts_per_day: " + partial, "over every alert"},
		{"generate_security_report", map[string]any{"report_type": "daily"}, "vulnerability counts: " + partial, ""},
		{"perform_risk_assessment", map[string]any{"agent_id": "001"}, "alerts: " + partial, ""},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			var out struct {
				Result
				Sources map[string]string `json:"sources"`
			}
			e.call(t, tt.tool, tt.args, &out)
			notes := strings.Join(out.Notes, "\n")
			if !strings.Contains(notes, tt.want) {
				t.Errorf("notes lack %q:\n%s", tt.want, notes)
			}
			if tt.absent != "" && strings.Contains(notes, tt.absent) {
				t.Errorf("notes claim %q over a partial answer:\n%s", tt.absent, notes)
			}
			for src, state := range out.Sources {
				if state == "ok" && (src == "alerts" || src == "vulnerabilities") {
					t.Errorf("source %s reported %q over a partial answer", src, state)
				}
			}
		})
	}
}

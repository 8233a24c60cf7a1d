package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// Benchmarks of the tool layer: shaping and redacting alerts, and one whole
// tools/call through the server stack. Run them one at a time on a small
// machine:
//
//	go test ./internal/tools -run '^$' -bench . -benchtime 1s

// standInHits are 200 alerts of the stand-in as indexer hits.
func standInHits(b *testing.B) []indexer.Hit {
	b.Helper()
	ds, err := dataset.Generate(dataset.Options{Seed: 7, Alerts: 200, Now: simNow})
	if err != nil {
		b.Fatal(err)
	}
	hits := make([]indexer.Hit, len(ds.Alerts))
	for i, d := range ds.Alerts {
		src, err := json.Marshal(d.Source())
		if err != nil {
			b.Fatal(err)
		}
		hits[i] = indexer.Hit{ID: d.ID(), Source: src}
	}
	return hits
}

// sampleHits are the real Wazuh sample alerts of ../shared/wazuh.
func sampleHits(b *testing.B) []indexer.Hit {
	b.Helper()
	raw, err := os.ReadFile(testref.Path("sample-alerts.json"))
	if err != nil {
		b.Skipf("reference data: %v", err)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(raw, &docs); err != nil {
		b.Fatal(err)
	}
	hits := make([]indexer.Hit, len(docs))
	for i, d := range docs {
		hits[i] = indexer.Hit{ID: "sample", Source: d}
	}
	return hits
}

// BenchmarkShapeAlert shapes one alert per op, cycling over the set, with
// the default options (compact, IPs redacted) and the full ones (compliance,
// all data.* fenced and IP-redacted, full_log).
func BenchmarkShapeAlert(b *testing.B) {
	sets := []struct {
		name string
		hits func(*testing.B) []indexer.Hit
	}{{"standin", standInHits}, {"sample", sampleHits}}
	opts := []struct {
		name string
		o    shapeOptions
	}{{"compact", shapeOptions{compact: true}}, {"full", shapeOptions{fullLog: true}}}
	for _, set := range sets {
		for _, opt := range opts {
			b.Run(set.name+"/"+opt.name, func(b *testing.B) {
				hits := set.hits(b)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					a := shapeAlert(hits[i%len(hits)], opt.o)
					if a.ID == "" {
						b.Fatal("no id")
					}
					i++
				}
			})
		}
	}
}

// BenchmarkToolCallCached is one tools/call of get_wazuh_agents(limit=20)
// through an in-memory MCP session, with the Manager answer in the client's
// cache: what the server stack itself costs per call (argument decoding,
// the handler, result encoding, the JSON-RPC round trip and the durable
// audit record).
func BenchmarkToolCallCached(b *testing.B) {
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 200, Now: simNow, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sim.Close() })
	wc, err := wazuh.New(wazuh.Config{BaseURL: sim.ManagerURL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword,
		CacheTTL: time.Hour, FastCacheTTL: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	closeVerified(b, wc)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), store.FileName))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	log := audit.New(st, audit.Options{})
	b.Cleanup(func() { log.Close() })

	deps := Deps{Wazuh: wc, Now: func() time.Time { return simNow }}
	srv := NewServer("bench", agentTools(deps), deps, nil)
	srv.AddReceivingMiddleware(audit.Middleware(log, nil))
	ct, sst := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, sst, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cs.Close() })

	params := &mcp.CallToolParams{Name: "get_wazuh_agents", Arguments: map[string]any{"limit": 20}}
	call := func() {
		res, err := cs.CallTool(ctx, params)
		if err != nil || res.IsError {
			b.Fatalf("call: %v %v", err, res)
		}
	}
	call() // fills the cache
	before := sim.Manager.Stats().TotalRequests
	b.ReportAllocs()
	for b.Loop() {
		call()
	}
	if n := sim.Manager.Stats().TotalRequests - before; n != 0 {
		b.Fatalf("%d Manager requests during the benchmark, want 0 (cached)", n)
	}
}

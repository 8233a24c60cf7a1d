package wazuh

import (
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// Benchmarks of the Manager client's hot paths: building q filters and
// decoding list envelopes. Run them one at a time on a small machine:
//
//	go test ./internal/wazuh -run '^$' -bench . -benchtime 1s

func BenchmarkQBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		q := And(
			AnyOf("status", "active", "disconnected"),
			Or(Eq("os.platform", "ubuntu"), Eq("os.platform", "windows")),
			Like("name", "web-01"),
			Gt("lastKeepAlive", "2026-11-20T00:00:00Z"),
			Ne("id", "000"),
		)
		if _, err := q.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

// agentsPage is a GET /agents answer of n items built from the stand-in's
// agents (their real shape), cycled with distinct ids, names and addresses.
func agentsPage(b *testing.B, n int) []byte {
	b.Helper()
	ds, err := dataset.Generate(dataset.Options{Seed: 7, Alerts: 100, Now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]map[string]any, n)
	for i := range items {
		a := maps.Clone(ds.Agents[i%len(ds.Agents)])
		a["id"] = fmt.Sprintf("%03d", i+1)
		a["name"] = fmt.Sprintf("%s-%d", a["name"], i)
		a["ip"] = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		items[i] = a
	}
	body, err := json.Marshal(map[string]any{
		"data": map[string]any{
			"affected_items": items, "total_affected_items": 5000,
			"total_failed_items": 0, "failed_items": []any{},
		},
		"message": "All selected agents information was returned",
		"error":   0,
	})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func benchmarkDecodeAgents(b *testing.B, n int) {
	body := agentsPage(b, n)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := decodePage[Agent]("GET", "/agents", body)
		if err != nil || len(p.Items) != n || p.Total != 5000 {
			b.Fatalf("page: %d items, total %d, %v", len(p.Items), p.Total, err)
		}
	}
}

func BenchmarkDecodeAgentsPage500(b *testing.B) { benchmarkDecodeAgents(b, 500) }

func BenchmarkDecodeAgentsPage20(b *testing.B) { benchmarkDecodeAgents(b, 20) }

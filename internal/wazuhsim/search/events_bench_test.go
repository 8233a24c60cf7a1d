package search_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// BenchmarkGeneratedTermsAgg runs the terms aggregation over the data set
// generator's real alert docs (whose Values box per call), the realistic
// counterpart of BenchmarkTermsAgg200k: 280k alerts over 7 days, the last
// ~5 days (≈200k) selected by the time filter.
func BenchmarkGeneratedTermsAgg(b *testing.B) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	in := events.Input{Seed: 7, Alerts: 280_000, Now: now, ManagerName: "wazuh-manager", ClusterName: "wazuh", NodeName: "node01"}
	for i := 1; i <= 60; i++ {
		id := fmt.Sprintf("%03d", i)
		in.Agents = append(in.Agents, events.AgentRef{ID: id, Name: "srv-" + id, IP: fmt.Sprintf("10.0.5.%d", i),
			Status: "active", Platform: "ubuntu", OSName: "Ubuntu", OSVersion: "22.04"})
	}
	out, err := events.Generate(in)
	if err != nil {
		b.Skipf("generator unavailable: %v", err)
	}
	body := []byte(`{"size":0,"track_total_hits":true,"query":{"bool":{"filter":[{"range":{"timestamp":{"gte":"now-5d","lte":"now"}}}]}},
		"aggs":{"agents":{"terms":{"field":"agent.name","size":10}}}}`)
	resp, err := search.Search(context.Background(), out.AlertIndices, body, now)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := search.Search(context.Background(), out.AlertIndices, body, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(resp.Hits.Total.Value), "docs")
}

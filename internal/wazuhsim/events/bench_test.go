package events

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// bigFleet is a 60-agent deployment like the dataset's default.
func bigFleet(alerts int) Input {
	in := testInput(alerts)
	for i := 20; i < 80; i++ {
		id := "0" + string(rune('0'+i/10)) + string(rune('0'+i%10))
		ag := AgentRef{ID: id, Name: "srv-" + id, IP: "10.0.5." + id[1:], Status: "active", Platform: "ubuntu", OSName: "Ubuntu", OSVersion: "22.04"}
		if i%5 == 0 {
			ag.Platform, ag.Name = "windows", "win-"+id
		}
		in.Agents = append(in.Agents, ag)
	}
	return in
}

func BenchmarkGenerate10k(b *testing.B) {
	in := bigFleet(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValues(b *testing.B) {
	out, _ := Generate(bigFleet(10000))
	paths := []string{"rule.level", "agent.name", "data.srcip", "timestamp", "rule.groups", "full_log"}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range out.Alerts[:1000] {
			for _, p := range paths {
				_ = d.Values(p)
			}
		}
	}
}

// TestGenerateMillion measures the 1M-alert target (time and retained
// heap). It is heavy, so it runs only with WAZUHSIM_BIG=1:
//
//	WAZUHSIM_BIG=1 go test -run TestGenerateMillion -v ./internal/wazuhsim/events
func TestGenerateMillion(t *testing.T) {
	if testing.Short() || os.Getenv("WAZUHSIM_BIG") == "" {
		t.Skip("set WAZUHSIM_BIG=1 to generate 1,000,000 alerts")
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	out, err := Generate(bigFleet(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := after.HeapAlloc - before.HeapAlloc
	t.Logf("1M alerts: %v, retained heap %.0f MiB, peak sys %.0f MiB, %d indices",
		took, float64(heap)/(1<<20), float64(after.Sys)/(1<<20), len(out.AlertIndices))
	if len(out.Alerts) != 1_000_000 {
		t.Fatalf("got %d alerts", len(out.Alerts))
	}
	if took > 20*time.Second || heap > 1200<<20 {
		t.Fatalf("over budget: %v, %d MiB", took, heap>>20)
	}
	runtime.KeepAlive(out)
}

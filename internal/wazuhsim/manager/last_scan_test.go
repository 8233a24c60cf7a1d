package manager

import (
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

func TestLastScanEndpoints(t *testing.T) {
	ds, err := dataset.Generate(dataset.Options{Seed: 3, Alerts: 200, Now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	scanned, never := 0, 0
	for _, a := range ds.Agents {
		id := a["id"].(string)
		items, total := c.items("/syscheck/" + id + "/last_scan")
		want := ds.FIMScans[id]
		if total != 1 || len(items) != 1 || items[0]["start"] != want["start"] || items[0]["end"] != want["end"] {
			t.Errorf("syscheck last_scan %s: %v (total %d), want %v", id, items, total, want)
		}
		if want["start"] == nil {
			never++
			if st := a["status"]; st != "never_connected" && st != "pending" {
				t.Errorf("agent %s (%s) has no FIM scan", id, st)
			}
			continue
		}
		scanned++
		start, _ := time.Parse(time.RFC3339, want["start"].(string))
		end, _ := time.Parse(time.RFC3339, want["end"].(string))
		if !end.After(start) || end.After(ds.Now) {
			t.Errorf("agent %s: FIM scan %v..%v not ordered before now", id, start, end)
		}
		rc, _ := c.items("/rootcheck/" + id + "/last_scan")
		wantStart, wantEnd := any(nil), any(nil)
		for _, it := range ds.Rootcheck[id] {
			switch it["log"] {
			case "Starting rootcheck scan.":
				wantStart = it["date_last"]
			case "Ending rootcheck scan.":
				wantEnd = it["date_last"]
			}
		}
		if wantStart != nil && wantEnd != nil && wantEnd.(string) <= wantStart.(string) {
			wantEnd = nil // a scan in progress has no end yet
		}
		if wantStart == nil {
			wantEnd = nil
		}
		if len(rc) != 1 || rc[0]["start"] != wantStart || rc[0]["end"] != wantEnd {
			t.Errorf("rootcheck last_scan %s: %v, want start %v end %v", id, rc, wantStart, wantEnd)
		}
	}
	if scanned == 0 || never == 0 {
		t.Errorf("expected agents with and without FIM scans, got %d and %d", scanned, never)
	}
	for _, target := range []string{"/syscheck/999/last_scan", "/rootcheck/999/last_scan"} {
		code, m := c.get(target)
		data := m["data"].(map[string]any)
		if code != 200 || m["error"] != float64(1) || data["total_failed_items"] != float64(1) {
			t.Errorf("%s: %d %v", target, code, m)
		}
	}
}

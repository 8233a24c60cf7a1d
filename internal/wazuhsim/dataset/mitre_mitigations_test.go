package dataset

import (
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// TestMitigationsResolve keeps the mitigation map complete and consistent:
// every technique has an entry, every referenced mitigation exists, and the
// technique → mitigation links agree in both directions.
func TestMitigationsResolve(t *testing.T) {
	known := map[string]bool{}
	for _, m := range mitigationTable {
		known[m.id] = true
	}
	for _, tech := range events.Techniques() {
		ms, ok := techniqueMitigations[tech.ID]
		if !ok {
			t.Errorf("technique %s has no entry in techniqueMitigations", tech.ID)
		}
		for _, m := range ms {
			if !known[m] {
				t.Errorf("technique %s: mitigation %s not in mitigationTable", tech.ID, m)
			}
		}
	}
	ds := load(t)
	byID := map[string]Item{}
	for _, m := range ds.MitreMitigations {
		byID[m["id"].(string)] = m
	}
	links := 0
	for _, tech := range ds.MitreTechniques {
		for _, id := range tech["mitigations"].([]any) {
			m, ok := byID[id.(string)]
			if !ok {
				t.Fatalf("technique %v: mitigation %v not in MitreMitigations", tech["external_id"], id)
			}
			found := false
			for _, back := range m["techniques"].([]any) {
				found = found || back == tech["id"]
			}
			if !found {
				t.Errorf("mitigation %v does not list technique %v", m["external_id"], tech["external_id"])
			}
			links++
		}
	}
	if links == 0 || len(ds.MitreMitigations) == 0 {
		t.Fatal("no technique has a mitigation")
	}
}

package manager

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// TestMitreTacticsAndMitigationsResolveTechniques checks that the STIX ids
// a technique carries resolve through GET /mitre/tactics?tactic_ids= and
// GET /mitre/mitigations?mitigation_ids=, as clients resolve them.
func TestMitreTacticsAndMitigationsResolveTechniques(t *testing.T) {
	ds, err := dataset.Generate(dataset.Options{Seed: 3, Alerts: 100, Now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ds, Options{MaxRequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	techs, _ := c.items("/mitre/techniques?technique_ids=T1110")
	if len(techs) != 1 {
		t.Fatalf("T1110: %d techniques", len(techs))
	}
	for _, tc := range []struct{ field, path, param string }{
		{"tactics", "/mitre/tactics", "tactic_ids"},
		{"mitigations", "/mitre/mitigations", "mitigation_ids"},
	} {
		var ids []string
		for _, id := range techs[0][tc.field].([]any) {
			ids = append(ids, id.(string))
		}
		if len(ids) == 0 {
			t.Fatalf("T1110 has no %s", tc.field)
		}
		got, total := c.items(tc.path + "?" + tc.param + "=" + url.QueryEscape(strings.Join(ids, ",")))
		if total != len(ids) || len(got) != len(ids) {
			t.Fatalf("%s: %d of %d ids resolved", tc.path, total, len(ids))
		}
		for _, it := range got {
			if it["name"] == "" || !strings.HasPrefix(it["url"].(string), "https://attack.mitre.org/") {
				t.Errorf("%s item %v", tc.path, it)
			}
		}
	}
	got, _ := c.items("/mitre/mitigations?mitigation_ids=M1032")
	if len(got) != 1 || got[0]["name"] != "Multi-factor Authentication" {
		t.Fatalf("M1032 = %v", got)
	}
	if _, total := c.items("/mitre/tactics"); total != len(s.ds.MitreTactics) || total == 0 {
		t.Fatalf("all tactics: %d", total)
	}
}

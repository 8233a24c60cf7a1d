package tools

import (
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// mitreNames resolves STIX ids to names through stand-in MITRE items.
func mitreNames(items []map[string]any, ids []any) []string {
	var out []string
	for _, id := range ids {
		for _, it := range items {
			if it["id"] == id {
				out = append(out, it["name"].(string))
			}
		}
	}
	return out
}

func TestMitreTechniqueMatchesDatabaseAndAlerts(t *testing.T) {
	e := newEnv(t)
	ds := e.sim.Dataset
	for _, id := range []string{"T1110", "t1110.001", "T1082"} {
		t.Run(id, func(t *testing.T) {
			var out MitreTechniqueResult
			e.call(t, "get_mitre_technique", map[string]any{"technique_id": id}, &out)
			want := strings.ToUpper(id)
			var tech map[string]any
			for _, it := range ds.MitreTechniques {
				if it["external_id"] == want {
					tech = it
				}
			}
			if tech == nil {
				t.Fatalf("%s not in the stand-in", want)
			}
			tactics := mitreNames(toMaps(ds.MitreTactics), tech["tactics"].([]any))
			mitigations := mitreNames(toMaps(ds.MitreMitigations), tech["mitigations"].([]any))
			got := out.Technique
			if got.ID != want || got.Name != tech["name"] || got.Description == "" || !strings.HasPrefix(got.URL, "https://attack.mitre.org/techniques/") {
				t.Fatalf("technique = %+v", got)
			}
			if strings.Join(got.Tactics, ",") != strings.Join(tactics, ",") || len(tactics) == 0 {
				t.Errorf("tactics %v, want %v", got.Tactics, tactics)
			}
			if strings.Join(got.Mitigations, ",") != strings.Join(mitigations, ",") {
				t.Errorf("mitigations %v, want %v", got.Mitigations, mitigations)
			}
			from := e.now.Add(-30 * 24 * time.Hour)
			n := countAlerts(e.sim, func(d search.Doc) bool {
				ts := alertTime(d)
				return hasValue(d, "rule.mitre.id", want) && !ts.Before(from) && !ts.After(e.now)
			})
			if out.Alerts30d == nil || *out.Alerts30d != n {
				t.Fatalf("alerts_30d = %v, want %d", out.Alerts30d, n)
			}
			if id == "T1110" && (n == 0 || len(mitigations) == 0) {
				t.Fatal("T1110 should have alerts and mitigations in the stand-in: the test proves nothing")
			}
		})
	}
}

func toMaps[T ~map[string]any](items []T) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

func TestMapAlertToAttack(t *testing.T) {
	e := newEnv(t)
	var mapped, unmapped search.Doc
	for _, d := range e.sim.Dataset.Alerts {
		if mapped == nil && len(d.Values("rule.mitre.id")) >= 1 {
			mapped = d
		}
		if unmapped == nil && len(d.Values("rule.mitre.id")) == 0 {
			unmapped = d
		}
	}
	if mapped == nil || unmapped == nil {
		t.Fatal("the stand-in lacks alerts with and without MITRE ids")
	}
	var out AlertAttackMap
	e.call(t, "map_alert_to_attack", map[string]any{"alert_id": docString(mapped, "id")}, &out)
	wantIDs := mapped.Values("rule.mitre.id")
	if !out.Mapped || len(out.Techniques) != len(wantIDs) || out.Alert.Rule.ID != docString(mapped, "rule.id") {
		t.Fatalf("mapped alert: %+v (rule mitre ids %v)", out, wantIDs)
	}
	for i, tech := range out.Techniques {
		if tech.ID != wantIDs[i] || tech.Name == "" || len(tech.Tactics) == 0 || tech.Mitigations == nil {
			t.Errorf("technique %d: %+v, want %v", i, tech, wantIDs[i])
		}
	}
	if len(out.Tactics) != len(mapped.Values("rule.mitre.tactic")) {
		t.Errorf("tactics %v, want %v", out.Tactics, mapped.Values("rule.mitre.tactic"))
	}

	var none AlertAttackMap
	e.call(t, "map_alert_to_attack", map[string]any{"alert_id": unmapped.ID()}, &none)
	if none.Mapped || len(none.Techniques) != 0 || !strings.Contains(strings.Join(none.Notes, " "), "has no MITRE ATT&CK mapping") {
		t.Fatalf("unmapped alert: %+v", none)
	}
}

func TestMitreBadArguments(t *testing.T) {
	e := newEnv(t)
	checkToolErrors(t, e, []toolErrorCase{
		{"get_mitre_technique", map[string]any{}, "invalid argument technique_id: is required"},
		{"get_mitre_technique", map[string]any{"technique_id": "T111"}, "invalid argument technique_id"},
		{"get_mitre_technique", map[string]any{"technique_id": "T1110.1"}, "invalid argument technique_id"},
		{"get_mitre_technique", map[string]any{"technique_id": "T1110;external_id=T1"}, "invalid argument technique_id"},
		{"get_mitre_technique", map[string]any{"technique_id": "T9999"}, "invalid argument technique_id: T9999 is not in the Manager's MITRE database"},
		{"map_alert_to_attack", map[string]any{}, "invalid argument alert_id: is required"},
		{"map_alert_to_attack", map[string]any{"alert_id": "0000000000.000000"}, "invalid argument alert_id: no alert"},
	})
}
